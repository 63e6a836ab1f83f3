"""The REST API's views: a serializer shapes the input, the room's service acts, a
serializer answers. What a caller sees is what the same person sees on the web
(``visible_to()`` and the partnership's predicates); another city's object is 404.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import filters, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Organization, User
from api import examples as ex
from api import filters as api_filters
from api import serializers as s
from api.errors import service_errors
from api.models import ApiToken
from api.safety import etag_for, expected_version, idempotent
from beneficiaries import permissions as beneficiary_perms
from beneficiaries import services as beneficiary_services
from beneficiaries.models import Comment
from core.events import Actor, acting_as
from health import explain
from health import permissions as health_perms
from health.models import Group, PracticeScore, RoundScore
from notifications import services as notification_services
from notifications.models import Notification
from partnerships import permissions as perms
from partnerships import services
from partnerships.models import (
    CheckIn,
    Experiment,
    FinancialNeed,
    Indicator,
    Measurement,
    Partnership,
    PlanVersion,
    ProgressUpdate,
)
from playbook.models import ModelPathway, Practice, Stage

# The largest id a PostgreSQL bigint holds.
MAX_ID = 2**63 - 1

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the object as you read it, e.g. `"v3"`.',
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Any unique text (a UUID): sending the same request again with the same "
    "key replays the first answer instead of writing twice. Kept 24 hours.",
)


def acting(request: Request) -> AbstractContextManager[None]:
    """A write through a token is recorded as that token, with its person behind it."""
    token = request.auth
    if isinstance(token, ApiToken):
        return acting_as(Actor.token(token_id=token.pk, name=token.name, user=token.created_by))
    return nullcontext()


def person(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def visible_partnerships(request: Request) -> QuerySet[Partnership]:
    return Partnership.objects.visible_to(person(request))


def with_etag(response: Response, version: int | None = None) -> Response:
    response["ETag"] = etag_for(response.data, version)
    return response


class ApiViewSet(viewsets.GenericViewSet[Any]):
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    ordering = ["id"]
    model: Any = None
    # Any id reaches the view, which answers 404 in the API's own shape for one that is
    # not a number (or too big for the column) instead of the site's HTML page.
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            # The schema is built without a caller: only the model matters.
            return self.model.objects.none()
        return self.visible()

    def visible(self) -> QuerySet[Any]:
        return super().get_queryset()

    def get_object(self) -> Any:
        pk = str(self.kwargs.get("pk", ""))
        if not pk.isascii() or not pk.isdigit() or int(pk) > MAX_ID:
            raise NotFound
        return super().get_object()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        obj = self.get_object()
        return with_etag(Response(self.get_serializer(obj).data), getattr(obj, "version", None))


class ReadOnly(mixins.ListModelMixin, ApiViewSet):
    pass


def _documented(name: str, plural: str, example: dict[str, Any], **more: Any) -> Any:
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {plural}",
            description=f"The {plural} you may see, 50 a page; filter and order with the "
            "query parameters.",
            examples=[ex.response(name, example)],
        ),
        retrieve=extend_schema(
            summary=f"Read one {name}",
            description=f"One {name}; its ETag header names the version you read. "
            "Another city's private object answers 404.",
            examples=[ex.response(name, example)],
        ),
        **more,
    )


@_documented("organization", "organizations", ex.ORGANIZATION)
class OrganizationViewSet(ReadOnly):
    model = Organization
    serializer_class = s.OrganizationSerializer
    ordering_fields = ["id", "name"]
    filterset_fields = ["kind"]

    def visible(self) -> QuerySet[Organization]:
        user = person(self.request)
        return Organization.objects.filter(
            Q(pk__in=Organization.objects.listed().values("pk")) | Q(pk__in=user.organization_ids())
        )


@_documented(
    "partnership",
    "partnerships",
    ex.PARTNERSHIP,
    partners=extend_schema(
        summary="List a partnership's partners",
        description="The partner organizations, the lead among them, with their roles. "
        "Invitations not yet answered are shown to the partnership's own organizations only.",
        responses={200: s.PartnerSerializer(many=True)},
        examples=[ex.response("partners", ex.PARTNER)],
    ),
    responsibilities=extend_schema(
        summary="List a partnership's responsibilities",
        description="Who does what: the division of labour between the partners.",
        responses={200: s.ResponsibilitySerializer(many=True)},
        examples=[ex.response("responsibilities", ex.RESPONSIBILITY)],
    ),
    stage_history=extend_schema(
        summary="List a partnership's stage changes",
        description="Every move along the model pathway, oldest first, with its reason.",
        responses={200: s.StageChangeSerializer(many=True)},
        examples=[ex.response("stage changes", ex.STAGE_CHANGE)],
    ),
    health=extend_schema(
        summary="Read a partnership's practice-health scores",
        description="The current score of each practice that has one, with its explanation "
        "as the health page gives it: the survey figure of each group, what each signal of "
        "the partnership's work gave, and what would raise the score. A figure that could "
        "reveal a few people's answers is hidden (`n` and `score` are null) with the reason.",
        responses={200: s.PracticeScoreSerializer(many=True)},
        examples=[ex.response("scores", ex.PRACTICE_SCORE)],
    ),
    round_scores=extend_schema(
        summary="List a partnership's scores of closed rounds",
        description="Each practice's score as it stood when each survey round closed, the "
        "oldest round first: the trend. 50 a page.",
        responses={200: s.RoundScoreSerializer(many=True)},
        examples=[ex.response("round scores", ex.ROUND_SCORE)],
    ),
)
class PartnershipViewSet(ReadOnly):
    model = Partnership
    serializer_class = s.PartnershipSerializer
    filterset_class = api_filters.PartnershipFilter
    ordering_fields = ["id", "title", "start_date", "last_activity_at", "created_at"]

    def visible(self) -> QuerySet[Partnership]:
        return visible_partnerships(self.request)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # The busiest read of partner systems: its plain columns straight from .values(),
        # which gives what the serializer would (ids for relations, ISO dates).
        rows = self.filter_queryset(self.get_queryset()).values(
            *s.PartnershipSerializer.Meta.fields
        )
        return self.get_paginated_response(self.paginate_queryset(rows))

    def _all(
        self, queryset: QuerySet[Any], serializer: type[serializers.Serializer[Any]]
    ) -> Response:
        # A few rows per partnership: one list, no pages.
        return Response(serializer(queryset, many=True).data)

    @action(
        detail=True, serializer_class=s.PartnerSerializer, filter_backends=[], pagination_class=None
    )
    def partners(self, request: Request, pk: str) -> Response:
        partnership = self.get_object()
        partners = partnership.partners.order_by("pk")
        if not perms.can_contribute(person(request), partnership):
            partners = partners.accepted()
        return self._all(partners, s.PartnerSerializer)

    @action(
        detail=True,
        serializer_class=s.ResponsibilitySerializer,
        filter_backends=[],
        pagination_class=None,
    )
    def responsibilities(self, request: Request, pk: str) -> Response:
        partnership = self.get_object()
        return self._all(partnership.responsibilities.order_by("pk"), s.ResponsibilitySerializer)

    @action(
        detail=True,
        url_path="stage-history",
        serializer_class=s.StageChangeSerializer,
        filter_backends=[],
        pagination_class=None,
    )
    def stage_history(self, request: Request, pk: str) -> Response:
        partnership = self.get_object()
        return self._all(
            partnership.stage_changes.order_by("changed_at", "pk"), s.StageChangeSerializer
        )

    def _health_partnership(self) -> Partnership:
        partnership = self.get_object()
        if not health_perms.can_see_health(person(self.request), partnership):
            raise NotFound
        return partnership

    @action(
        detail=True,
        serializer_class=s.PracticeScoreSerializer,
        filter_backends=[],
        pagination_class=None,
    )
    def health(self, request: Request, pk: str) -> Response:
        partnership = self._health_partnership()
        scores = (
            PracticeScore.objects.filter(partnership=partnership)
            .select_related("practice")
            .order_by("practice__number")
        )
        data = s.PracticeScoreSerializer([_explained(score) for score in scores], many=True).data
        return with_etag(Response(data))

    @action(
        detail=True,
        url_path="round-scores",
        serializer_class=s.RoundScoreSerializer,
        filter_backends=[],
    )
    def round_scores(self, request: Request, pk: str) -> Response:
        partnership = self._health_partnership()
        scores = (
            RoundScore.objects.filter(partnership=partnership)
            .select_related("round", "practice")
            .order_by("round__number", "practice__number", "pk")
        )
        page = self.paginate_queryset(scores)
        return self.get_paginated_response(s.RoundScoreSerializer(page, many=True).data)


def _hidden(figure: dict[str, Any], threshold: int) -> dict[str, Any]:
    hidden = bool(figure.get("hidden"))
    return {
        "hidden": hidden,
        "hidden_reason": explain.hidden_sentence(figure, threshold) if hidden else "",
    }


def _explained(score: PracticeScore) -> dict[str, Any]:
    """A stored score as the health page explains it (health.views): a hidden figure shows
    neither its number of people nor its score, only why it is hidden."""
    threshold = int(getattr(settings, "TANDEM_SURVEY_THRESHOLD", 3))
    detail = score.detail
    groups = []
    for group in Group:
        figure = detail.get("groups", {}).get(group.value, {})
        shown = not figure.get("hidden") and figure.get("score") is not None
        groups.append(
            {
                "group": group.value,
                "name": str(group.label),
                "n": figure.get("n", 0) if shown else None,
                "score": figure.get("score") if shown else None,
                **_hidden(figure, threshold),
            }
        )
    return {
        "practice": score.practice_id,
        "practice_slug": score.practice.slug,
        "combined": score.combined,
        "perception": score.perception,
        "behaviour": score.behaviour,
        "band": score.band,
        "confidence": score.confidence,
        "spread": score.spread,
        "formula_version": score.formula_version,
        "computed_at": score.computed_at,
        "overall": _hidden(detail.get("overall", {}), threshold),
        "groups": groups,
        "contributions": [
            {
                "key": c["key"],
                "sentence": explain.signal_sentence(c["key"], c["achieved"], c["possible"]),
                "points": round(c["points"]),
                "possible_points": round(c["possible_points"]),
            }
            for c in detail.get("contributions", [])
            if c["possible"]
        ],
        "would_raise": [explain.raise_sentence(key) for key in detail.get("would_raise", [])],
    }


class OfVisiblePartnerships(ReadOnly):
    partnership_path = "partnership"

    def partnerships(self) -> QuerySet[Partnership]:
        return visible_partnerships(self.request)

    def visible(self) -> QuerySet[Any]:
        return self.model.objects.filter(**{f"{self.partnership_path}__in": self.partnerships()})


@_documented("plan version", "plan versions", ex.PLAN_VERSION)
class PlanVersionViewSet(OfVisiblePartnerships):
    model = PlanVersion
    serializer_class = s.PlanVersionSerializer
    filterset_class = api_filters.PlanVersionFilter
    ordering_fields = ["id", "number", "published_at"]

    def visible(self) -> QuerySet[Any]:
        return super().visible().prefetch_related("sections")


@_documented(
    "check-in",
    "check-ins",
    ex.CHECKIN,
    record=extend_schema(
        summary="Record a check-in as held or missed",
        description="Records a scheduled check-in. Send its ETag in If-Match: a check-in "
        "recorded or changed since you read it is refused with 412. The next check-in is "
        "scheduled by itself.",
        parameters=[IF_MATCH],
        request=s.CheckInRecordSerializer,
        responses={200: s.CheckInSerializer},
        examples=[ex.request("record", ex.CHECKIN_RECORD), ex.response("check-in", ex.CHECKIN)],
    ),
)
class CheckInViewSet(OfVisiblePartnerships):
    model = CheckIn
    serializer_class = s.CheckInSerializer
    filterset_class = api_filters.CheckInFilter
    ordering_fields = ["id", "due_date", "held_on"]

    def visible(self) -> QuerySet[Any]:
        return super().visible().prefetch_related("attendees", "attending_organizations")

    @action(detail=True, methods=["post"], serializer_class=s.CheckInRecordSerializer)
    def record(self, request: Request, pk: str) -> Response:
        version = expected_version(request)
        checkin = self.get_object()
        body = s.CheckInRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        people = list(User.objects.filter(pk__in=set(data.get("attendees", []))))
        if len(people) != len(set(data.get("attendees", []))):
            raise ValidationError({"attendees": [_("Choose people of this partnership only.")]})
        org_ids = set(data.get("attending_organizations", []))
        orgs = list(Organization.objects.filter(pk__in=org_ids))
        if len(orgs) != len(org_ids):
            raise ValidationError(
                {"attending_organizations": [_("Choose partner organizations only.")]}
            )
        with service_errors(), acting(request):
            checkin = services.checkin_record(
                actor=person(request),
                checkin=checkin,
                held=data["held"],
                held_on=data.get("held_on"),
                attendees=people,
                attending_organizations=orgs,
                notes=data.get("notes", ""),
                decisions=data.get("decisions", ""),
                follow_ups=data.get("follow_ups", ""),
                expected_version=version,
            )
        checkin = self.get_queryset().get(pk=checkin.pk)
        return with_etag(Response(s.CheckInSerializer(checkin).data), checkin.version)


@_documented(
    "progress update",
    "progress updates",
    ex.PROGRESS,
    create=extend_schema(
        summary="Log a progress update",
        description="Logs what happened, for one of your organizations in the partnership. "
        "Send an Idempotency-Key to make a retry safe.",
        parameters=[IDEMPOTENCY_KEY],
        request=s.ProgressUpdateCreateSerializer,
        responses={201: s.ProgressUpdateSerializer},
        examples=[
            ex.request("progress update", ex.PROGRESS_CREATE),
            ex.response("logged", ex.PROGRESS),
        ],
    ),
    partial_update=extend_schema(
        summary="Correct a progress update",
        description="Corrects its text or date (its author or the partnership's managers). "
        "Send its ETag in If-Match; a stale one is refused with 412.",
        parameters=[IF_MATCH],
        request=s.ProgressUpdateEditSerializer,
        responses={200: s.ProgressUpdateSerializer},
        examples=[
            ex.request("correction", ex.PROGRESS_EDIT),
            ex.response("corrected", ex.PROGRESS),
        ],
    ),
)
class ProgressUpdateViewSet(OfVisiblePartnerships):
    model = ProgressUpdate
    serializer_class = s.ProgressUpdateSerializer
    filterset_class = api_filters.ProgressUpdateFilter
    ordering_fields = ["id", "date", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def visible(self) -> QuerySet[Any]:
        return (
            ProgressUpdate.objects.current()
            .filter(partnership__in=self.partnerships())
            .prefetch_related("practices")
        )

    def create(self, request: Request) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        body = s.ProgressUpdateCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        partnership = self.partnerships().filter(pk=data["partnership"]).first()
        if partnership is None:
            raise ValidationError({"partnership": [_("Choose a partnership you take part in.")]})
        organization = Organization.objects.filter(pk=data["organization"]).first()
        if organization is None:
            raise ValidationError({"organization": [_("Choose an organization.")]})
        practice_ids = set(data.get("practices", []))
        practices = list(Practice.objects.filter(pk__in=practice_ids))
        if len(practices) != len(practice_ids):
            raise ValidationError({"practices": [_("Choose practices from the list.")]})
        with service_errors(), acting(request):
            update = services.progress_log(
                actor=person(request),
                partnership=partnership,
                organization=organization,
                text=data["text"],
                on=data.get("date"),
                practices=practices,
                levers=data.get("levers", []),
            )
        update = self.get_queryset().get(pk=update.pk)
        response = Response(s.ProgressUpdateSerializer(update).data, status=status.HTTP_201_CREATED)
        response["Location"] = f"/api/v1/progress-updates/{update.pk}/"
        return with_etag(response, update.version)

    def partial_update(self, request: Request, pk: str) -> Response:
        version = expected_version(request)
        update = self.get_object()
        body = s.ProgressUpdateEditSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        with service_errors(), acting(request):
            update = services.progress_correct(
                actor=person(request),
                update=update,
                text=data.get("text", update.text),
                on=data.get("date", update.date),
                expected_version=version,
            )
        update = self.get_queryset().get(pk=update.pk)
        return with_etag(Response(s.ProgressUpdateSerializer(update).data), update.version)


@_documented("indicator", "indicators", ex.INDICATOR)
class IndicatorViewSet(OfVisiblePartnerships):
    model = Indicator
    serializer_class = s.IndicatorSerializer
    filterset_class = api_filters.IndicatorFilter
    ordering_fields = ["id", "name", "target_date"]


@_documented(
    "measurement",
    "measurements",
    ex.MEASUREMENT,
    create=extend_schema(
        summary="Add a measurement",
        description="Adds one value of an indicator, on a date, with its source. Send an "
        "Idempotency-Key to make a retry safe.",
        parameters=[IDEMPOTENCY_KEY],
        request=s.MeasurementCreateSerializer,
        responses={201: s.MeasurementSerializer},
        examples=[
            ex.request("measurement", ex.MEASUREMENT_CREATE),
            ex.response("added", ex.MEASUREMENT),
        ],
    ),
    bulk=extend_schema(
        summary="Add many measurements at once",
        description=f"Adds up to {s.BULK_LIMIT:,} measurements in one request, all or none: "
        "if any row is refused, nothing is saved and the errors name the rows by their "
        "position (`fields.rows.<index>`). Send an Idempotency-Key to make a retry safe.",
        parameters=[IDEMPOTENCY_KEY],
        request=s.MeasurementBulkSerializer,
        responses={201: s.MeasurementBulkResultSerializer},
        examples=[
            ex.request("measurements", ex.MEASUREMENT_BULK),
            ex.response("added", ex.MEASUREMENT_BULK_RESULT),
        ],
    ),
)
class MeasurementViewSet(mixins.CreateModelMixin, OfVisiblePartnerships):
    model = Measurement
    serializer_class = s.MeasurementSerializer
    filterset_class = api_filters.MeasurementFilter
    ordering_fields = ["id", "date", "created_at"]
    partnership_path = "indicator__partnership"

    def visible(self) -> QuerySet[Any]:
        return Measurement.objects.current().filter(indicator__partnership__in=self.partnerships())

    def _indicators(self, ids: set[int]) -> dict[int, Indicator]:
        found = Indicator.objects.filter(
            pk__in=ids, partnership__in=self.partnerships()
        ).select_related("partnership")
        return {indicator.pk: indicator for indicator in found}

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        body = s.MeasurementCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        indicator = self._indicators({data["indicator"]}).get(data["indicator"])
        if indicator is None:
            raise ValidationError({"indicator": [_("Choose an indicator you can see.")]})
        with service_errors(), acting(request):
            measurement = services.measurement_add(
                actor=person(request),
                indicator=indicator,
                on=data["date"],
                value=data["value"],
                source=data["source"],
            )
        response = Response(s.MeasurementSerializer(measurement).data, status=201)
        response["Location"] = f"/api/v1/measurements/{measurement.pk}/"
        return with_etag(response)

    @action(detail=False, methods=["post"], serializer_class=s.MeasurementBulkSerializer)
    def bulk(self, request: Request) -> Response:
        return idempotent(request, lambda: self._bulk(request))

    def _bulk(self, request: Request) -> Response:
        body = s.MeasurementBulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = body.validated_data["measurements"]
        indicators = self._indicators({row["indicator"] for row in rows})
        missing = {
            str(index): {"indicator": [_("Choose an indicator you can see.")]}
            for index, row in enumerate(rows)
            if row["indicator"] not in indicators
        }
        if missing:
            raise ValidationError({"rows": missing})
        with service_errors(), acting(request):
            created = services.measurements_add(
                actor=person(request),
                rows=[
                    services.NewMeasurement(
                        indicator=indicators[row["indicator"]],
                        on=row["date"],
                        value=row["value"],
                        source=row["source"],
                    )
                    for row in rows
                ],
            )
        return Response({"created": len(created), "ids": [m.pk for m in created]}, status=201)


@_documented("experiment", "experiments", ex.EXPERIMENT)
class ExperimentViewSet(OfVisiblePartnerships):
    model = Experiment
    serializer_class = s.ExperimentSerializer
    filterset_class = api_filters.ExperimentFilter
    ordering_fields = ["id", "started_on", "ends_on"]


@_documented("financial need", "financial needs", ex.FINANCIAL_NEED)
class FinancialNeedViewSet(OfVisiblePartnerships):
    """Money is for the partner organizations (the city among them): participants and
    anyone else see none, as on the web."""

    model = FinancialNeed
    serializer_class = s.FinancialNeedSerializer
    filterset_class = api_filters.FinancialNeedFilter
    ordering_fields = ["id", "amount", "created_at"]

    def partnerships(self) -> QuerySet[Partnership]:
        return Partnership.objects.contributed_by(person(self.request))


@_documented("practice", "practices", ex.PRACTICE)
class PracticeViewSet(ReadOnly):
    serializer_class = s.PracticeSerializer
    queryset = Practice.objects.all()
    ordering = ["number"]
    ordering_fields = ["number", "name"]


@_documented("pathway", "pathways", ex.PATHWAY)
class PathwayViewSet(ReadOnly):
    serializer_class = s.PathwaySerializer
    queryset = ModelPathway.objects.prefetch_related("stages")
    ordering = ["order"]
    ordering_fields = ["order", "name"]


@_documented("stage", "stages", ex.STAGE)
class StageViewSet(ReadOnly):
    serializer_class = s.StageSerializer
    queryset = Stage.objects.all()
    filterset_class = api_filters.StageFilter
    ordering = ["pathway", "order"]
    ordering_fields = ["order", "name"]


@_documented(
    "comment",
    "comments",
    ex.COMMENT,
    answer=extend_schema(
        summary="Answer a comment (you said, we did)",
        description="A partner of the partnership answers a beneficiary's comment once, and "
        "may name the plan version it changed (published after the comment). The commenter "
        "is told. Replies are not answered, the comment they belong to is. Send an "
        "Idempotency-Key to make a retry safe.",
        parameters=[IDEMPOTENCY_KEY],
        request=s.CommentAnswerCreateSerializer,
        responses={201: s.CommentSerializer},
        examples=[
            ex.request("answer", ex.COMMENT_ANSWER_CREATE),
            ex.response("answered", ex.COMMENT),
        ],
    ),
)
class CommentViewSet(OfVisiblePartnerships):
    """The comments on partnerships' plans as the plan page shows them to the caller: a
    hidden comment only to the partnership's moderators and to its author."""

    model = Comment
    serializer_class = s.CommentSerializer
    filterset_class = api_filters.CommentFilter
    ordering = ["created_at", "id"]
    ordering_fields = ["id", "created_at"]

    def visible(self) -> QuerySet[Any]:
        user = person(self.request)
        partnerships = self.partnerships()
        comments = Comment.objects.filter(partnership__in=partnerships)
        # Only partnerships with something hidden need the moderation predicate.
        with_hidden = partnerships.filter(
            pk__in=comments.filter(hidden_at__isnull=False).values("partnership_id")
        )
        moderated = [
            p.pk
            for p in with_hidden
            if beneficiary_perms.can_view_comments(user, p)
            and beneficiary_perms.can_moderate(user, p)
        ]
        shown = Comment.objects.shown(user, moderator=False).filter(partnership__in=partnerships)
        return Comment.objects.filter(
            Q(pk__in=shown.values("pk")) | Q(partnership_id__in=moderated)
        ).select_related("section", "answer")

    @action(detail=True, methods=["post"], serializer_class=s.CommentAnswerCreateSerializer)
    def answer(self, request: Request, pk: str) -> Response:
        return idempotent(request, lambda: self._answer(request))

    def _answer(self, request: Request) -> Response:
        comment = self.get_object()
        body = s.CommentAnswerCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        changed_version = None
        if data.get("changed_version") is not None:
            changed_version = PlanVersion.objects.filter(
                pk=data["changed_version"], partnership_id=comment.partnership_id
            ).first()
            if changed_version is None:
                raise ValidationError(
                    {"changed_version": [_("Choose a version of this partnership's plan.")]}
                )
        with service_errors(), acting(request):
            beneficiary_services.comment_answer(
                actor=person(request),
                comment=comment,
                body=data["body"],
                changed_version=changed_version,
            )
        comment = self.get_queryset().get(pk=comment.pk)
        response = Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)
        return with_etag(response, comment.version)


@_documented(
    "notification",
    "notifications",
    ex.NOTIFICATION,
    mark_read=extend_schema(
        summary="Mark notifications read",
        description="Marks your own notifications read: those whose ids you send, or all "
        "of them when you send none. Answers how many were unread and are read now.",
        request=s.MarkReadSerializer,
        responses={200: s.MarkReadResultSerializer},
        examples=[ex.request("these", {"ids": [901]}), ex.response("marked", {"marked": 1})],
    ),
)
class NotificationViewSet(ReadOnly):
    """The calling person's own notifications (the token's person's), as the notifications
    page lists them: none about a partnership they may no longer see."""

    model = Notification
    serializer_class = s.NotificationSerializer
    filterset_class = api_filters.NotificationFilter
    ordering = ["-created_at", "-id"]
    ordering_fields = ["id", "created_at"]

    def visible(self) -> QuerySet[Any]:
        user = person(self.request)
        return Notification.objects.filter(recipient=user).filter(
            Q(partnership_id__isnull=True)
            | Q(partnership_id__in=visible_partnerships(self.request).values("pk"))
        )

    @action(
        detail=False,
        methods=["post"],
        url_path="mark-read",
        serializer_class=s.MarkReadSerializer,
        filter_backends=[],
        pagination_class=None,
    )
    def mark_read(self, request: Request) -> Response:
        body = s.MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ids = body.validated_data.get("ids")
        with service_errors():
            marked = notification_services.notifications_mark_read(actor=person(request), ids=ids)
        return Response({"marked": marked})
