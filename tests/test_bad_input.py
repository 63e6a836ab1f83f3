"""Whatever a person types into any form of the project, the answer is never a 5xx.

Every URL that accepts a POST is in ``FORMS`` (a test fails when one is missing), with
the fields it reads and a valid submission to start from. Each field in turn gets
hostile values: very long text, unicode with emoji and right-to-left marks, NUL bytes
(which PostgreSQL refuses in text), numbers that overflow or are not numbers, dates
that do not exist, ids that do not exist, belong to another partnership or city, or are
not numbers at all, and duplicated values. Each is sent as a plain POST and as an htmx
POST, by every persona allowed to post there.

- ``REJECT``: the form must refuse it: status 400 (200 for allauth's own forms, which
  answer a rejected form that way) and no row of the project's tables changes.
- ``ANY``: the value may be fine (a long problem statement, an emoji): any answer
  below 500; if the form refused it, nothing changed.

Run on SQLite and on PostgreSQL: NUL bytes and overflowing numbers only fail there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from beneficiaries.models import Training
from notifications.services import unsubscribe_token
from partnerships.models import CheckIn, Partnership
from playbook.models import Practice, Stage
from tests import factories as f
from tests.cities.world import cities_scene
from tests.conftest import PERSONAS, World
from tests.test_url_walk import EXPECTED, Scene, _bundle, all_routes, invited_partner

REJECT = "reject"
ANY = "any"
HTMX = {"HTTP_HX_REQUEST": "true"}
LONG = "x" * 10_000
UNICODE = "Ñandú 🌽👩🏽‍🍳 \u202eدعم الجيران\u202c 中文 \u200b"
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _english_and_fresh_limits() -> Iterator[None]:
    # allauth counts failed attempts in the cache; hundreds of hostile posts would
    # otherwise end in its rate limit (a 429) instead of the form's answer.
    cache.clear()
    with translation.override("en"):
        yield


@pytest.fixture
def scene(world: World) -> Scene:
    from accounts.models import Invitation, Membership
    from playbook.models import ModelPathway

    pathway = ModelPathway.objects.order_by("order").first()
    assert pathway is not None, "the playbook's pathways are seeded by a migration"
    return Scene(
        world=world,
        mine=_bundle(world.partnership, world.city_staff),
        theirs=_bundle(world.other_partnership, world.other_city_staff),
        membership=Membership.objects.get(user=world.city_staff, organization=world.city),
        invitation=Invitation.objects.create(
            organization=world.city, email="newcomer@example.org", invited_by=world.city_admin
        ),
        pathway_slug=pathway.slug,
        invited=invited_partner(world),
    )


# --- Hostile values by kind of field ------------------------------------------------

Value = str | list[str]
Hostile = list[tuple[str, Value, str]]  # (label, value, expectation)

NUL_TEXT: Hostile = [("nul", "\x00", REJECT), ("nul inside", "good\x00bad", REJECT)]
TEXT: Hostile = [
    *NUL_TEXT,
    ("long", LONG, ANY),
    ("unicode", UNICODE, ANY),
    ("markup", "<script>alert(1)</script>", ANY),
    ("only spaces", "   ", ANY),
]
NUMBER: Hostile = [
    ("1e309", "1e309", REJECT),
    ("NaN", "NaN", REJECT),
    ("Infinity", "-Infinity", REJECT),
    ("20 digits", "99999999999999999999", REJECT),
    ("not a number", "lots", REJECT),
    ("nul", "1\x00", REJECT),
    ("long", "9" * 10_000, REJECT),
    ("minus zero", "-0", ANY),
    ("unicode digits", "١٢٣", ANY),
]
DATE: Hostile = [
    ("30 February", "2026-02-30", REJECT),
    ("year zero", "0000-00-00", REJECT),
    ("not a date", "tomorrow", REJECT),
    ("nul", "2026-01-01\x00", REJECT),
    ("long", LONG, REJECT),
    ("last day", "9999-12-31", ANY),
    ("first day", "0001-01-01", ANY),
]
CHOICE: Hostile = [
    ("markup", "<script>", REJECT),
    ("code", "__import__('os')", REJECT),
    ("nul", "\x00", REJECT),
    ("long", LONG, REJECT),
]
ID_BASE: Hostile = [
    ("missing id", "987654321", REJECT),
    ("negative id", "-1", REJECT),
    ("not a number", "abc", REJECT),
    ("20 digits", "99999999999999999999", REJECT),
    ("1e309", "1e309", REJECT),
    ("nul", "1\x00", REJECT),
    ("long", LONG, REJECT),
]


@dataclass(frozen=True)
class Field:
    kind: str  # text, number, date, choice, id, ids (several ids), multi (several choices)
    # Values that belong to another partnership or city: always refused.
    foreign: Callable[[Scene], list[str]] | None = None
    required: bool = True

    def hostile(self, scene: Scene, valid: Value) -> Hostile:
        values: Hostile
        if self.kind == "text":
            values = list(TEXT)
        elif self.kind == "number":
            values = list(NUMBER)
        elif self.kind == "date":
            values = list(DATE)
        elif self.kind == "choice":
            values = list(CHOICE)
        elif self.kind in ("id", "ids"):
            values = list(ID_BASE)
            values += [(f"foreign id {v}", v, REJECT) for v in self._foreign(scene)]
        elif self.kind == "multi":
            values = list(CHOICE)
        else:
            raise AssertionError(self.kind)
        if self.kind in ("ids", "multi"):
            # Several values: each hostile one alone, and next to a valid one.
            first = valid[0] if isinstance(valid, list) and valid else None
            values = [(label, [v] if isinstance(v, str) else v, exp) for label, v, exp in values]
            if first is not None:
                values += [
                    (f"{label} next to a valid one", [first, v[0]], exp)
                    for label, v, exp in values
                    if exp == REJECT
                ]
                values.append(("duplicated", [first, first], ANY))
        elif valid:
            values.append(("duplicated", [str(valid), str(valid)], ANY))
        values.append(("empty", [] if self.kind in ("ids", "multi") else "", ANY))
        return values

    def _foreign(self, scene: Scene) -> list[str]:
        return [str(v) for v in self.foreign(scene)] if self.foreign else []


def _paper_participant(scene: Scene) -> dict[str, Any]:
    """A participant of our partnership without e-mail, who signs in with printed codes."""
    from accounts.models import User
    from partnerships.models import Participant

    person, _ = User.objects.get_or_create(email="paper.person@no-email.invalid")
    participant, _ = Participant.objects.get_or_create(
        partnership=scene.mine.partnership, user=person
    )
    return {"pk": scene.mine.partnership.pk, "participant_pk": participant.pk}


def _begun_training(scene: Scene) -> dict[str, Any]:
    training = scene.mine.training
    Training.objects.filter(pk=training.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    return {"pk": scene.mine.partnership.pk, "training_pk": training.pk}


# --- The forms ------------------------------------------------------------------------


@dataclass(frozen=True)
class Form:
    personas: tuple[str, ...]
    valid: Callable[[Scene], dict[str, Value]] = lambda scene: {}
    fields: dict[str, Field] = field(default_factory=dict)
    # What an empty POST is: a rejected form for most; an action without fields for some.
    empty: str = REJECT
    # allauth answers a rejected form with 200 and the form again.
    rejected: int = 400
    # Hostile values are tried by these personas; the empty POST by all of ``personas``.
    hostile_by: tuple[str, ...] = ()
    kwargs: Callable[[Scene], dict[str, Any]] | None = None
    # A view that falls back to its defaults for anything unknown: every value is ``ANY``.
    lenient: bool = False
    # How a valid submission is answered: a redirect, or a page of its own (a new API
    # token's secret is shown on the answer itself, once, never stored).
    accepted: int = 302

    def url(self, key: str, scene: Scene) -> str:
        builder = self.kwargs or EXPECTED[key].kwargs
        return reverse(key, kwargs=builder(scene))


MANAGERS = ("city_staff", "city_admin")
CONTRIBUTORS = ("city_staff", "city_admin", "entrepreneur")
PEOPLE_OF_THE_PARTNERSHIP = (*CONTRIBUTORS, "beneficiary")
SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")


def _first_statement() -> str:
    from playbook.models import SurveyStatement

    statement = SurveyStatement.objects.filter(asked_of="everyone").order_by("pk").first()
    assert statement is not None, "the survey's statements are seeded by a migration"
    return f"s{statement.pk}"


def _iso(days: int = 0) -> str:
    return (TODAY() + timedelta(days=days)).isoformat()


def _other_orgs(scene: Scene) -> list[int]:
    """Organizations of the other city's partnership: its city, its lead, its partner."""
    theirs = scene.theirs
    return [
        theirs.partnership.city_id,
        theirs.partnership.lead_id,
        theirs.partner.organization_id,
    ]


def _other_people(scene: Scene) -> list[int]:
    return [scene.world.other_city_staff.pk, scene.world.outsider.pk]


def _other_pathway_stage(scene: Scene) -> list[int]:
    p = scene.mine.partnership
    return list(
        Stage.objects.exclude(pathway_id=p.pathway_id).values_list("pk", flat=True)[:1]
        if p.pathway_id
        else []
    )


def _first_practice(scene: Scene) -> list[str]:
    return [str(Practice.objects.order_by("pk").values_list("pk", flat=True).first())]


def _held_checkin(scene: Scene) -> CheckIn:
    """A check-in of ours that was held, made when first asked for."""
    held, _created = CheckIn.objects.get_or_create(
        partnership=scene.mine.partnership,
        status=CheckIn.Status.HELD,
        defaults={"due_date": TODAY(), "held_on": TODAY()},
    )
    return held


def _participant(scene: Scene) -> int:
    return scene.mine.partnership.participants.values_list("pk", flat=True)[0]


def _not_mine(scene: Scene) -> list[int]:
    """Organizations the entrepreneur does not act for: another enterprise, a city."""
    return [scene.world.outsider_org.pk, scene.world.city.pk]


def _site_staff() -> Any:
    """Site staff are no persona of the world: only the review of cities is theirs."""
    from accounts.models import User

    user = User.objects.filter(email="reviewer@tandem.example").first()
    return user or f.UserFactory(email="reviewer@tandem.example", is_staff=True)


def _pending_city(scene: Scene) -> dict[str, Any]:
    from accounts.models import Organization

    city, _created = Organization.objects.get_or_create(
        slug="city-of-pending",
        defaults={"name": "City of Pending", "kind": "city", "country": "US", "status": "pending"},
    )
    return {"pk": city.pk}


FORMS: dict[str, Form] = {
    # --- The partnership itself
    "partnerships:create": Form(
        personas=MANAGERS,
        kwargs=lambda s: {},
        valid=lambda s: {
            "city": str(s.world.city.pk),
            "lead": str(s.world.outsider_org.pk),
            "title": "Warm homes for winter",
            "goal": "No household without heating by 2028",
            "problem_statement": "Older people cannot afford to heat their homes.",
            "lead_role": "Runs the home visits.",
            "pathway": "",
            "stage": "",
            "status": Partnership.Status.EXPLORING,
            "cadence": Partnership.Cadence.MONTHLY,
            "start_date": _iso(),
            "point_of_contact": str(s.world.city_staff.pk),
            "visibility": Partnership.Visibility.PRIVATE,
            "public_summary": "",
        },
        fields={
            "form_token": Field("text", required=False),
            "city": Field("id", foreign=lambda s: [s.world.other_city.pk, s.world.enterprise.pk]),
            "lead": Field("id", foreign=lambda s: [s.world.city.pk, s.world.other_city.pk]),
            "title": Field("text"),
            "goal": Field("text"),
            "problem_statement": Field("text"),
            "lead_role": Field("text", required=False),
            "new_lead_name": Field("text", required=False),
            "new_lead_kind": Field("choice", required=False),
            "new_lead_email": Field("text", required=False),
            "pathway": Field("id", required=False),
            "stage": Field("id", required=False),
            "status": Field("choice"),
            "cadence": Field("choice"),
            "start_date": Field("date"),
            "point_of_contact": Field("id", foreign=_other_people),
            "visibility": Field("choice"),
            "public_summary": Field("text", required=False),
        },
    ),
    "partnerships:edit": Form(
        personas=MANAGERS,
        valid=lambda s: {
            "title": "Community meals, renamed",
            "goal": s.mine.partnership.goal,
            "status": s.mine.partnership.status,
            "cadence": s.mine.partnership.cadence,
            "start_date": s.mine.partnership.start_date.isoformat(),
            "point_of_contact": str(s.world.city_staff.pk),
            "visibility": s.mine.partnership.visibility,
            "public_summary": "",
            "expected_version": str(s.mine.partnership.version),
        },
        fields={
            "expected_version": Field("number"),
            "title": Field("text"),
            "goal": Field("text"),
            "status": Field("choice"),
            "cadence": Field("choice"),
            "start_date": Field("date"),
            "point_of_contact": Field(
                "id", foreign=lambda s: [*_other_people(s), s.world.entrepreneur.pk]
            ),
            "visibility": Field("choice"),
            "public_summary": Field("text", required=False),
        },
    ),
    "partnerships:reframe": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {
            "statement": "Older neighbours are lonely; the meal is the reason to meet.",
            "learned": "Residents told us company mattered more than food.",
            "reframed_on": _iso(),
        },
        fields={
            "form_token": Field("text", required=False),
            "statement": Field("text"),
            "learned": Field("text"),
            "reframed_on": Field("date"),
        },
    ),
    "partnerships:stage_move": Form(
        personas=MANAGERS,
        valid=lambda s: {
            "stage": str(Stage.objects.order_by("pathway__order", "order").values_list("pk")[1][0]),
            "reason": "The pilot worked.",
        },
        fields={"stage": Field("id", foreign=_other_pathway_stage), "reason": Field("text")},
    ),
    # --- Partners and responsibilities
    "partnerships:partner_add": Form(
        personas=MANAGERS,
        valid=lambda s: {
            "organization": str(s.world.outsider_org.pk),
            "role_description": "Lends the kitchen.",
        },
        fields={
            "form_token": Field("text", required=False),
            # The city and organizations already in are refused too.
            "organization": Field(
                "id",
                foreign=lambda s: [
                    s.world.city.pk,
                    s.world.enterprise.pk,
                    s.mine.partner.organization_id,
                ],
            ),
            "role_description": Field("text"),
            "new_organization_name": Field("text", required=False),
            "new_organization_kind": Field("choice", required=False),
            "new_organization_email": Field("text", required=False),
        },
    ),
    # --- Answering an invitation: a button, and a decline with an optional reason
    "partnerships:invitation_accept": Form(personas=("entrepreneur",), empty=ANY),
    "partnerships:invitation_decline": Form(
        personas=("entrepreneur",),
        empty=ANY,
        valid=lambda s: {"reason": "Not this year."},
        fields={"reason": Field("text", required=False)},
    ),
    "partnerships:partner_edit": Form(
        personas=MANAGERS,
        valid=lambda s: {"role_description": "Delivers the meals."},
        fields={"role_description": Field("text")},
    ),
    "partnerships:partner_remove": Form(personas=MANAGERS, empty=ANY),
    "partnerships:responsibility_add": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {
            "organization": str(s.world.city.pk),
            "description": "Find a hall",
            "due_date": _iso(14),
        },
        fields={
            "form_token": Field("text", required=False),
            "organization": Field("id", foreign=_other_orgs),
            "description": Field("text"),
            "due_date": Field("date", required=False),
        },
    ),
    "partnerships:responsibility_edit": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {"status": "in_progress", "due_date": _iso(20), "expected_version": "1"},
        fields={
            "expected_version": Field("number"),
            "status": Field("choice"),
            "due_date": Field("date", required=False),
        },
    ),
    # --- Plan, check-ins, evidence, experiments, money
    "partnerships:plan_publish": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {
            "sections-TOTAL_FORMS": "2",
            "sections-INITIAL_FORMS": "0",
            "sections-MIN_NUM_FORMS": "0",
            "sections-MAX_NUM_FORMS": "50",
            "sections-0-heading": "Why",
            "sections-0-summary": "Nobody should eat alone.",
            "sections-0-body": "Because neighbours eat alone.",
            "sections-1-heading": "",
            "sections-1-body": "",
            "note": "First version",
            "expected_version": "1",
        },
        fields={
            "form_token": Field("text", required=False),
            "sections-TOTAL_FORMS": Field("number"),
            "expected_version": Field("number"),
            "sections-0-heading": Field("text"),
            "sections-0-summary": Field("text", required=False),
            "sections-0-body": Field("text"),
            "sections-1-heading": Field("text", required=False),
            "note": Field("text", required=False),
        },
    ),
    "partnerships:checkin_schedule": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {"due_date": _iso(10)},
        fields={
            "form_token": Field("text", required=False),
            "due_date": Field("date"),
            "time": Field("text", required=False),
            "place": Field("text", required=False),
        },
    ),
    "partnerships:checkin_move": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {"due_date": _iso(12), "time": "09:00", "place": "Library"},
        fields={
            "due_date": Field("date"),
            "time": Field("text", required=False),
            "place": Field("text", required=False),
        },
    ),
    "partnerships:checkin_record": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {
            "held": "yes",
            "held_on": _iso(),
            "attendees": [str(s.world.city_staff.pk)],
            "attending_organizations": [str(s.world.enterprise.pk)],
            "notes": "We talked.",
            "decisions": "Keep going.",
            "follow_ups": "Rosa books the hall.",
        },
        fields={
            "held": Field("choice"),
            "held_on": Field("date", required=False),
            "attendees": Field("ids", foreign=_other_people),
            "attending_organizations": Field("ids", foreign=_other_orgs),
            "notes": Field("text", required=False),
            "decisions": Field("text", required=False),
            "follow_ups": Field("text", required=False),
        },
    ),
    "partnerships:progress_log": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {
            "organization": str(s.world.city.pk),
            "date": _iso(),
            "text": "Cooked for forty neighbours.",
            "practices": _first_practice(s),
            "levers": ["data"],
        },
        fields={
            "form_token": Field("text", required=False),
            # Nobody in this walk belongs to both the city and the lead, so each is foreign
            # to someone; the other city's organizations are foreign to all.
            "organization": Field("id", foreign=_other_orgs),
            "date": Field("date"),
            "text": Field("text"),
            "practices": Field("ids"),
            "levers": Field("multi"),
        },
    ),
    "partnerships:measurement_add": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {"date": _iso(), "value": "42.5", "source": "Case records"},
        fields={
            "form_token": Field("text", required=False),
            "date": Field("date"),
            "value": Field("number"),
            "source": Field("text"),
        },
    ),
    "partnerships:indicator_create": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {
            "name": "Meals served",
            "unit": "meals",
            "direction": "up",
            "baseline": "0",
            "target": "1000",
            "target_date": _iso(365),
        },
        fields={
            "form_token": Field("text", required=False),
            "name": Field("text"),
            "unit": Field("text"),
            "direction": Field("choice"),
            "baseline": Field("number"),
            "target": Field("number"),
            "target_date": Field("date"),
        },
    ),
    "partnerships:experiment_start": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {
            "title": "Saturday lunches",
            "hypothesis": "More people come at weekends.",
            "what_is_tried": "Open on Saturdays for a month.",
            "started_on": _iso(),
            "ends_on": _iso(30),
        },
        fields={
            "form_token": Field("text", required=False),
            "title": Field("text"),
            "hypothesis": Field("text"),
            "what_is_tried": Field("text"),
            "started_on": Field("date"),
            "ends_on": Field("date", required=False),
        },
    ),
    "partnerships:experiment_close": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {"result": "Twice as many came.", "decision": "adopt", "ended_on": _iso()},
        fields={"result": Field("text"), "decision": Field("choice"), "ended_on": Field("date")},
    ),
    "partnerships:need_state": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {
            "organization": str(s.world.city.pk),
            "amount": "1500",
            "currency": "EUR",
            "period": "2027",
            "purpose": "A second cook",
        },
        fields={
            "form_token": Field("text", required=False),
            "organization": Field("id", foreign=_other_orgs),
            "amount": Field("number"),
            "currency": Field("choice"),
            "period": Field("text"),
            "purpose": Field("text"),
        },
    ),
    "partnerships:need_update": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {
            "status": "partly_met",
            "discussion_notes": "Talked at the check-in.",
            "expected_version": "1",
        },
        fields={
            "expected_version": Field("number"),
            "status": Field("choice"),
            "discussion_notes": Field("text", required=False),
        },
    ),
    # --- People taking part in a partnership
    "beneficiaries:people": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {"email": "cook@example.org", "role": "co_planner"},
        fields={"email": Field("choice"), "role": Field("choice")},
    ),
    "beneficiaries:invitation_revoke": Form(personas=CONTRIBUTORS, empty=ANY),
    # The plan's comments: everyone of the partnership speaks; the partners answer.
    "beneficiaries:section": Form(
        personas=PEOPLE_OF_THE_PARTNERSHIP,
        hostile_by=("beneficiary",),
        valid=lambda s: {"body": "More Tuesdays, please."},
        fields={"form_token": Field("text", required=False), "body": Field("text")},
    ),
    "beneficiaries:comment_reply": Form(
        personas=PEOPLE_OF_THE_PARTNERSHIP,
        hostile_by=("beneficiary",),
        valid=lambda s: {"body": "Yes, and Fridays."},
        fields={"form_token": Field("text", required=False), "body": Field("text")},
    ),
    "beneficiaries:comment_edit": Form(
        personas=("beneficiary",),
        valid=lambda s: {"body": "More Tuesdays and Fridays.", "expected_version": "1"},
        fields={"body": Field("text"), "expected_version": Field("number")},
    ),
    "beneficiaries:comment_report": Form(
        personas=CONTRIBUTORS,
        hostile_by=("entrepreneur",),
        valid=lambda s: {"reason": "spam"},
        fields={"reason": Field("choice")},
    ),
    "beneficiaries:comment_moderate": Form(
        personas=CONTRIBUTORS,
        hostile_by=("entrepreneur",),
        valid=lambda s: {"decision": "hide", "reason": "It shows a phone number."},
        fields={"decision": Field("choice"), "reason": Field("text")},
    ),
    "beneficiaries:comment_answer": Form(
        personas=CONTRIBUTORS,
        hostile_by=("entrepreneur",),
        valid=lambda s: {"body": "We added a Tuesday lunch.", "changed_version": ""},
        fields={
            "body": Field("text"),
            "changed_version": Field(
                "id", required=False, foreign=lambda s: [s.theirs.plan_version.pk]
            ),
        },
    ),
    "beneficiaries:voice_record": Form(
        personas=CONTRIBUTORS,
        hostile_by=("entrepreneur",),
        valid=lambda s: {
            "section": str(s.mine.section.pk),
            "body": "Lunch should be earlier in winter.",
            "spoken_on": _iso(),
            "spoken_by": "",
            "organization": "",
        },
        fields={
            "form_token": Field("text", required=False),
            "section": Field("id", foreign=lambda s: [s.theirs.section.pk]),
            "body": Field("text"),
            "spoken_on": Field("date"),
            "spoken_by": Field("text", required=False),
            "organization": Field("id", required=False, foreign=_other_orgs),
        },
    ),
    # Saying who took part in a held check-in; none is a fine answer too.
    "beneficiaries:checkin_attendance": Form(
        personas=CONTRIBUTORS,
        hostile_by=("entrepreneur",),
        kwargs=lambda s: {"pk": s.mine.partnership.pk, "checkin_pk": _held_checkin(s).pk},
        valid=lambda s: {"participants": [str(_participant(s))]},
        fields={"participants": Field("ids", required=False)},
        empty=ANY,
    ),
    "beneficiaries:invitation_print": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {"role": "reviewer"},
        fields={"role": Field("choice")},
        hostile_by=("entrepreneur",),
    ),
    # For someone without e-mail (the scene's beneficiary has an address: always refused).
    "beneficiaries:sign_in_code_print": Form(
        personas=CONTRIBUTORS, empty=ANY, kwargs=lambda s: _paper_participant(s)
    ),
    "beneficiaries:join": Form(
        personas=("anonymous", "beneficiary"),
        valid=lambda s: {"code": s.mine.printed_invitation.code or ""},
        fields={"code": Field("text")},
        hostile_by=("anonymous",),
    ),
    # Without a code typed first it sends the visitor back to type one, whatever is posted.
    "beneficiaries:join_welcome": Form(
        personas=("anonymous",), empty=ANY, lenient=True, fields={"name": Field("text")}
    ),
    "beneficiaries:consent": Form(personas=SIGNED_IN, valid=lambda s: {"agree": "on"}),
    "beneficiaries:consent_withdraw": Form(personas=SIGNED_IN, empty=ANY),
    "beneficiaries:account_delete": Form(
        personas=("beneficiary", "other_beneficiary", "entrepreneur"),
        valid=lambda s: {"confirm": "on"},
    ),
    "beneficiaries:training_schedule": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {
            "topic": "other",
            "own_topic": "Speaking at the council",
            "starts_at": (timezone.localtime() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Library",
            "capacity": "12",
        },
        fields={
            "topic": Field("choice"),
            "own_topic": Field("text", required=False),
            "starts_at": Field("date"),
            "place": Field("text"),
            "capacity": Field("number"),
        },
        hostile_by=("city_staff",),
    ),
    # Buttons: a participant takes or gives up a place.
    "beneficiaries:training_signup": Form(personas=("beneficiary",), empty=ANY),
    "beneficiaries:training_cancel": Form(personas=("beneficiary",), empty=ANY),
    # Who came, on a training that has begun; nobody ticked is an answer too.
    "beneficiaries:training_attendance": Form(
        personas=CONTRIBUTORS,
        empty=ANY,
        kwargs=lambda s: _begun_training(s),
    ),
    # The invitation went to an address no persona has: every acceptance is refused.
    "beneficiaries:invitation_accept": Form(personas=SIGNED_IN),
    # --- Practice health
    "health:round_open": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {"closes_on": _iso(14)},
        fields={"closes_on": Field("date")},
    ),
    "health:round_close": Form(personas=CONTRIBUTORS, empty=ANY),
    "health:survey": Form(
        personas=("city_staff", "city_admin", "entrepreneur", "beneficiary"),
        valid=lambda s: {_first_statement(): "4"},
        fields={"remark": Field("text", required=False)},
        # A statement's answer is a radio choice: anything else is refused with the form.
        hostile_by=("beneficiary",),
    ),
    "health:values": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {
            "text": "People first; evidence before opinions; we stay.",
            "based_on": "0",
        },
        fields={"text": Field("text"), "based_on": Field("number")},
    ),
    "health:values_agree": Form(
        personas=("city_admin", "entrepreneur"),
        valid=lambda s: {"organization": str(s.world.enterprise.pk)},
        fields={"organization": Field("choice")},
        hostile_by=("entrepreneur",),
    ),
    # --- The cities room (tests/cities/world.py)
    "cities:contact": Form(
        personas=("city_admin",),
        valid=lambda s: {"person": str(s.world.city_staff.pk), "expected_version": "1"},
        fields={"person": Field("id", foreign=_other_people), "how_to_reach": Field("text")},
    ),
    "cities:introduce": Form(
        personas=("entrepreneur",),
        valid=lambda s: {"organization": str(s.world.enterprise.pk), "message": "Hello"},
        fields={"organization": Field("id", foreign=_not_mine), "message": Field("text")},
    ),
    "cities:introduction_status": Form(
        personas=MANAGERS,
        hostile_by=("city_staff",),
        valid=lambda s: {
            "status": "talking",
            "expected_version": str(cities_scene(s).introduction.version),
        },
        fields={"status": Field("choice"), "reason": Field("text", required=False)},
    ),
    "cities:introduction_note": Form(
        personas=MANAGERS,
        hostile_by=("city_staff",),
        valid=lambda s: {"text": "Call them back"},
        fields={"text": Field("text")},
    ),
    "cities:introduction_open": Form(
        personas=MANAGERS,
        hostile_by=("city_staff",),
        valid=lambda s: {"title": "Meals", "goal": "Fewer alone", "problem_statement": "Alone"},
        fields={"title": Field("text"), "pathway": Field("id", required=False)},
    ),
    "cities:experiences": Form(
        personas=MANAGERS,
        hostile_by=("city_staff",),
        valid=lambda s: {
            "department": "Parks",
            "organization_name": "Trees",
            "what_happened": "Planted",
            "what_was_learned": "Water",
        },
        fields={"department": Field("text"), "what_happened": Field("text")},
    ),
    "cities:experience_edit": Form(
        personas=MANAGERS,
        hostile_by=("city_staff",),
        valid=lambda s: {
            "department": "Parks",
            "organization_name": "Trees",
            "what_happened": "Planted",
            "what_was_learned": "Water",
            "expected_version": str(cities_scene(s).experience.version),
        },
        fields={"what_was_learned": Field("text"), "expected_version": Field("number")},
    ),
    "cities:statement_section": Form(
        personas=MANAGERS,
        hostile_by=("city_staff",),
        valid=lambda s: {"body": "Why we build relationships", "expected_version": "1"},
        fields={"body": Field("text", required=False)},
    ),
    "cities:statement_invite": Form(
        personas=MANAGERS,
        hostile_by=("city_staff",),
        valid=lambda s: {"organization": str(s.world.outsider_org.pk)},
        fields={"organization": Field("id", foreign=lambda s: [s.world.other_city.pk])},
    ),
    "cities:statement_comment": Form(
        personas=("entrepreneur",),
        valid=lambda s: {"organization": str(s.world.enterprise.pk), "text": "Say more"},
        fields={"organization": Field("id", foreign=_not_mine), "text": Field("text")},
    ),
    "cities:statement_endorse": Form(
        personas=("entrepreneur",),
        valid=lambda s: {"organization": str(s.world.enterprise.pk)},
        fields={"organization": Field("id", foreign=_not_mine)},
    ),
    "cities:statement_publish": Form(
        personas=("city_admin",),
        valid=lambda s: {"change_note": "Clearer"},
        fields={"change_note": Field("text", required=False)},
    ),
    "cities:story_add": Form(
        personas=MANAGERS,
        hostile_by=("city_staff",),
        valid=lambda s: {"title": "Our meals", "body": "We listened."},
        fields={"title": Field("text"), "practices": Field("ids", required=False)},
    ),
    "cities:offer": Form(
        personas=("entrepreneur",),
        valid=lambda s: {
            "who_we_are": "Cooks",
            "value": "Meals",
            "needs": "A kitchen",
            "expected_version": "1",
        },
        fields={"who_we_are": Field("text"), "beneficiaries": Field("text", required=False)},
    ),
    "cities:checklist_item": Form(
        personas=MANAGERS,
        hostile_by=("city_staff",),
        valid=lambda s: {"done": "on", "expected_version": "1"},
        fields={"note": Field("text", required=False), "evidence_url": Field("text")},
    ),
    # Only the network's administrator (no persona) manages it: its members' people are refused.
    "cities:network_member_add": Form(personas=("entrepreneur",), rejected=403),
    "cities:network_member_remove": Form(personas=("entrepreneur",), rejected=403),
    "partnerships:indicator_edit": Form(
        personas=CONTRIBUTORS,
        valid=lambda s: {
            "name": "Meals served",
            "unit": "meals",
            "direction": "up",
            "baseline": "0",
            "target": "1000",
            "target_date": _iso(365),
            "expected_version": "1",
        },
        fields={
            "expected_version": Field("number"),
            "name": Field("text"),
            "unit": Field("text"),
            "direction": Field("choice"),
            "baseline": Field("number"),
            "target": Field("number"),
            "target_date": Field("date"),
        },
    ),
    "partnerships:measurement_correct": Form(
        personas=MANAGERS,
        valid=lambda s: {"date": _iso(), "value": "43", "source": "Case records, recounted"},
        fields={"date": Field("date"), "value": Field("number"), "source": Field("text")},
    ),
    "partnerships:measurement_withdraw": Form(personas=MANAGERS, empty=ANY),
    "partnerships:progress_correct": Form(
        personas=MANAGERS,
        valid=lambda s: {"date": _iso(), "text": "Cooked for forty-two neighbours."},
        fields={"date": Field("date"), "text": Field("text")},
    ),
    "partnerships:progress_withdraw": Form(personas=MANAGERS, empty=ANY),
    # --- Archiving and deleting: buttons for the city's administrators
    "partnerships:archive": Form(personas=("city_admin",), empty=ANY),
    "partnerships:unarchive": Form(personas=("city_admin",), empty=ANY),
    "partnerships:delete": Form(personas=("city_admin",), empty=ANY),
    # --- Organizations and people
    "accounts:organization_create": Form(
        personas=SIGNED_IN,
        hostile_by=("outsider",),
        valid=lambda s: {
            "name": "Neighbourhood Cooks",
            "kind": "community_group",
            "country": "US",
            "languages": "en",
            "website": "https://cooks.example.org",
            "description": "We cook together.",
        },
        fields={
            "name": Field("text"),
            "kind": Field("choice"),
            "country": Field("choice"),
            "languages": Field("text", required=False),
            "website": Field("choice", required=False),
            "description": Field("text", required=False),
        },
    ),
    "accounts:profile": Form(
        personas=SIGNED_IN,
        hostile_by=("beneficiary",),
        valid=lambda s: {"name": "A new name", "preferred_language": "es"},
        fields={"name": Field("text", required=False), "preferred_language": Field("choice")},
    ),
    "accounts:invitation_accept": Form(personas=SIGNED_IN, empty=ANY),
    # --- Notifications
    # Marking read ignores what it does not understand and goes back to the list.
    "notifications:mark_read": Form(
        personas=SIGNED_IN,
        empty=ANY,
        lenient=True,
        hostile_by=("beneficiary",),
        valid=lambda s: {"notification": "1"},
        fields={"notification": Field("number", required=False)},
    ),
    "notifications:preferences": Form(
        personas=SIGNED_IN,
        hostile_by=("beneficiary",),
        valid=lambda s: {
            "checkin_due__app": "immediately",
            "checkin_due__email": "daily",
            "reminder_days": ["3", "0"],
            **{
                f"{kind}__{channel}": "immediately"
                for kind in ("comment_answered", "need_updated", "stage_changed")
                for channel in ("app", "email")
            },
            **{
                f"{kind}__{channel}": "never"
                for kind in ("partner_invited", "survey_open")
                for channel in ("app", "email")
            },
        },
        fields={
            "checkin_due__email": Field("choice"),
            "stage_changed__app": Field("choice"),
            "reminder_days": Field("multi", required=False),
        },
    ),
    "notifications:calendar_reset": Form(personas=SIGNED_IN, empty=ANY),
    # The signed token is the permission: a one-click unsubscribe has no fields.
    "notifications:unsubscribe": Form(
        personas=SIGNED_IN,
        empty=ANY,
        kwargs=lambda s: {"token": unsubscribe_token(s.world.city_staff.pk, "checkin_due")},
    ),
    # Site staff review a city that registered itself; to anyone else these are 404.
    "accounts:organization_approve": Form(
        personas=("site_staff",), empty=ANY, kwargs=_pending_city
    ),
    "accounts:organization_decline": Form(
        personas=("site_staff",),
        kwargs=_pending_city,
        valid=lambda s: {"reason": "We could not reach the city hall."},
        fields={"reason": Field("text")},
    ),
    "accounts:invitation_create": Form(
        personas=("city_admin",),
        valid=lambda s: {"email": "cook@example.org", "role": "member"},
        fields={"email": Field("choice"), "role": Field("choice")},
    ),
    "accounts:invitation_revoke": Form(personas=("city_admin",), empty=ANY),
    # One button: require two-factor sign-in of every member, or stop requiring it.
    "accounts:organization_mfa": Form(
        personas=("city_admin",),
        valid=lambda s: {"requires_mfa": "yes"},
        fields={"requires_mfa": Field("choice")},
    ),
    "accounts:membership_role": Form(
        personas=("city_admin",),
        valid=lambda s: {"role": "admin"},
        fields={"role": Field("choice")},
    ),
    "accounts:membership_remove": Form(personas=("city_admin", "city_staff"), empty=ANY),
    # --- API tokens and webhooks (the Developers pages)
    "developers:tokens": Form(
        personas=("city_admin",),
        valid=lambda s: {"name": "Data warehouse", "scope": "read"},
        accepted=201,
        fields={
            "name": Field("text"),
            "scope": Field("choice"),
            "expires_at": Field("date", required=False),
        },
    ),
    "developers:token_revoke": Form(personas=("city_admin",), empty=ANY),
    "developers:webhooks": Form(
        personas=("city_admin",),
        valid=lambda s: {"url": "https://hooks.example.org/in", "events": ["checkin.recorded"]},
        fields={
            "url": Field("choice"),
            "description": Field("text", required=False),
            "events": Field("multi"),
        },
    ),
    "developers:webhook_rotate": Form(personas=("city_admin",), empty=ANY),
    "developers:webhook_remove": Form(personas=("city_admin",), empty=ANY),
    "developers:delivery_replay": Form(personas=("city_admin",), empty=ANY),
    # --- Outside the language prefix
    "set_language": Form(
        personas=PERSONAS,
        empty=ANY,
        lenient=True,
        valid=lambda s: {"language": "es", "next": "/"},
        # Django's view falls back to its defaults for anything unknown: always a redirect.
        fields={"language": Field("text"), "next": Field("text")},
    ),
    # --- allauth
    "account_login": Form(
        personas=("anonymous",),
        rejected=200,
        valid=lambda s: {"login": "resident@example.net", "password": "correct-horse-battery"},
        fields={"login": Field("text"), "password": Field("text")},
    ),
    "account_signup": Form(
        personas=("anonymous",),
        rejected=200,
        valid=lambda s: {
            "email": "newcomer@example.org",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
        fields={"email": Field("choice"), "password1": Field("text"), "password2": Field("text")},
    ),
    "account_reset_password": Form(
        personas=("anonymous", "beneficiary"),
        rejected=200,
        valid=lambda s: {"email": "resident@example.net"},
        fields={"email": Field("choice")},
    ),
    "account_change_password": Form(
        personas=("beneficiary",),
        rejected=200,
        valid=lambda s: {
            "oldpassword": "correct-horse-battery",
            "password1": "another long passphrase 7",
            "password2": "another long passphrase 7",
        },
        fields={
            "oldpassword": Field("text"),
            "password1": Field("text"),
            "password2": Field("text"),
        },
    ),
    "account_email": Form(
        personas=("beneficiary",),
        rejected=200,
        # Without a button's name allauth does nothing and shows the page again.
        empty=ANY,
        valid=lambda s: {"action_add": "", "email": "second@example.net"},
        fields={"email": Field("choice")},
    ),
    "account_reauthenticate": Form(
        personas=("beneficiary",),
        rejected=200,
        valid=lambda s: {"password": "correct-horse-battery"},
        fields={"password": Field("text")},
    ),
    "account_logout": Form(personas=SIGNED_IN, empty=ANY, rejected=200),
    # A button without fields: ends the person's other sessions.
    "usersessions_list": Form(personas=SIGNED_IN, empty=ANY, rejected=200),
}

# URLs whose POST answers with something other than a form, listed so the discovery
# below knows them: allauth's pages that need an earlier step or a valid key.
POST_WITHOUT_FORM = {
    "account_confirm_email",
    "account_reset_password_from_key",
    "account_confirm_login_code",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "account_set_password",
    "account_inactive",
    "account_email_verification_sent",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
}


# --- What "nothing changed" means -------------------------------------------------------

OUR_APPS = (
    "core",
    "accounts",
    "partnerships",
    "beneficiaries",
    "health",
    "cities",
    "playbook",
    "api",
    "account",
    "mfa",
)


def _state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the project's tables (and allauth's e-mail addresses), in order."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in OUR_APPS:
            continue
        rows[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return rows


def _changed(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> list[str]:
    return [label for label in before if before[label] != after[label]]


# --- Sending ------------------------------------------------------------------------------


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)

    def check(
        self,
        *,
        client: Client,
        url: str,
        data: dict[str, Value],
        expectation: str,
        rejected: int,
        what: str,
    ) -> None:
        for headers in ({}, HTMX):
            via = "htmx" if headers else "plain"
            cache.clear()
            before = _state()
            response = client.post(url, data, **headers)
            status = response.status_code
            if status >= 500:
                self.problems.append(f"{what} ({via}): {status}")
                continue
            if expectation == REJECT and status != rejected:
                self.problems.append(f"{what} ({via}): expected {rejected}, got {status}")
            if status == rejected or expectation == REJECT:
                changed = _changed(before, _state())
                if changed:
                    self.problems.append(f"{what} ({via}): refused but changed {changed}")


def _client(scene: Scene, persona: str) -> Client:
    client = Client(raise_request_exception=False)
    if persona == "site_staff":
        client.force_login(_site_staff())
    elif persona != "anonymous":
        client.force_login(getattr(scene.world, persona))
    return client


def _hostile_cases(key: str, scene: Scene) -> Iterator[tuple[str, dict[str, Value], str]]:
    form = FORMS[key]
    valid = form.valid(scene)
    cases = []
    for name, spec in form.fields.items():
        for label, value, expectation in spec.hostile(scene, valid.get(name, "")):
            data = {**valid, name: value}
            cases.append((f"{name}={label}", data, ANY if form.lenient else expectation))
    # Refusals first: a value that is accepted may change what later posts find.
    cases.sort(key=lambda case: case[2] != REJECT)
    yield from cases


def _post_cases() -> list[tuple[str, str]]:
    cases = []
    for key, form in FORMS.items():
        for persona in form.hostile_by or form.personas:
            cases.append((key, persona))
    return cases


# --- The tests ----------------------------------------------------------------------------


def _post_status(key: str, scene: Scene) -> tuple[int, int]:
    """GET and empty-POST answers for a fresh client of a persona who may open the URL."""
    expected = EXPECTED[key].expected
    personas = [p for p in PERSONAS if expected[p] in (200, 405)] or ["city_admin"]
    url = reverse(key, kwargs=EXPECTED[key].kwargs(scene))
    get = _client(scene, personas[0]).get(url).status_code
    return get, _client(scene, personas[0]).post(url).status_code


def test_every_url_that_reads_a_post_has_its_hostile_inputs(scene: Scene) -> None:
    """A URL reads a POST when its answer to one differs from its answer to a GET
    (pages that ignore the method answer both alike; 405 means no POST at all)."""
    # The REST API takes JSON, not forms: Schemathesis fuzzes it (tests/api/test_fuzz.py).
    keys = [r.key for r in all_routes() if not r.is_admin and not r.key.startswith("api:")]
    # Leaving the city or removing a partner changes what later URLs answer: those go last.
    keys.sort(key=lambda key: key in FORMS and FORMS[key].empty == ANY)
    answers = {key: _post_status(key, scene) for key in keys}
    reading = {key for key, (get, post) in answers.items() if post not in (405, get)}

    assert reading - set(FORMS) - POST_WITHOUT_FORM == set(), "POST URLs missing from FORMS"
    refusing = {key for key in FORMS if answers[key][1] == 405}
    assert refusing == set(), "FORMS lists URLs that refuse a POST"


@pytest.mark.parametrize(("key", "persona"), _post_cases())
def test_hostile_input_is_refused_with_a_message_and_changes_nothing(
    key: str, persona: str, scene: Scene
) -> None:
    form = FORMS[key]
    client = _client(scene, persona)
    url = form.url(key, scene)
    outcome = Outcome()
    for what, data, expectation in _hostile_cases(key, scene):
        outcome.check(
            client=client,
            url=url,
            data=data,
            expectation=expectation,
            rejected=form.rejected,
            what=f"{key} as {persona}: {what}",
        )
    assert not outcome.problems, "\n".join(outcome.problems)


@pytest.mark.parametrize(("key", "persona"), [(k, p) for k, f in FORMS.items() for p in f.personas])
def test_an_empty_post_is_a_refused_form(key: str, persona: str, scene: Scene) -> None:
    form = FORMS[key]
    outcome = Outcome()
    outcome.check(
        client=_client(scene, persona),
        url=form.url(key, scene),
        data={},
        expectation=form.empty,
        rejected=form.rejected,
        what=f"{key} as {persona}: empty body",
    )
    assert not outcome.problems, "\n".join(outcome.problems)


# The forms on one partnership's URLs (an invitation's answer is on the invitation's).
PARTNERSHIP_FORMS = [
    k
    for k in FORMS
    if k.startswith(("partnerships:", "beneficiaries:", "health:"))
    and EXPECTED[k].partnership is not None
]


# Who may not post each form (a training's places are the participants' own).
NOT_ALLOWED = [
    (key, persona)
    for persona in ["beneficiary", "other_city_staff", "outsider", "anonymous"]
    for key in PARTNERSHIP_FORMS
    if persona not in FORMS[key].personas
]


@pytest.mark.parametrize(("key", "persona"), NOT_ALLOWED)
def test_a_valid_post_from_someone_not_allowed_changes_nothing(
    key: str, persona: str, scene: Scene
) -> None:
    form = FORMS[key]
    url = form.url(key, scene)
    client = _client(scene, persona)
    before = _state()

    statuses = {client.post(url, form.valid(scene), **h).status_code for h in ({}, HTMX)}

    assert statuses <= {302, 403, 404}, statuses
    if persona in ("other_city_staff", "outsider"):
        assert statuses == {404}, "someone outside the partnership must not learn it exists"
    assert _changed(before, _state()) == []


@pytest.mark.parametrize("key", PARTNERSHIP_FORMS)
def test_posting_to_another_citys_partnership_or_its_objects_is_not_found(
    key: str, scene: Scene
) -> None:
    """Our city's admin posts a valid form to the other city's URLs, and to ours with their ids."""
    builder = EXPECTED[key].partnership
    assert builder is not None
    theirs = builder(scene.theirs)
    urls = [reverse(key, kwargs=theirs)]
    if any(name.endswith("_pk") for name in theirs):
        urls.append(reverse(key, kwargs={**theirs, "pk": scene.mine.partnership.pk}))
    client = _client(scene, "city_admin")
    before = _state()

    for url in urls:
        for headers in ({}, HTMX):
            assert client.post(url, FORMS[key].valid(scene), **headers).status_code == 404, url

    assert _changed(before, _state()) == []


# --- Values that are accepted, then used later ---------------------------------------------


def test_a_check_in_at_the_end_of_the_calendar_is_refused(scene: Scene) -> None:
    client = _client(scene, "city_staff")
    p = scene.mine.partnership
    url = reverse("partnerships:checkin_schedule", kwargs={"pk": p.pk})
    before = _state()

    response = client.post(url, {"due_date": "9999-12-31"})

    assert response.status_code == 400
    assert "Choose a date before the year" in response.content.decode()
    assert _changed(before, _state()) == []


def test_a_partnership_cannot_start_at_the_end_of_the_calendar(scene: Scene) -> None:
    client = _client(scene, "city_staff")
    data = {**FORMS["partnerships:create"].valid(scene), "start_date": "9999-12-31"}
    before = _state()

    response = client.post(reverse("partnerships:create"), data)

    assert response.status_code == 400
    assert _changed(before, _state()) == []


def test_a_stored_check_in_at_the_end_of_the_calendar_is_not_missed_before_its_date(
    scene: Scene,
) -> None:
    """Rows from before dates were bounded: the check-in is not due, so it cannot be missed."""
    p = scene.mine.partnership
    CheckIn.objects.filter(partnership=p).delete()
    checkin = CheckIn.objects.create(partnership=p, due_date=date(9999, 12, 31))
    url = reverse("partnerships:checkin_record", kwargs={"pk": p.pk, "checkin_pk": checkin.pk})
    client = _client(scene, "city_staff")
    before = _state()

    response = client.post(url, {"held": "no"})

    assert response.status_code == 400
    assert "This check-in is not due yet" in response.content.decode()
    assert _changed(before, _state()) == []


def test_a_stored_missed_check_in_at_the_end_of_the_calendar_schedules_nothing_after(
    scene: Scene,
) -> None:
    """Rows from before dates were bounded: no next one follows, and nothing overflows."""
    from partnerships import services

    p = scene.mine.partnership
    CheckIn.objects.filter(partnership=p).delete()
    CheckIn.objects.create(partnership=p, due_date=date(9999, 12, 31), status=CheckIn.Status.MISSED)

    assert services.checkin_ensure_next(partnership=p) is None
    assert not p.checkins.filter(status=CheckIn.Status.SCHEDULED).exists()


# --- Query strings on the list pages ---------------------------------------------------------

GARBAGE_QUERIES = [
    {"page": "-1"},
    {"page": "0"},
    {"page": "abc"},
    {"page": "99999999999999999999"},
    {"page": "1e309"},
    {"page": "\x00"},
    {"sort": "__import__('os')"},
    {"sort": "-pk; DROP TABLE partnerships_partnership"},
    {"sort": "\x00"},
    {"status": "<script>alert(1)</script>"},
    {"status": ["active", "active", "\x00"]},
    {"pathway": "abc"},
    {"pathway": "99999999999999999999"},
    {"stage": "\x00"},
    {"practice": "-1"},
    {"q": LONG},
    {"q": "\x00"},
    {"q": "a\x00b"},
    {"q": UNICODE},
    {"overdue": "maybe"},
    {"next": "//evil.example.org"},
]


def _list_urls(scene: Scene) -> list[tuple[str, str]]:
    pk = scene.mine.partnership.pk
    return [
        ("city_staff", reverse("partnerships:dashboard")),
        ("city_staff", reverse("partnerships:portfolio_export")),
        ("entrepreneur", reverse("partnerships:my")),
        ("city_staff", reverse("partnerships:create")),
        ("city_staff", reverse("partnerships:organization_search")),
        ("city_staff", reverse("partnerships:partner_add", kwargs={"pk": pk})),
        ("entrepreneur", reverse("partnerships:progress", kwargs={"pk": pk})),
        ("entrepreneur", reverse("partnerships:checkins", kwargs={"pk": pk})),
        ("entrepreneur", reverse("partnerships:timeline", kwargs={"pk": pk})),
        ("entrepreneur", reverse("partnerships:money", kwargs={"pk": pk})),
        ("city_staff", reverse("partnerships:plan", kwargs={"pk": pk})),
        ("city_staff", reverse("partnerships:evidence", kwargs={"pk": pk})),
        ("city_staff", reverse("partnerships:experiments", kwargs={"pk": pk})),
        ("city_staff", reverse("partnerships:measurements_export", kwargs={"pk": pk})),
        ("city_admin", reverse("accounts:organizations")),
        ("anonymous", reverse("playbook:practices")),
        ("anonymous", reverse("home")),
    ]


@pytest.mark.parametrize("query", GARBAGE_QUERIES, ids=lambda q: repr(q)[:40])
def test_garbage_in_the_query_string_of_a_list_page_is_never_an_error(
    query: dict[str, Any], scene: Scene
) -> None:
    problems = []
    for persona, url in _list_urls(scene):
        client = _client(scene, persona)
        for headers in ({}, HTMX):
            response = client.get(url, query, **headers)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)  # an export fails while streaming
            if response.status_code >= 400:
                problems.append(f"{url} {query!r} as {persona}: {response.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "path",
    [
        "/partnerships/99999999999999999999/",
        "/partnerships/99999999999999999999/money/",
        "/partnerships/1/checkins/99999999999999999999/record/",
        "/organizations/99999999999999999999/",
        "/organizations/invitations/%00/",
        "/organizations/invitations/" + "a" * 5000 + "/",
        "/partnerships/join/%00/",
        "/partnerships/join/" + "a" * 5000 + "/",
        "/playbook/pathways/%00/",
        "/playbook/pathways/" + "a" * 5000 + "/",
    ],
    ids=lambda p: p[:50],
)
def test_odd_ids_in_the_path_are_not_found(path: str, scene: Scene) -> None:
    client = _client(scene, "city_admin")
    assert client.get(path).status_code == 404
    assert client.post(path, {}).status_code in (404, 405)


@pytest.mark.parametrize("key", [k for k, f in FORMS.items() if f.fields])
def test_the_valid_submission_of_each_form_is_accepted(key: str, scene: Scene) -> None:
    """The hostile values replace one field of this submission; it must be a good one."""
    form = FORMS[key]
    persona = (form.hostile_by or form.personas)[0]
    response = _client(scene, persona).post(form.url(key, scene), form.valid(scene))

    assert response.status_code == form.accepted, response.content[:2000]


# A form of one choice answers with one message at the top of the page.
EMPTY_MESSAGE = {
    "health:survey": "Answer at least one statement, or write a remark.",
    # Every field of these edits may be empty: the missing version is what is said.
    "cities:statement_section": "This page was out of date and nothing was saved",
    "cities:checklist_item": "This page was out of date and nothing was saved",
    "cities:statement_publish": "Say in a sentence what changed.",
    "accounts:membership_role": "Choose one of the listed roles.",
    # A button without fields: its one message is why this person cannot accept.
    "beneficiaries:invitation_accept": "This invitation was sent to a different e-mail address.",
}


@pytest.mark.parametrize(
    "key", [k for k, f in FORMS.items() if f.empty == REJECT and f.rejected == 400]
)
def test_an_empty_post_says_what_is_missing(key: str, scene: Scene) -> None:
    """A refused form names what is wrong, field by field, also for htmx."""
    form = FORMS[key]
    client = _client(scene, form.personas[0])
    for headers in ({}, HTMX):
        response = client.post(form.url(key, scene), {}, **headers)

        assert response.status_code == 400
        assert EMPTY_MESSAGE.get(key, "This field is required.") in response.content.decode()


# --- The two-factor forms -------------------------------------------------------------------
# allauth's pages that add a second factor ask for the password again first, and the code of
# a sign-in is asked between the password and the session: the walk above, with clients
# signed in by force, only reaches the password prompt. These are reached the real way.

CODES: Hostile = [
    *TEXT,
    ("six letters", "abcdef", REJECT),
    ("seven digits", "1234567", REJECT),
    ("negative", "-12345", REJECT),
    ("20 digits", "99999999999999999999", REJECT),
    ("empty", "", REJECT),
    ("duplicated", ["123456", "123456"], REJECT),
]


def test_hostile_codes_when_enrolling_an_authenticator_app_are_refused(scene: Scene) -> None:
    from allauth.mfa.models import Authenticator

    client = Client(raise_request_exception=False)
    person = scene.world.beneficiary
    password = {"login": person.email, "password": "correct-horse-battery"}
    assert client.post(reverse("account_login"), password).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": password["password"]})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    outcome = Outcome()

    for label, value, _expectation in CODES:
        # Any code but the app's own is refused: 200 with the form again.
        outcome.check(
            client=client,
            url=reverse("mfa_activate_totp"),
            data={"code": value},
            expectation=REJECT,
            rejected=200,
            what=f"mfa_activate_totp: code={label}",
        )

    assert not outcome.problems, "\n".join(outcome.problems)
    assert not Authenticator.objects.filter(user=person).exists()


def test_hostile_codes_at_sign_in_are_refused_and_sign_nobody_in(scene: Scene) -> None:
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    person = scene.world.beneficiary
    TOTP.activate(person, generate_totp_secret())
    client = Client(raise_request_exception=False)
    password = {"login": person.email, "password": "correct-horse-battery"}
    assert client.post(reverse("account_login"), password)["Location"] == reverse(
        "mfa_authenticate"
    )
    outcome = Outcome()

    for label, value, _expectation in CODES:
        outcome.check(
            client=client,
            url=reverse("mfa_authenticate"),
            data={"code": value},
            expectation=REJECT,
            rejected=200,
            what=f"mfa_authenticate: code={label}",
        )

    assert not outcome.problems, "\n".join(outcome.problems)
    assert client.get(reverse("accounts:profile")).status_code == 302
