"""The machinery that replays the demo's history through the services.

A :class:`World` holds the demo's organizations and people; a :class:`Story`
collects one partnership's events by day and replays them in order, each
service called with ``at=`` the moment of its own day, so the timeline, the
history and the date checks read as if it had happened then.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import Membership, Organization, User
from core.history import attribute
from demo.people import ORGANIZATIONS, PASSWORD, PEOPLE
from partnerships import services
from partnerships.models import CheckIn, Participant, Partner, Partnership
from playbook.models import Practice, Stage

# --- The world -------------------------------------------------------------------


class World:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self.today = timezone.localdate(now)
        self.orgs: dict[str, Organization] = {}
        self.users: dict[str, User] = {}
        self.members: dict[str, list[User]] = {}
        self.practices = {p.slug: p for p in Practice.objects.all()}
        self.stages = {(s.pathway.slug, s.slug): s for s in Stage.objects.select_related("pathway")}

    def moment(self, day: int) -> datetime:
        return self.now + timedelta(days=day)

    def date(self, day: int) -> date:
        return self.today + timedelta(days=day)

    def load_people(self) -> None:
        for spec in ORGANIZATIONS:
            self.orgs[spec.slug], _ = Organization.objects.get_or_create(
                slug=spec.slug,
                defaults={
                    "name": spec.name,
                    "kind": spec.kind,
                    "country": spec.country,
                    "languages": spec.languages,
                    "description": spec.description,
                },
            )
        # Hashing is deliberately slow; one hash shared by every demo login keeps the
        # command fast. Each person can change it on first sign-in.
        hashed = make_password(PASSWORD)
        for person in PEOPLE:
            user, _ = User.objects.get_or_create(
                email=person.email,
                defaults={
                    "name": person.name,
                    "preferred_language": person.language,
                    "password": hashed,
                    "is_staff": person.superuser,
                    "is_superuser": person.superuser,
                },
            )
            EmailAddress.objects.get_or_create(
                user=user, email=person.email, defaults={"verified": True, "primary": True}
            )
            if person.organization:
                Membership.objects.get_or_create(
                    user=user,
                    organization=self.orgs[person.organization],
                    defaults={"role": person.membership},
                )
                self.members.setdefault(person.organization, []).append(user)
            self.users[person.email] = user


# --- A partnership's story -----------------------------------------------------------


class Story:
    """Collects a partnership's events by day, then replays them in order.

    Check-ins are not listed: they fall due at the partnership's cadence and are
    recorded as held on their due date (or missed, for the ordinals in ``missed``)
    whenever the replay passes them, just as a point of contact would.
    """

    def __init__(
        self,
        world: World,
        *,
        city: str,
        lead: str,
        contact: str,
        title: str,
        goal: str,
        problem: str,
        lead_role: str,
        pathway: str,
        stage: str,
        start: int,
        cadence: str = Partnership.Cadence.MONTHLY,
        status: str = Partnership.Status.ACTIVE,
        public_summary: str = "",
        checkin_notes: Sequence[tuple[str, str]],
        missed: int = 1,
        record_checkins_until: int = -1,
    ) -> None:
        self.w = world
        self.city = world.orgs[city]
        self.lead = world.orgs[lead]
        self.contact = world.users[contact]
        self.spec: dict[str, Any] = {
            "title": title,
            "goal": goal,
            "problem_statement": problem,
            "lead_role": lead_role,
            "pathway": world.stages[(pathway, stage)].pathway,
            "stage": world.stages[(pathway, stage)],
            "status": status,
            "cadence": cadence,
            "visibility": (
                Partnership.Visibility.PUBLIC_SUMMARY
                if public_summary
                else Partnership.Visibility.PRIVATE
            ),
            "public_summary": public_summary,
        }
        self.pathway = pathway
        self.start = start
        self.checkin_notes = checkin_notes
        self.missed = missed
        self.record_checkins_until = record_checkins_until
        self.events: list[tuple[int, int, Callable[[datetime], object]]] = []
        self.participants: list[User] = []
        self.recorded = 0
        self.p: Partnership

    def exists(self) -> bool:
        return Partnership.objects.filter(city=self.city, title=self.spec["title"]).exists()

    def _on(self, day: int, action: Callable[[datetime], object]) -> None:
        if day < self.start:
            raise ValueError(f"{self.spec['title']}: event on day {day} before the start")
        self.events.append((day, len(self.events), action))

    def user(self, email: str) -> User:
        return self.w.users[email]

    def org(self, slug: str) -> Organization:
        return self.w.orgs[slug]

    # Events, each replayed through its service ---------------------------------

    def _accepted(self, partner: Partner, at: datetime) -> None:
        """The invited organization's administrator says yes."""
        admin = User.objects.filter(
            memberships__organization_id=partner.organization_id,
            memberships__role=Membership.Role.ADMIN,
        ).first()
        if admin is None:
            raise ValueError(f"{partner.organization} has no administrator to accept")
        services.partner_accept(actor=admin, partner=partner, at=at)

    def partner(self, day: int, org: str, role: str) -> None:
        def act(at: datetime) -> None:
            partner = services.partner_add(
                at=at,
                actor=self.contact,
                partnership=self.p,
                organization=self.org(org),
                role_description=role,
            )
            self._accepted(partner, at)

        self._on(day, act)

    def participant(self, day: int, email: str, role: str) -> None:
        def act(at: datetime) -> None:
            # Participants are invited in person; consent is recorded as they join.
            participant = Participant(
                partnership=self.p,
                user=self.user(email),
                role=role,
                consent_given_at=at,
                invited_by=self.contact,
                created_at=at,
            )
            attribute(participant, None, at).save()
            self.participants.append(self.user(email))

        self._on(day, act)

    def reframe(self, day: int, by: str, statement: str, learned: str) -> None:
        self._on(
            day,
            lambda at: services.partnership_reframe(
                at=at,
                actor=self.user(by),
                partnership=self.p,
                statement=statement,
                learned=learned,
                reframed_on=self.w.date(day),
            ),
        )

    def stage(self, day: int, stage: str, reason: str) -> None:
        def act(at: datetime) -> None:
            services.partnership_move_stage(
                at=at,
                actor=self.contact,
                partnership=self.p,
                stage=self.w.stages[(self.pathway, stage)],
                reason=reason,
            )

        self._on(day, act)

    def status(self, day: int, status: str) -> None:
        self._on(
            day,
            lambda at: services.partnership_update(
                at=at, actor=self.contact, partnership=self.p, status=status
            ),
        )

    def responsibility(
        self,
        day: int,
        by: str,
        org: str,
        description: str,
        *,
        due: int | None = None,
        update: tuple[int, str] | None = None,
    ) -> None:
        made: dict[str, Any] = {}
        due_date = self.w.date(due) if due is not None else None

        def add(at: datetime) -> None:
            made["r"] = services.responsibility_add(
                at=at,
                actor=self.user(by),
                partnership=self.p,
                organization=self.org(org),
                description=description,
                due_date=due_date,
            )

        self._on(day, add)
        if update:
            self._on(
                update[0],
                lambda at: services.responsibility_update(
                    at=at,
                    actor=self.user(by),
                    responsibility=made["r"],
                    status=update[1],
                    due_date=due_date,
                ),
            )

    def plan(self, day: int, by: str, sections: Sequence[tuple[str, str]], note: str) -> None:
        def act(at: datetime) -> None:
            services.plan_publish(
                at=at, actor=self.user(by), partnership=self.p, sections=sections, note=note
            )

        self._on(day, act)

    def progress(
        self,
        day: int,
        by: str,
        org: str,
        text: str,
        practices: Sequence[str],
        levers: Sequence[str],
    ) -> None:
        def act(at: datetime) -> None:
            services.progress_log(
                at=at,
                actor=self.user(by),
                partnership=self.p,
                organization=self.org(org),
                text=text,
                on=self.w.date(day),
                practices=[self.w.practices[slug] for slug in practices],
                levers=levers,
            )

        self._on(day, act)

    def indicator(
        self,
        day: int,
        by: str,
        *,
        name: str,
        unit: str,
        direction: str,
        baseline: str,
        target: str,
        target_day: int,
        source: str,
        series: Sequence[tuple[int, str]],
    ) -> None:
        made: dict[str, Any] = {}

        def create(at: datetime) -> None:
            made["i"] = services.indicator_create(
                at=at,
                actor=self.user(by),
                partnership=self.p,
                name=name,
                unit=unit,
                direction=direction,
                baseline=Decimal(baseline),
                target=Decimal(target),
                target_date=self.w.date(target_day),
            )

        self._on(day, create)
        for when, value in series:
            self._on(when, self._measure(made, by, when, value, source))

    def _measure(
        self, made: dict[str, Any], by: str, day: int, value: str, source: str
    ) -> Callable[[datetime], None]:
        def act(at: datetime) -> None:
            services.measurement_add(
                at=at,
                actor=self.user(by),
                indicator=made["i"],
                on=self.w.date(day),
                value=Decimal(value),
                source=source,
            )

        return act

    def experiment(
        self,
        day: int,
        by: str,
        *,
        title: str,
        hypothesis: str,
        tried: str,
        ends: int | None = None,
        close: tuple[int, str, str] | None = None,
    ) -> None:
        made: dict[str, Any] = {}

        def start(at: datetime) -> None:
            made["e"] = services.experiment_start(
                at=at,
                actor=self.user(by),
                partnership=self.p,
                title=title,
                hypothesis=hypothesis,
                what_is_tried=tried,
                started_on=self.w.date(day),
                ends_on=self.w.date(ends) if ends is not None else None,
            )

        self._on(day, start)
        if close:
            self._on(
                close[0],
                lambda at: services.experiment_close(
                    at=at,
                    actor=self.user(by),
                    experiment=made["e"],
                    result=close[1],
                    decision=close[2],
                    ended_on=self.w.date(close[0]),
                ),
            )

    def need(
        self,
        day: int,
        by: str,
        org: str,
        *,
        amount: str,
        currency: str,
        period: str,
        purpose: str,
        update: tuple[int, str, str, str] | None = None,
    ) -> None:
        made: dict[str, Any] = {}

        def state(at: datetime) -> None:
            made["n"] = services.need_state(
                at=at,
                actor=self.user(by),
                partnership=self.p,
                organization=self.org(org),
                amount=Decimal(amount),
                currency=currency,
                period=period,
                purpose=purpose,
            )

        self._on(day, state)
        if update:
            when, who, status, notes = update
            self._on(
                when,
                lambda at: services.need_update(
                    at=at,
                    actor=self.user(who),
                    need=made["n"],
                    status=status,
                    discussion_notes=notes,
                ),
            )

    # Replay ---------------------------------------------------------------------------

    def replay(self) -> Partnership:
        at = self.w.moment(self.start)
        self.p = services.partnership_create(
            at=at,
            actor=self.contact,
            city=self.city,
            lead=self.lead,
            start_date=self.w.date(self.start),
            point_of_contact=self.contact,
            **self.spec,
        )
        self._accepted(self.p.partners.get(organization=self.lead), at)
        for day, _, action in sorted(self.events, key=lambda e: (e[0], e[1])):
            self._record_checkins_due(through=day)
            action(self.w.moment(day))
        self._record_checkins_due(through=self.record_checkins_until)
        return self.p

    def _record_checkins_due(self, *, through: int) -> None:
        last = self.w.date(min(through, self.record_checkins_until))
        while True:
            checkin = self.p.checkins.filter(
                status=CheckIn.Status.SCHEDULED, due_date__lte=last
            ).first()
            if checkin is None:
                return
            self._record(checkin)

    def _record(self, checkin: CheckIn) -> None:
        ordinal = self.recorded
        self.recorded += 1
        held = ordinal != self.missed
        organizations = [self.city, *(p.organization for p in self.p.partners.all())]
        attendees = [self.contact, *self.participants]
        for org in organizations[1:]:
            attendees.extend(self.w.members.get(org.slug, [])[:1])
        notes, decisions = self.checkin_notes[ordinal % len(self.checkin_notes)]
        # A missed check-in is written down the next morning, when nobody turned up.
        day = (checkin.due_date - self.w.today).days + (0 if held else 1)
        at = self.w.moment(min(day, 0))
        services.checkin_record(
            at=at,
            actor=self.contact,
            checkin=checkin,
            held=held,
            held_on=checkin.due_date if held else None,
            attendees=attendees if held else (),
            attending_organizations=organizations if held else (),
            notes=notes if held else "",
            decisions=decisions if held else "",
        )
