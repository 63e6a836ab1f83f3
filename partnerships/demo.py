"""A small, realistic world to try Tandem in: two cities, their partners, and a year of history.

``load()`` is what ``manage.py load_demo`` runs. People and organizations are
matched on their natural keys (e-mail, slug), partnerships on city and title, so
loading twice creates nothing twice. A partnership's history is replayed through
the same service functions the site uses, so its timeline, simple_history rows
and derived fields are exactly what real use would have produced. Every date is
relative to today, so the demo always looks current.

The stories are fictional, loosely inspired by the cases in the playbook: a
waste-pickers' cooperative, a by-name list towards functional zero, welcoming
newcomers, community meals, incubators and maternal health.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organization, User
from beneficiaries.models import Participant
from partnerships import services
from partnerships.models import CheckIn, Lever, Partnership
from playbook.models import Practice, Stage

PASSWORD = "tandem-demo-2026"

ADMIN = Membership.Role.ADMIN
MEMBER = Membership.Role.MEMBER
SE = Organization.Kind.SOCIAL_ENTERPRISE
GROUP = Organization.Kind.COMMUNITY_GROUP


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    kind: str
    country: str
    languages: str
    description: str


@dataclass(frozen=True)
class PersonSpec:
    email: str
    name: str
    role: str
    organization: str | None = None
    membership: str = MEMBER
    language: str = "en"
    superuser: bool = False


ORGANIZATIONS = [
    OrgSpec(
        "city-of-riverton",
        "City of Riverton",
        Organization.Kind.CITY,
        "US",
        "en,es",
        "A mid-sized river city whose mayor's office runs a partnerships team.",
    ),
    OrgSpec(
        "ciudad-de-valle-alto",
        "Ciudad de Valle Alto",
        Organization.Kind.CITY,
        "MX",
        "es",
        "Gobierno municipal de una ciudad en crecimiento en el altiplano.",
    ),
    OrgSpec(
        "open-door-collective",
        "Open Door Collective",
        SE,
        "US",
        "en",
        "Street outreach and housing navigation, with a shared list of everyone who is homeless.",
    ),
    OrgSpec(
        "welcome-bridge-network",
        "Welcome Bridge Network",
        SE,
        "US",
        "en,es",
        "Brings newcomers and long-time residents together and helps the city welcome both.",
    ),
    OrgSpec(
        "harvest-table-kitchens",
        "Harvest Table Kitchens",
        SE,
        "US",
        "en",
        "A social kitchen that turns surplus food into shared meals.",
    ),
    OrgSpec(
        "northside-youth-works",
        "Northside Youth Works",
        SE,
        "US",
        "en",
        "Paid first jobs and mentoring for young people leaving foster care.",
    ),
    OrgSpec(
        "riverside-tenants-association",
        "Riverside Tenants' Association",
        GROUP,
        "US",
        "en",
        "Tenants of the Riverside estates, organised since the 1990s.",
    ),
    OrgSpec(
        "riverbend-community-foundation",
        "Riverbend Community Foundation",
        Organization.Kind.FUNDER,
        "US",
        "en",
        "A local foundation that funds what residents and the city build together.",
    ),
    OrgSpec(
        "cooperativa-reciclamos-juntas",
        "Cooperativa Reciclamos Juntas",
        SE,
        "MX",
        "es",
        "Cooperativa de recicladoras que recupera materiales en las colonias de Valle Alto.",
    ),
    OrgSpec(
        "cuna-segura",
        "Cuna Segura",
        SE,
        "MX",
        "es",
        "Repara y mantiene incubadoras y forma al personal de neonatología.",
    ),
    OrgSpec(
        "red-de-parteras-comunitarias",
        "Red de Parteras Comunitarias",
        GROUP,
        "MX",
        "es",
        "Parteras y promotoras de salud de las colonias del oriente.",
    ),
    OrgSpec(
        "colectivo-vecinal-las-lomas",
        "Colectivo Vecinal Las Lomas",
        GROUP,
        "MX",
        "es",
        "Vecinas y vecinos de la colonia Las Lomas.",
    ),
    OrgSpec(
        "bright-lantern-ventures",
        "Bright Lantern Ventures",
        SE,
        "US",
        "en",
        "Solar lighting for night markets. Not part of any partnership here.",
    ),
]

PEOPLE = [
    PersonSpec("admin@tandem.example", "Sam Okafor", "Site staff (superuser)", superuser=True),
    PersonSpec(
        "contact@riverton.example",
        "Rosa Delgado",
        "City point of contact, Riverton",
        "city-of-riverton",
    ),
    PersonSpec(
        "admin@riverton.example",
        "Adam Whitfield",
        "City administrator, Riverton",
        "city-of-riverton",
        ADMIN,
    ),
    PersonSpec(
        "contacto@vallealto.example",
        "Lucía Hernández",
        "City point of contact and administrator, Valle Alto",
        "ciudad-de-valle-alto",
        ADMIN,
        "es",
    ),
    PersonSpec(
        "enlace@vallealto.example",
        "Tomás Ruiz",
        "City staff, Valle Alto",
        "ciudad-de-valle-alto",
        MEMBER,
        "es",
    ),
    PersonSpec(
        "founder@harvest.example",
        "Eli Moreno",
        "Entrepreneur, Harvest Table Kitchens",
        "harvest-table-kitchens",
        ADMIN,
    ),
    PersonSpec(
        "founder@opendoor.example",
        "Grace Kim",
        "Entrepreneur, Open Door Collective",
        "open-door-collective",
        ADMIN,
    ),
    PersonSpec(
        "director@welcomebridge.example",
        "Amir Haddad",
        "Entrepreneur, Welcome Bridge Network",
        "welcome-bridge-network",
        ADMIN,
    ),
    PersonSpec(
        "founder@youthworks.example",
        "Jordan Price",
        "Entrepreneur, Northside Youth Works",
        "northside-youth-works",
        ADMIN,
    ),
    PersonSpec(
        "lider@reciclamos.example",
        "Marisol Vega",
        "Entrepreneur, Cooperativa Reciclamos Juntas",
        "cooperativa-reciclamos-juntas",
        ADMIN,
        "es",
    ),
    PersonSpec(
        "directora@cunasegura.example",
        "Elena Cruz",
        "Entrepreneur, Cuna Segura",
        "cuna-segura",
        ADMIN,
        "es",
    ),
    PersonSpec(
        "member@tenants.example",
        "Dee Washington",
        "Community group member, Riverside Tenants' Association",
        "riverside-tenants-association",
    ),
    PersonSpec(
        "partera@parteras.example",
        "Juana Pérez",
        "Community group member, Red de Parteras Comunitarias",
        "red-de-parteras-comunitarias",
        ADMIN,
        "es",
    ),
    PersonSpec(
        "grants@riverbend.example",
        "Naomi Fischer",
        "Funder, Riverbend Community Foundation",
        "riverbend-community-foundation",
    ),
    PersonSpec("resident@riverton.example", "Marcus Bell", "Beneficiary (advisor), Riverton"),
    PersonSpec(
        "vecina@vallealto.example",
        "Rosa María López",
        "Beneficiary (co-planner), Valle Alto",
        language="es",
    ),
    PersonSpec(
        "mama@vallealto.example",
        "Carmen Ortiz",
        "Beneficiary (reviewer), Valle Alto",
        language="es",
    ),
    PersonSpec(
        "someone@elsewhere.example",
        "Olivia Stone",
        "Outsider: in no partnership",
        "bright-lantern-ventures",
        ADMIN,
    ),
]


@dataclass(frozen=True)
class Login:
    email: str
    password: str
    role: str


@dataclass
class Result:
    logins: list[Login]
    partnerships_created: list[str] = field(default_factory=list)
    partnerships_skipped: list[str] = field(default_factory=list)


# --- The clock -------------------------------------------------------------------


@contextlib.contextmanager
def _clock(moment: datetime) -> Iterator[None]:
    """Makes ``timezone.now()`` read ``moment`` while one past event is replayed.

    The services stamp the timeline, simple_history and their date checks with the
    current time; replaying a year in a few seconds needs that time to be the
    event's, or every line of every timeline would say "just now".
    """
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _stamp(obj: Any, **fields: Any) -> None:
    # Some columns default to the real clock through a function captured at import
    # time, which the patched clock does not reach; they are set after the fact.
    type(obj).objects.filter(pk=obj.pk).update(**fields)
    for name, value in fields.items():
        setattr(obj, name, value)


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
        self.spec = {
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
        self.events: list[tuple[int, int, Callable[[], None]]] = []
        self.participants: list[User] = []
        self.recorded = 0
        self.p: Partnership

    def exists(self) -> bool:
        return Partnership.objects.filter(city=self.city, title=self.spec["title"]).exists()

    def _on(self, day: int, action: Callable[[], None]) -> None:
        if day < self.start:
            raise ValueError(f"{self.spec['title']}: event on day {day} before the start")
        self.events.append((day, len(self.events), action))

    def user(self, email: str) -> User:
        return self.w.users[email]

    def org(self, slug: str) -> Organization:
        return self.w.orgs[slug]

    # Events, each replayed through its service ---------------------------------

    def partner(self, day: int, org: str, role: str) -> None:
        def act() -> None:
            partner = services.partner_add(
                actor=self.contact,
                partnership=self.p,
                organization=self.org(org),
                role_description=role,
            )
            _stamp(partner, joined_on=self.w.date(day))

        self._on(day, act)

    def participant(self, day: int, email: str, role: str) -> None:
        def act() -> None:
            # Participants are invited in person; consent is recorded as they join.
            Participant.objects.create(
                partnership=self.p,
                user=self.user(email),
                role=role,
                consent_given_at=self.w.moment(day),
                invited_by=self.contact,
                created_at=self.w.moment(day),
            )
            self.participants.append(self.user(email))

        self._on(day, act)

    def reframe(self, day: int, by: str, statement: str, learned: str) -> None:
        self._on(
            day,
            lambda: services.partnership_reframe(
                actor=self.user(by),
                partnership=self.p,
                statement=statement,
                learned=learned,
                reframed_on=self.w.date(day),
            ),
        )

    def stage(self, day: int, stage: str, reason: str) -> None:
        def act() -> None:
            change = services.partnership_move_stage(
                actor=self.contact,
                partnership=self.p,
                stage=self.w.stages[(self.pathway, stage)],
                reason=reason,
            )
            _stamp(change, changed_at=self.w.moment(day))

        self._on(day, act)

    def status(self, day: int, status: str) -> None:
        self._on(
            day,
            lambda: services.partnership_update(
                actor=self.contact, partnership=self.p, status=status
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

        def add() -> None:
            made["r"] = services.responsibility_add(
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
                lambda: services.responsibility_update(
                    actor=self.user(by),
                    responsibility=made["r"],
                    status=update[1],
                    due_date=due_date,
                ),
            )

    def plan(self, day: int, by: str, sections: Sequence[tuple[str, str]], note: str) -> None:
        def act() -> None:
            version = services.plan_publish(
                actor=self.user(by), partnership=self.p, sections=sections, note=note
            )
            _stamp(version, published_at=self.w.moment(day))

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
        def act() -> None:
            update = services.progress_log(
                actor=self.user(by),
                partnership=self.p,
                organization=self.org(org),
                text=text,
                on=self.w.date(day),
                practices=[self.w.practices[slug] for slug in practices],
                levers=levers,
            )
            _stamp(update, created_at=self.w.moment(day))

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

        def create() -> None:
            made["i"] = services.indicator_create(
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
    ) -> Callable[[], None]:
        def act() -> None:
            measurement = services.measurement_add(
                actor=self.user(by),
                indicator=made["i"],
                on=self.w.date(day),
                value=Decimal(value),
                source=source,
            )
            _stamp(measurement, created_at=self.w.moment(day))

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

        def start() -> None:
            made["e"] = services.experiment_start(
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
                lambda: services.experiment_close(
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

        def state() -> None:
            made["n"] = services.need_state(
                actor=self.user(by),
                partnership=self.p,
                organization=self.org(org),
                amount=Decimal(amount),
                currency=currency,
                period=period,
                purpose=purpose,
            )
            _stamp(made["n"], created_at=self.w.moment(day))

        self._on(day, state)
        if update:
            when, who, status, notes = update
            self._on(
                when,
                lambda: services.need_update(
                    actor=self.user(who), need=made["n"], status=status, discussion_notes=notes
                ),
            )

    # Replay ---------------------------------------------------------------------------

    def replay(self) -> Partnership:
        with _clock(self.w.moment(self.start)):
            self.p = services.partnership_create(
                actor=self.contact,
                city=self.city,
                lead=self.lead,
                start_date=self.w.date(self.start),
                point_of_contact=self.contact,
                **self.spec,
            )
            _stamp(self.p, created_at=self.w.moment(self.start))
        for day, _, action in sorted(self.events, key=lambda e: (e[0], e[1])):
            self._record_checkins_due(through=day)
            with _clock(self.w.moment(day)):
                action()
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
        with _clock(self.w.moment(min(day, 0))):
            services.checkin_record(
                actor=self.contact,
                checkin=checkin,
                held=held,
                held_on=checkin.due_date if held else None,
                attendees=attendees if held else (),
                attending_organizations=organizations if held else (),
                notes=notes if held else "",
                decisions=decisions if held else "",
            )


# --- Loading ---------------------------------------------------------------------------


def load(*, now: datetime | None = None) -> Result:
    """Creates whatever of the demo world is missing and returns the demo logins."""
    world = World(now or timezone.now())
    result = Result(logins=[Login(p.email, PASSWORD, p.role) for p in PEOPLE])
    with transaction.atomic():
        world.load_people()
        for write_story in STORIES:
            story = write_story(world)
            if story.exists():
                result.partnerships_skipped.append(story.spec["title"])
                continue
            story.replay()
            result.partnerships_created.append(story.spec["title"])
    return result


# --- The stories ------------------------------------------------------------------------

BEN = "beneficiaries-as-changemakers"
AGENCY = "shared-agency"
BRIDGES = "build-bridges"
LAB = "always-a-lab"
TOOLS = "use-all-tools"
LONG = "the-long-view"
EXPECT = "honest-expectations"
VALUES = "shared-values"

RIVERTON = "city-of-riverton"
VALLE_ALTO = "ciudad-de-valle-alto"
R_CONTACT = "contact@riverton.example"
R_ADMIN = "admin@riverton.example"
V_CONTACT = "contacto@vallealto.example"
V_STAFF = "enlace@vallealto.example"

UP, DOWN = "up", "down"
OPEN, IN_PROGRESS, DONE, DROPPED = "open", "in_progress", "done", "dropped"
ADOPT, ADAPT, ABANDON = "adopt", "adapt", "abandon"


def _by_name_list(w: World) -> Story:
    founder = "founder@opendoor.example"
    s = Story(
        w,
        city=RIVERTON,
        lead="open-door-collective",
        contact=R_CONTACT,
        title="Every neighbour housed: a by-name list to functional zero",
        goal=(
            "Reach functional zero for veterans' homelessness by the end of next year, "
            "then for chronic homelessness."
        ),
        problem="People sleep outside in Riverton because there are not enough shelter beds.",
        lead_role="Runs street outreach and keeps the shared by-name list.",
        pathway="tackle-a-chronic-problem",
        stage="start-with-one-problem",
        start=-337,
        checkin_notes=[
            (
                "Went through the by-name list: eleven people housed since last time, "
                "four new names from outreach.",
                "Case conferencing stays weekly. The housing authority shares vacancies on Mondays.",
            ),
            (
                "Tenants reported two people returning to the street after losing a sublet.",
                "Open Door follows up within 48 hours of any return to homelessness.",
            ),
            (
                "Reviewed the veterans' sub-list with the Veterans Affairs liaison.",
                "Target stays at functional zero for veterans by the end of next year.",
            ),
            (
                "Landlord outreach is slower than hoped; evening calls work better.",
                "Add an evening shift to the landlord hotline for a month and compare.",
            ),
        ],
        missed=3,
    )
    s.participant(-320, "resident@riverton.example", Participant.Role.ADVISOR)
    s.plan(
        -310,
        founder,
        [
            (
                "What we want",
                "Nobody in Riverton should be homeless for long. We start by knowing everyone "
                "by name and by need, and by housing veterans first.",
            ),
            (
                "Who does what",
                "Open Door keeps the by-name list and does outreach. The city shares housing "
                "vacancies and opens its case records, with consent. Tenants who have lived "
                "without a home tell us where the system fails.",
            ),
            (
                "How we will know",
                "The number of people actively homeless on the list, and the days it takes "
                "from meeting someone to a key in their hand.",
            ),
        ],
        "First version, agreed at the kick-off.",
    )
    s.responsibility(
        -305,
        R_CONTACT,
        RIVERTON,
        "Share the housing authority's vacancies with the by-name list every week",
        due=-200,
        update=(-210, DONE),
    )
    s.responsibility(
        -305,
        founder,
        "open-door-collective",
        "Keep the by-name list current, with consent, for everyone met on outreach",
        update=(-150, IN_PROGRESS),
    )
    s.partner(
        -300,
        "riverside-tenants-association",
        "Brings tenants who have lived without a home into planning and runs peer outreach.",
    )
    s.reframe(
        -280,
        founder,
        "Homelessness in Riverton is several hundred individual situations, not one shortage. "
        "No one keeps a shared, real-time list of who is homeless, so each agency works from "
        "its own partial picture and people fall through the gaps between them.",
        "The yearly count hid the churn. Outreach workers and tenants with lived experience "
        "showed that most people move between shelters, couches and the street, and that "
        "different agencies each knew half of the story.",
    )
    s.progress(
        -250,
        "member@tenants.example",
        "riverside-tenants-association",
        "Held three listening evenings with tenants who were once homeless. Their main point: "
        "people give up on services after being asked the same questions five times.",
        [BEN, BRIDGES],
        [Lever.COMMUNICATION, Lever.DATA],
    )
    s.stage(
        -270,
        "find-root-causes",
        "The reframing showed we first need to understand why people cycle back to the street.",
    )
    s.indicator(
        -260,
        founder,
        name="People actively homeless on the by-name list",
        unit="people",
        direction=DOWN,
        baseline="212",
        target="60",
        target_day=300,
        source="By-name list, monthly snapshot",
        series=[
            (-240, "205"),
            (-210, "201"),
            (-180, "194"),
            (-150, "183"),
            (-120, "171"),
            (-90, "166"),
            (-60, "154"),
            (-30, "147"),
            (-5, "139"),
        ],
    )
    s.stage(
        -210,
        "set-a-shared-goal",
        "Every partner now works from the same list; time to agree a goal we can all own.",
    )
    s.partner(
        -200,
        "riverbend-community-foundation",
        "Funds the data coordinator and a flexible fund for deposits and first month's rent.",
    )
    s.indicator(
        -200,
        founder,
        name="Average days from first contact to housing",
        unit="days",
        direction=DOWN,
        baseline="140",
        target="60",
        target_day=300,
        source="By-name list, housed cases of the month",
        series=[
            (-170, "138"),
            (-140, "121"),
            (-110, "104"),
            (-80, "97"),
            (-50, "92"),
            (-15, "86"),
        ],
    )
    s.responsibility(
        -195,
        "grants@riverbend.example",
        "riverbend-community-foundation",
        "Decide on a second year of the flexible housing fund",
        due=40,
    )
    s.responsibility(
        -190,
        "member@tenants.example",
        "riverside-tenants-association",
        "Run a peer outreach shift every month",
        update=(-100, IN_PROGRESS),
    )
    s.experiment(
        -190,
        founder,
        title="Weekly case conferencing",
        hypothesis="If every agency reviews the list together each week, people are matched "
        "to housing faster.",
        tried="A one-hour weekly call where outreach, shelters and the housing authority go "
        "through the list name by name.",
        close=(
            -130,
            "Average time to housing fell from 138 to 104 days in two months, and every "
            "agency now joins the call.",
            ADOPT,
        ),
    )
    s.need(
        -185,
        founder,
        "open-door-collective",
        amount="85000",
        currency="USD",
        period="Next 12 months",
        purpose="A full-time data coordinator and the licence for the by-name list software.",
        update=(
            -120,
            "grants@riverbend.example",
            "partly_met",
            "The foundation pays the coordinator for one year; the licence is still open.",
        ),
    )
    s.progress(
        -175,
        R_CONTACT,
        RIVERTON,
        "The housing authority signed a data-sharing agreement: vacancies now flow to the "
        "by-name list every Monday.",
        [TOOLS, AGENCY],
        [Lever.DATA, Lever.POLICY],
    )
    s.stage(
        -150,
        "work-as-a-lab",
        "We have a shared goal and a real-time list; now we test changes in short cycles.",
    )
    s.plan(
        -140,
        founder,
        [
            (
                "What we want",
                "Functional zero for veterans by the end of next year: fewer veterans homeless "
                "than we can house in a month. Then the same for chronic homelessness.",
            ),
            (
                "Who does what",
                "Open Door keeps the list and leads case conferencing. The city shares "
                "vacancies weekly. Tenants run peer outreach shifts. The foundation funds the "
                "data coordinator and a flexible housing fund.",
            ),
            (
                "How we work",
                "Weekly case conferencing, monthly check-ins, and one small experiment at a "
                "time, each closed with a decision.",
            ),
            (
                "How we will know",
                "People actively homeless on the list, and the days from first contact to "
                "housing, reviewed at every check-in.",
            ),
        ],
        "Added the veterans' target and the weekly case conferencing rhythm.",
    )
    s.experiment(
        -110,
        founder,
        title="A hotline for landlords",
        hypothesis="Landlords will rent to people from the list if someone answers when "
        "something goes wrong.",
        tried="A phone line staffed in office hours, with a promise to call back within a day.",
        close=(
            -50,
            "Landlords called, but mostly in the evening. Eight new units in two months.",
            ADAPT,
        ),
    )
    s.progress(
        -100,
        founder,
        "open-door-collective",
        "Case conferencing now covers every shelter in the city. The list has not been this "
        "complete since we started.",
        [LAB, LONG],
        [Lever.DATA, Lever.STANDARD],
    )
    s.need(
        -60,
        "member@tenants.example",
        "riverside-tenants-association",
        amount="12000",
        currency="USD",
        period="This year",
        purpose="Stipends for peer outreach workers who have lived without a home.",
        update=(-45, "grants@riverbend.example", "met", "Paid from the foundation's small grants."),
    )
    s.experiment(
        -40,
        founder,
        title="Peer navigators for the first night indoors",
        hypothesis="People stay housed more often if someone who has been there walks with "
        "them through the first week.",
        tried="Tenants' peer workers accompany each newly housed person for seven days.",
        ends=50,
    )
    s.progress(
        -25,
        founder,
        "open-door-collective",
        "Told the partners plainly that the veterans' target will slip by a quarter unless the "
        "flexible fund continues.",
        [EXPECT, VALUES],
        [Lever.FUNDING],
    )
    s.need(
        -20,
        founder,
        "open-door-collective",
        amount="40000",
        currency="USD",
        period="Next six months",
        purpose="Flexible fund for deposits and first month's rent.",
    )
    return s


def _welcoming(w: World) -> Story:
    director = "director@welcomebridge.example"
    s = Story(
        w,
        city=RIVERTON,
        lead="welcome-bridge-network",
        contact=R_CONTACT,
        title="Welcoming Riverton",
        goal="Make Riverton a place where newcomers feel at home and take part in city life "
        "within three years.",
        problem="Newcomer families do not use city services because they do not know about them.",
        lead_role="Organises listening sessions and trains neighbourhood welcome ambassadors.",
        pathway="improve-outcomes",
        stage="agree-the-outcome",
        start=-311,
        public_summary="The city and Welcome Bridge Network work with newcomers and long-time "
        "residents to make city services and neighbourhoods more welcoming.",
        checkin_notes=[
            (
                "Reviewed which forms are translated and which are still pending.",
                "Parks and permits forms go next.",
            ),
            (
                "Ambassadors shared what they heard at the market days.",
                "Invite two ambassadors to every check-in from now on.",
            ),
            (
                "Discussed the survey results with the council's liaison.",
                "Publish the results in all five languages.",
            ),
        ],
        missed=6,
    )
    s.partner(
        -250,
        "riverbend-community-foundation",
        "Funds translation, interpreting and the ambassadors' stipends.",
    )
    s.responsibility(
        -245,
        "grants@riverbend.example",
        "riverbend-community-foundation",
        "Fund translation and interpreting for a year",
        due=-150,
        update=(-160, DONE),
    )
    s.plan(
        -260,
        director,
        [
            (
                "What we want",
                "Newcomers know where to get help and feel welcome asking for it.",
            ),
            ("Who does what", "Welcome Bridge listens and trains; the city changes its services."),
            ("How we will know", "A twice-yearly survey of newcomers, in their languages."),
        ],
        "First version.",
    )
    s.stage(
        -240,
        "reframe-with-residents",
        "We agreed the outcome; now we check the need with the people concerned.",
    )
    s.reframe(
        -230,
        director,
        "Newcomers and long-time residents rarely meet, so mistrust grows on both sides, and "
        "city services are designed without newcomers in the room. Leaflets cannot fix that; "
        "relationships and a seat at the table can.",
        "In twelve listening sessions newcomers said they knew the services existed but did "
        "not feel welcome using them, and long-time residents said nobody had asked them to help.",
    )
    s.progress(
        -220,
        director,
        "welcome-bridge-network",
        "Twelve listening sessions in five languages, with 340 residents, newcomers and "
        "long-timers together.",
        [BEN, BRIDGES],
        [Lever.COMMUNICATION],
    )
    s.experiment(
        -200,
        director,
        title="A welcome leaflet sent with the water bill",
        hypothesis="Newcomers will use services once they know about them.",
        tried="A leaflet in five languages in every water bill for two months.",
        close=(-160, "Three calls in six weeks. Information was not the barrier.", ABANDON),
    )
    s.indicator(
        -210,
        director,
        name="Newcomers who say they know where to get help",
        unit="%",
        direction=UP,
        baseline="34",
        target="70",
        target_day=240,
        source="Twice-yearly neighbourhood survey",
        series=[(-205, "34"), (-120, "46"), (-30, "57")],
    )
    s.indicator(
        -200,
        R_CONTACT,
        name="City forms available in the five most spoken languages",
        unit="%",
        direction=UP,
        baseline="10",
        target="90",
        target_day=120,
        source="City forms register",
        series=[
            (-170, "25"),
            (-140, "40"),
            (-110, "55"),
            (-80, "70"),
            (-50, "78"),
            (-20, "84"),
        ],
    )
    s.responsibility(
        -190,
        R_CONTACT,
        RIVERTON,
        "Review the ten most used city forms with newcomers and publish them in five languages",
        due=-60,
        update=(-70, DONE),
    )
    s.responsibility(
        -190,
        director,
        "welcome-bridge-network",
        "Train forty residents as neighbourhood welcome ambassadors",
        due=60,
        update=(-120, IN_PROGRESS),
    )
    s.need(
        -185,
        director,
        "welcome-bridge-network",
        amount="30000",
        currency="USD",
        period="This year",
        purpose="Translation and interpreting for city forms and meetings.",
        update=(-160, "grants@riverbend.example", "met", "Granted in full for one year."),
    )
    s.stage(-180, "test-interventions", "We know what to try; time to test it small.")
    s.experiment(
        -150,
        director,
        title="Neighbour-to-neighbour welcome dinners",
        hypothesis="People who share a meal with neighbours ask for help sooner.",
        tried="Monthly dinners in two neighbourhoods, hosted by ambassadors.",
        close=(
            -95,
            "Guests were twice as likely to say they know where to get help.",
            ADOPT,
        ),
    )
    s.progress(
        -150,
        R_CONTACT,
        RIVERTON,
        "The council adopted a welcoming resolution and a standard for translated forms.",
        [TOOLS, VALUES],
        [Lever.POLICY, Lever.STANDARD],
    )
    s.partner(-100, "harvest-table-kitchens", "Cooks and hosts the monthly welcome dinners.")
    s.responsibility(
        -90,
        "founder@harvest.example",
        "harvest-table-kitchens",
        "Host a monthly welcome dinner in two neighbourhoods",
        update=(-60, IN_PROGRESS),
    )
    s.plan(
        -90,
        director,
        [
            (
                "What we want",
                "Newcomers feel welcome and know where to get help; long-time residents help "
                "welcome them.",
            ),
            (
                "Who does what",
                "Welcome Bridge trains ambassadors; Harvest Table hosts welcome dinners; the "
                "city translates its forms and changes its front desk; the foundation funds "
                "interpreting.",
            ),
            ("How we will know", "The survey, the forms register and the dinners' guest lists."),
        ],
        "Welcome dinners and ambassadors replace the leaflet.",
    )
    s.stage(-75, "build-the-evidence", "Two interventions work; we now build the evidence.")
    s.progress(
        -60,
        director,
        "welcome-bridge-network",
        "Second survey round done with ambassadors as interviewers; answers were more candid.",
        [LAB, LONG],
        [Lever.DATA, Lever.TRAINING],
    )
    s.experiment(
        -45,
        director,
        title="A multilingual hour at the city's front desk",
        hypothesis="A set hour with interpreters present brings newcomers to the front desk.",
        tried="Every Thursday afternoon, interpreters for the five languages at City Hall.",
        ends=45,
    )
    s.need(
        -40,
        director,
        "welcome-bridge-network",
        amount="18000",
        currency="USD",
        period="Next year",
        purpose="Stipends for forty welcome ambassadors.",
    )
    s.status(-30, Partnership.Status.SCALING)
    s.progress(
        -10,
        "founder@harvest.example",
        "harvest-table-kitchens",
        "Third neighbourhood asked for welcome dinners; we start next month.",
        [BRIDGES],
        [Lever.COMMUNICATION],
    )
    return s


def _community_meals(w: World) -> Story:
    founder = "founder@harvest.example"
    tenant = "member@tenants.example"
    s = Story(
        w,
        city=RIVERTON,
        lead="harvest-table-kitchens",
        contact=R_CONTACT,
        title="Community meals for older neighbours",
        goal="Every older resident who wants one has a shared meal nearby each week by next "
        "summer.",
        problem="The city's meal delivery for older residents is slow and much of the food "
        "is thrown away.",
        lead_role="Cooks with surplus food and runs the shared meals.",
        pathway="improve-services",
        stage="name-the-problem",
        start=-184,
        cadence=Partnership.Cadence.FORTNIGHTLY,
        checkin_notes=[
            ("Counted guests and leftovers.", "Keep the Sunday menu; add a vegetarian dish."),
            ("Tenants shared who could not come and why.", "Offer rides to two buildings."),
            ("Reviewed the kitchen waste log.", "Cook to sign-up numbers, not to capacity."),
        ],
        missed=3,
    )
    s.stage(-150, "listen-to-users", "We know the fault; now we ask older residents.")
    s.partner(
        -160,
        "riverside-tenants-association",
        "Finds older neighbours who eat alone and hosts Sunday meals in the community room.",
    )
    s.progress(
        -145,
        tenant,
        "riverside-tenants-association",
        "Visited forty older neighbours in the Riverside estates to ask about meals.",
        [BEN],
        [Lever.COMMUNICATION],
    )
    s.reframe(
        -140,
        founder,
        "Older neighbours do not mainly need food delivered: many eat alone and stop eating "
        "well. A meal shared nearby helps, and the delivery service was never built for that.",
        "Tenants who visited forty older neighbours heard the same thing: the trays arrive cold "
        "and lonely, and people want company more than convenience.",
    )
    s.plan(
        -130,
        founder,
        [
            ("What we want", "Older neighbours eat well and in company."),
            ("Who does what", "Harvest Table cooks; tenants invite; the city opens its kitchen."),
            ("How we will know", "Guests each week and meals thrown away."),
        ],
        "First version.",
    )
    s.indicator(
        -125,
        founder,
        name="Older residents at a shared meal each week",
        unit="people",
        direction=UP,
        baseline="40",
        target="150",
        target_day=180,
        source="Sign-in sheets",
        series=[
            (-120, "40"),
            (-100, "52"),
            (-80, "61"),
            (-60, "77"),
            (-40, "90"),
            (-20, "104"),
            (-3, "112"),
        ],
    )
    s.indicator(
        -115,
        founder,
        name="Meals thrown away per week",
        unit="meals",
        direction=DOWN,
        baseline="120",
        target="20",
        target_day=120,
        source="Kitchen waste log",
        series=[(-110, "120"), (-75, "85"), (-45, "60"), (-10, "41")],
    )
    s.experiment(
        -115,
        founder,
        title="Sunday meals in the tenants' community room",
        hypothesis="Older neighbours come when the meal is in their own building.",
        tried="A Sunday lunch for thirty in the Riverside community room.",
        close=(-85, "Full every week, with a waiting list after a month.", ADOPT),
    )
    s.responsibility(
        -110,
        R_CONTACT,
        RIVERTON,
        "Open the senior-centre kitchen to the partnership on weekends",
        due=-100,
        update=(-105, DONE),
    )
    s.responsibility(
        -110,
        founder,
        "harvest-table-kitchens",
        "Cook and serve three shared meals a week",
        update=(-90, IN_PROGRESS),
    )
    s.responsibility(
        -105,
        tenant,
        "riverside-tenants-association",
        "Call each neighbour on the invitation list before every meal",
        due=20,
    )
    s.stage(-100, "pilot-a-better-way", "The Sunday meals show a better way; we pilot it.")
    s.experiment(
        -95,
        founder,
        title="Delivery by student volunteers",
        hypothesis="Volunteers can bring warm meals faster than the contracted service.",
        tried="Twenty students deliver lunches in two buildings.",
        close=(-55, "Worked for two weeks, then exams started and deliveries were late.", ABANDON),
    )
    s.progress(
        -90,
        founder,
        "harvest-table-kitchens",
        "Trained six tenants in food safety so meals can run without our staff.",
        [LAB, AGENCY],
        [Lever.TRAINING],
    )
    s.need(
        -80,
        founder,
        "harvest-table-kitchens",
        amount="6500",
        currency="USD",
        period="This autumn",
        purpose="Transport for delivery volunteers.",
        update=(
            -50,
            founder,
            "withdrawn",
            "Not needed once delivery by volunteers was abandoned.",
        ),
    )
    s.plan(
        -60,
        founder,
        [
            ("What we want", "Older neighbours eat well and in company, every week."),
            (
                "Who does what",
                "Harvest Table cooks and trains tenant hosts; tenants invite and host; the city "
                "opens the senior-centre kitchen and buys from our surplus network.",
            ),
            ("How we will know", "Guests each week, meals thrown away, and what guests tell us."),
        ],
        "Sunday meals become the core; delivery only for people who cannot leave home.",
    )
    s.need(
        -50,
        founder,
        "harvest-table-kitchens",
        amount="22000",
        currency="USD",
        period="Next financial year",
        purpose="A second oven and a cold room for the shared kitchen.",
    )
    s.progress(
        -30,
        R_CONTACT,
        RIVERTON,
        "City food procurement now lets the senior centre buy from the partnership's surplus "
        "network.",
        [TOOLS, AGENCY],
        [Lever.PROCUREMENT],
    )
    s.experiment(
        -25,
        founder,
        title="Pay-what-you-can seats for family guests",
        hypothesis="Families joining older relatives make the meals livelier and pay their way.",
        tried="Ten pay-what-you-can seats at each Sunday meal.",
        ends=35,
    )
    return s


def _summer_jobs(w: World) -> Story:
    founder = "founder@youthworks.example"
    s = Story(
        w,
        city=RIVERTON,
        lead="northside-youth-works",
        contact=R_ADMIN,
        title="Summer jobs for young people leaving care",
        goal="Double the share of care leavers in paid work six months after leaving care.",
        problem="Young people leaving foster care struggle to find a first job.",
        lead_role="Matches young people with employers and mentors.",
        pathway="improve-outcomes",
        stage="agree-the-outcome",
        start=-130,
        checkin_notes=[
            ("Met the first mentors.", "Mentors meet their mentee every week."),
            ("Reviewed placements offered by departments.", "Ask parks and libraries first."),
        ],
        missed=1,
        # The partnership is paused and its latest check-in has slipped past its date.
        record_checkins_until=-20,
    )
    s.plan(
        -110,
        founder,
        [
            ("What we want", "Care leavers get a first paid job and keep it."),
            ("Who does what", "Youth Works matches and mentors; the city offers placements."),
        ],
        "First version.",
    )
    s.reframe(
        -95,
        founder,
        "Young people leaving care do find first jobs, but lose them within weeks: nobody "
        "helps with the bus pass, the wait for the first payday or the first bad day.",
        "Of the eleven young people we placed last year, nine had a job within a month and "
        "seven had lost it by the second; each told us the job itself was not the problem.",
    )
    s.responsibility(
        -105,
        R_ADMIN,
        RIVERTON,
        "Find twenty summer placements across city departments",
        due=-60,
        update=(-45, DROPPED),
    )
    s.responsibility(
        -105,
        founder,
        "northside-youth-works",
        "Match each young person with a mentor who has left care",
        update=(-70, IN_PROGRESS),
    )
    s.indicator(
        -100,
        founder,
        name="Care leavers in paid work six months later",
        unit="%",
        direction=UP,
        baseline="22",
        target="45",
        target_day=365,
        source="Youth Works follow-up calls",
        series=[(-100, "22"), (-40, "24")],
    )
    s.experiment(
        -90,
        founder,
        title="Mentors who have been in care themselves",
        hypothesis="Young people open up more to a mentor who has lived it.",
        tried="Eight mentors who left care five or more years ago.",
        close=(-50, "Weekly meetings kept up by seven of eight pairs.", ADOPT),
    )
    s.progress(
        -85,
        founder,
        "northside-youth-works",
        "Eight mentors trained; all of them left care themselves.",
        [BEN, AGENCY],
        [Lever.TRAINING],
    )
    s.need(
        -80,
        founder,
        "northside-youth-works",
        amount="60000",
        currency="USD",
        period="Next summer",
        purpose="Wages for twenty summer placements.",
        update=(
            -45,
            R_ADMIN,
            "partly_met",
            "The city can pay half. We pause the summer cohort until the rest is found.",
        ),
    )
    s.plan(
        -50,
        founder,
        [
            ("What we want", "Care leavers get a first paid job and keep it."),
            (
                "Who does what",
                "Youth Works keeps mentoring going; the city and partners look for the other "
                "half of the wages before placements restart.",
            ),
        ],
        "Summer cohort paused until funding is settled; mentoring continues.",
    )
    s.status(-45, Partnership.Status.PAUSED)
    s.progress(
        -45,
        R_ADMIN,
        RIVERTON,
        "We paused the summer cohort rather than promise placements we cannot pay for.",
        [EXPECT],
        [Lever.FUNDING],
    )
    return s


def _recicladoras(w: World) -> Story:
    lider = "lider@reciclamos.example"
    s = Story(
        w,
        city=VALLE_ALTO,
        lead="cooperativa-reciclamos-juntas",
        contact=V_CONTACT,
        title="Reciclaje con las recicladoras de Valle Alto",
        goal="Recuperar el doble de material reciclable en dos años, con recicladoras "
        "reconocidas y pagadas por su trabajo.",
        problem="La recolección municipal no pasa a tiempo y la basura se acumula en las calles.",
        lead_role="Organiza a las recicladoras y opera las rutas de recuperación.",
        pathway="improve-services",
        stage="name-the-problem",
        start=-365,
        checkin_notes=[
            (
                "Revisamos las toneladas del mes y las rutas con retrasos.",
                "Ajustar la ruta del mercado a la mañana.",
            ),
            (
                "Las recicladoras contaron problemas con los camiones en dos colonias.",
                "El enlace municipal habla con los choferes esta semana.",
            ),
            (
                "Repasamos pagos pendientes por tonelada.",
                "Pagar cada quincena en lugar de cada dos meses.",
            ),
        ],
        missed=5,
    )
    s.participant(-300, "vecina@vallealto.example", Participant.Role.CO_PLANNER)
    s.stage(
        -320, "listen-to-users", "Nombramos la falla; ahora escuchamos a vecinos y recicladoras."
    )
    s.reframe(
        -300,
        lider,
        "Las recicladoras ya recuperan buena parte de lo reciclable de la ciudad, pero trabajan "
        "sin reconocimiento, sin equipo y fuera del sistema municipal. El servicio falla en "
        "parte porque las deja fuera.",
        "Al recorrer las rutas con las recicladoras vimos que recuperan más material que los "
        "camiones y que los vecinos confían más en ellas que en el servicio.",
    )
    s.progress(
        -310,
        lider,
        "cooperativa-reciclamos-juntas",
        "Recorrimos seis colonias con las recicladoras y con vecinas que separan en casa.",
        [BEN, VALUES],
        [Lever.COMMUNICATION],
    )
    s.plan(
        -280,
        lider,
        [
            ("Lo que queremos", "Más material recuperado y recicladoras con trabajo digno."),
            (
                "Quién hace qué",
                "La cooperativa organiza rutas; el municipio da credenciales y coordina sus "
                "camiones.",
            ),
            ("Cómo sabremos", "Toneladas recuperadas al mes y recicladoras con credencial."),
        ],
        "Primera versión.",
    )
    s.indicator(
        -270,
        lider,
        name="Toneladas de material recuperado al mes",
        unit="t",
        direction=UP,
        baseline="38",
        target="90",
        target_day=200,
        source="Básculas del centro de acopio",
        series=[
            (-250, "38"),
            (-220, "41"),
            (-190, "45"),
            (-160, "52"),
            (-130, "57"),
            (-100, "63"),
            (-70, "66"),
            (-40, "71"),
            (-10, "74"),
        ],
    )
    s.stage(-240, "pilot-a-better-way", "Probamos rutas compartidas con los camiones municipales.")
    s.experiment(
        -230,
        lider,
        title="Rutas compartidas con los camiones municipales",
        hypothesis="Si las recicladoras pasan antes que el camión, se recupera más y se "
        "entierra menos.",
        tried="En tres colonias, las recicladoras recorren la ruta una hora antes del camión.",
        close=(-170, "Un 30 % más de material recuperado en esas colonias.", ADOPT),
    )
    s.responsibility(
        -230,
        V_CONTACT,
        VALLE_ALTO,
        "Dar credencial municipal a las recicladoras de la cooperativa",
        due=-200,
        update=(-210, DONE),
    )
    s.responsibility(
        -230,
        lider,
        "cooperativa-reciclamos-juntas",
        "Organizar las rutas de recuperación en seis colonias",
        update=(-220, IN_PROGRESS),
    )
    s.progress(
        -210,
        V_CONTACT,
        VALLE_ALTO,
        "El cabildo aprobó el reglamento que reconoce a las recicladoras como parte del "
        "servicio de limpia.",
        [TOOLS],
        [Lever.POLICY, Lever.STANDARD],
    )
    s.indicator(
        -205,
        lider,
        name="Recicladoras con credencial y equipo de protección",
        unit="personas",
        direction=UP,
        baseline="0",
        target="120",
        target_day=150,
        source="Padrón de la cooperativa",
        series=[(-200, "35"), (-150, "62"), (-100, "80"), (-50, "94"), (-5, "101")],
    )
    s.need(
        -190,
        lider,
        "cooperativa-reciclamos-juntas",
        amount="120000",
        currency="MXN",
        period="Este año",
        purpose="Uniformes, guantes y botas para 120 recicladoras.",
        update=(-150, V_STAFF, "met", "Cubierto con el presupuesto de limpia."),
    )
    s.partner(
        -180,
        "colectivo-vecinal-las-lomas",
        "Organiza a los vecinos de Las Lomas para separar en casa.",
    )
    s.responsibility(
        -175,
        lider,
        "colectivo-vecinal-las-lomas",
        "Acompañar la separación en casa en Las Lomas",
        update=(-60, IN_PROGRESS),
    )
    s.experiment(
        -150,
        lider,
        title="Pago municipal por tonelada recuperada",
        hypothesis="Pagar por tonelada hace que recuperar sea un ingreso estable.",
        tried="El municipio paga a la cooperativa por cada tonelada pesada en báscula.",
        close=(
            -95,
            "Subió el material recuperado, pero el pago tardaba dos meses. Pasamos a pago "
            "quincenal.",
            ADAPT,
        ),
    )
    s.progress(
        -120,
        lider,
        "cooperativa-reciclamos-juntas",
        "Empezamos a pesar todo en la báscula municipal; los datos ya son de todos.",
        [LAB],
        [Lever.DATA],
    )
    s.plan(
        -100,
        lider,
        [
            ("Lo que queremos", "El doble de material recuperado, con recicladoras reconocidas."),
            (
                "Quién hace qué",
                "La cooperativa opera rutas y pesa el material; el municipio paga por tonelada "
                "cada quincena y coordina camiones; Las Lomas prueba la separación en casa.",
            ),
            ("Cómo sabremos", "Toneladas al mes, recicladoras con credencial y pagos a tiempo."),
        ],
        "Añadimos el pago por tonelada y la medición mensual con básculas de la ciudad.",
    )
    s.responsibility(
        -95,
        V_STAFF,
        VALLE_ALTO,
        "Instalar una segunda báscula en el centro de acopio",
        due=30,
    )
    s.stage(-90, "measure-the-difference", "El piloto funciona; medimos la diferencia.")
    s.need(
        -80,
        lider,
        "cooperativa-reciclamos-juntas",
        amount="450000",
        currency="MXN",
        period="Próximos 18 meses",
        purpose="Un centro de acopio techado con báscula.",
        update=(
            -60,
            V_CONTACT,
            "partly_met",
            "El municipio aporta el terreno y la báscula; falta la construcción.",
        ),
    )
    s.experiment(
        -40,
        lider,
        title="Separación en casa en Las Lomas",
        hypothesis="Con material separado en casa, cada ruta recupera más en menos tiempo.",
        tried="Bolsas de dos colores y visitas de vecinas promotoras en Las Lomas.",
        ends=50,
    )
    s.progress(
        -20,
        lider,
        "cooperativa-reciclamos-juntas",
        "Dijimos con claridad que sin el centro de acopio no llegamos a 90 toneladas este año.",
        [LONG, EXPECT],
        [Lever.FUNDING],
    )
    return s


def _incubadoras(w: World) -> Story:
    directora = "directora@cunasegura.example"
    s = Story(
        w,
        city=VALLE_ALTO,
        lead="cuna-segura",
        contact=V_CONTACT,
        title="Incubadoras que funcionan en el Hospital Municipal",
        goal="Que todo bebé prematuro del Hospital Municipal tenga una incubadora que funcione.",
        problem="El Hospital Municipal no tiene suficientes incubadoras.",
        lead_role="Repara las incubadoras y forma al personal de neonatología.",
        pathway="improve-services",
        stage="name-the-problem",
        start=-424,
        public_summary="La ciudad y Cuna Segura mantienen en funcionamiento las incubadoras "
        "del Hospital Municipal y forman a su personal.",
        checkin_notes=[
            ("Revisamos el inventario de incubadoras.", "Cambiar sensores de dos equipos."),
            ("Enfermería presentó el registro de temperatura.", "Mantener el registro diario."),
            ("Las parteras reportaron partos prematuros en casa.", "Crear un aviso directo."),
        ],
        missed=8,
    )
    s.plan(
        -350,
        directora,
        [
            ("Lo que queremos", "Incubadoras funcionando para todo bebé que las necesite."),
            ("Quién hace qué", "Cuna Segura repara y forma; el hospital abre sus equipos."),
            ("Cómo sabremos", "Incubadoras en funcionamiento y mortalidad neonatal."),
        ],
        "Primera versión.",
    )
    s.stage(-380, "listen-to-users", "Escuchamos a enfermería y a las madres.")
    s.reframe(
        -370,
        directora,
        "El hospital tiene incubadoras, pero la mitad no funciona porque nadie está a cargo de "
        "repararlas y el personal no tiene formación para usarlas. Comprar más no resolvería "
        "nada.",
        "Al revisar equipo por equipo con enfermería encontramos nueve incubadoras guardadas "
        "por fallas menores.",
    )
    s.progress(
        -360,
        directora,
        "cuna-segura",
        "Taller con enfermería: acordamos cuidar juntas cada equipo.",
        [VALUES, AGENCY],
        [Lever.TRAINING],
    )
    s.indicator(
        -345,
        directora,
        name="Incubadoras en funcionamiento",
        unit="unidades",
        direction=UP,
        baseline="3",
        target="12",
        target_day=60,
        source="Inventario de neonatología",
        series=[
            (-340, "3"),
            (-300, "5"),
            (-260, "7"),
            (-220, "8"),
            (-180, "10"),
            (-140, "11"),
            (-100, "11"),
            (-60, "12"),
            (-20, "12"),
        ],
    )
    s.indicator(
        -305,
        V_CONTACT,
        name="Mortalidad neonatal",
        unit="por 1.000 nacidos vivos",
        direction=DOWN,
        baseline="14.2",
        target="8",
        target_day=300,
        source="Estadísticas del hospital",
        series=[(-300, "14.2"), (-210, "12.8"), (-120, "11.1"), (-30, "10.4")],
    )
    s.stage(-300, "pilot-a-better-way", "Probamos el mantenimiento preventivo local.")
    s.experiment(
        -290,
        directora,
        title="Mantenimiento preventivo por técnicos locales",
        hypothesis="Revisar cada equipo cada mes evita las fallas que lo sacan de servicio.",
        tried="Dos técnicos de Valle Alto revisan cada incubadora el primer lunes del mes.",
        close=(-200, "Ninguna incubadora fuera de servicio por más de dos días.", ADOPT),
    )
    s.responsibility(
        -280,
        directora,
        "cuna-segura",
        "Formar a todo el personal de enfermería de neonatología",
        update=(-200, IN_PROGRESS),
    )
    s.progress(
        -240,
        V_CONTACT,
        VALLE_ALTO,
        "Compras municipales ya permite contratar el mantenimiento con proveedores locales.",
        [TOOLS],
        [Lever.PROCUREMENT],
    )
    s.partner(
        -220,
        "red-de-parteras-comunitarias",
        "Acompaña a las madres antes y después del parto y avisa de los bebés prematuros.",
    )
    s.experiment(
        -190,
        directora,
        title="Registro diario de temperatura por enfermería",
        hypothesis="Un registro diario detecta fallas antes de que afecten a un bebé.",
        tried="Hoja de registro en cada incubadora, revisada en cada cambio de turno.",
        close=(-130, "Tres fallas detectadas a tiempo en dos meses.", ADOPT),
    )
    s.stage(-180, "measure-the-difference", "Medimos la diferencia con datos del hospital.")
    s.responsibility(
        -170,
        V_CONTACT,
        VALLE_ALTO,
        "Crear una partida fija de mantenimiento de equipo neonatal",
        due=-90,
        update=(-100, DONE),
    )
    s.need(
        -160,
        directora,
        "cuna-segura",
        amount="350000",
        currency="MXN",
        period="Próximo año",
        purpose="Refacciones y un técnico de tiempo completo.",
        update=(-100, V_CONTACT, "met", "Incluido en la nueva partida de mantenimiento."),
    )
    s.plan(
        -150,
        directora,
        [
            ("Lo que queremos", "Incubadoras funcionando para todo bebé que las necesite."),
            (
                "Quién hace qué",
                "Cuna Segura forma y supervisa; técnicos locales dan mantenimiento cada mes; "
                "enfermería registra la temperatura cada día; las parteras avisan de partos "
                "prematuros.",
            ),
            ("Cómo sabremos", "Incubadoras en funcionamiento, fallas detectadas y mortalidad."),
        ],
        "Mantenimiento preventivo a cargo de técnicos locales y registro diario de temperatura.",
    )
    s.progress(
        -150,
        "partera@parteras.example",
        "red-de-parteras-comunitarias",
        "Las parteras ya avisan por teléfono a neonatología cuando un parto se adelanta.",
        [BEN, BRIDGES],
        [Lever.COMMUNICATION],
    )
    s.experiment(
        -100,
        directora,
        title="Aviso directo de las parteras a neonatología",
        hypothesis="Con aviso previo, la incubadora está lista cuando llega el bebé.",
        tried="Un número directo de neonatología para las parteras de la red.",
        close=(-40, "Funciona de día; de noche nadie contestaba. Agregamos guardia.", ADAPT),
    )
    s.stage(-60, "make-it-standard", "El hospital adopta el protocolo como propio.")
    s.progress(
        -55,
        directora,
        "cuna-segura",
        "El protocolo de mantenimiento entra al manual del hospital.",
        [LONG],
        [Lever.STANDARD],
    )
    s.responsibility(
        -55,
        V_STAFF,
        VALLE_ALTO,
        "Incluir el protocolo en el manual del hospital",
        due=45,
    )
    s.status(-50, Partnership.Status.SCALING)
    s.experiment(
        -20,
        directora,
        title="Incubadoras de transporte en las ambulancias",
        hypothesis="Los bebés trasladados desde las colonias llegan más estables.",
        tried="Dos ambulancias equipadas con incubadora de transporte.",
        ends=70,
    )
    s.need(
        -15,
        directora,
        "cuna-segura",
        amount="280000",
        currency="MXN",
        period="Próximos 12 meses",
        purpose="Dos incubadoras de transporte para ambulancias.",
    )
    return s


def _salud_materna(w: World) -> Story:
    partera = "partera@parteras.example"
    s = Story(
        w,
        city=VALLE_ALTO,
        lead="red-de-parteras-comunitarias",
        contact=V_STAFF,
        title="Salud materna en las colonias del oriente",
        goal="Que tres de cada cuatro embarazadas del oriente tengan cuatro o más consultas "
        "prenatales.",
        problem="Las mujeres de las colonias del oriente no acuden a sus consultas prenatales.",
        lead_role="Acompaña a las embarazadas y organiza los círculos de madres.",
        pathway="improve-outcomes",
        stage="agree-the-outcome",
        start=-82,
        cadence=Partnership.Cadence.FORTNIGHTLY,
        status=Partnership.Status.EXPLORING,
        checkin_notes=[
            ("Revisamos a quién acompaña cada partera.", "Sumar dos colonias al mapa."),
            ("Escuchamos lo que dijeron los círculos de madres.", "Probar consulta en sábado."),
        ],
        missed=2,
    )
    s.partner(
        -70,
        "cuna-segura",
        "Comparte datos del hospital y forma a las parteras en señales de alarma.",
    )
    s.indicator(
        -75,
        partera,
        name="Embarazadas con cuatro o más consultas prenatales",
        unit="%",
        direction=UP,
        baseline="42",
        target="75",
        target_day=365,
        source="Registro de la Red de Parteras",
        series=[(-70, "42"), (-40, "44"), (-10, "47")],
    )
    s.plan(
        -75,
        partera,
        [
            ("Lo que queremos", "Embarazos acompañados y consultas a tiempo."),
            ("Quién hace qué", "Las parteras acompañan; el municipio acerca las consultas."),
        ],
        "Primera versión.",
    )
    s.participant(-60, "mama@vallealto.example", Participant.Role.REVIEWER)
    s.experiment(
        -60,
        partera,
        title="Círculos de madres",
        hypothesis="Las madres dicen en grupo lo que no dicen en consulta.",
        tried="Reuniones mensuales de embarazadas y madres en cuatro colonias.",
        close=(-25, "Salieron las verdaderas barreras: horario, distancia y lengua.", ADOPT),
    )
    s.responsibility(
        -55,
        partera,
        "red-de-parteras-comunitarias",
        "Organizar círculos de madres en cuatro colonias",
        due=-25,
        update=(-25, DONE),
    )
    s.progress(
        -50,
        partera,
        "red-de-parteras-comunitarias",
        "Primeros círculos de madres: 46 mujeres en cuatro colonias.",
        [BEN],
        [Lever.COMMUNICATION],
    )
    s.stage(-30, "reframe-with-residents", "Replanteamos la necesidad con las madres.")
    s.reframe(
        -28,
        partera,
        "Las consultas prenatales están lejos, en horario de trabajo y sin nadie que hable la "
        "lengua de muchas madres. Las mujeres sí se cuidan: buscan a las parteras, que el "
        "sistema no reconoce.",
        "En los círculos de madres, las mujeres explicaron que pierden un día de trabajo por "
        "consulta y que la partera es quien las acompaña de verdad.",
    )
    s.plan(
        -20,
        partera,
        [
            ("Lo que queremos", "Embarazos acompañados y consultas a tiempo, cerca de casa."),
            (
                "Quién hace qué",
                "Las parteras acompañan y convocan; el municipio abre un consultorio los "
                "sábados; Cuna Segura forma en señales de alarma.",
            ),
        ],
        "Tras los círculos de madres: consultas en el centro comunitario los sábados.",
    )
    s.need(
        -15,
        partera,
        "red-de-parteras-comunitarias",
        amount="90000",
        currency="MXN",
        period="Próximos seis meses",
        purpose="Transporte y apoyo económico para las parteras de la red.",
    )
    s.responsibility(
        -12,
        V_STAFF,
        VALLE_ALTO,
        "Conseguir un consultorio los sábados en el centro comunitario",
        due=14,
        update=(-10, IN_PROGRESS),
    )
    s.progress(
        -12,
        V_STAFF,
        VALLE_ALTO,
        "Salud municipal comparte los datos de consultas por colonia con la red.",
        [AGENCY, TOOLS],
        [Lever.DATA],
    )
    s.experiment(
        -8,
        partera,
        title="Consulta prenatal en sábado",
        hypothesis="Con consulta en sábado y cerca de casa, más mujeres completan sus consultas.",
        tried="Un médico y una partera atienden los sábados en el centro comunitario.",
        ends=60,
    )
    return s


STORIES: list[Callable[[World], Story]] = [
    _by_name_list,
    _welcoming,
    _community_meals,
    _summer_jobs,
    _recicladoras,
    _incubadoras,
    _salud_materna,
]
