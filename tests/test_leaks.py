"""Private data of a partnership never reaches someone who may not see it.

Unique marker strings are planted in partnership A's private data: a financial need's
purpose, amount and discussion, a progress update, the plan, check-in notes, a
reframing, an experiment, a measurement's source, a responsibility, a training's place, and the e-mail
address of one of its people. Then every GET URL of the project is opened by each
persona who cannot see A (another city's staff, an outsider, nobody signed in), with
A's ids and with the ids of their own things, as a page and as an htmx fragment, CSV
exports included, and no answer may contain a marker. A beneficiary of A sees A, but
never its money nor a printed sign-in code; a beneficiary of another partnership sees
nothing of A. The e-mails the project sends carry no private data in their subjects.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts import services as account_services
from beneficiaries import services as beneficiary_services
from partnerships import services
from partnerships.models import CheckIn, Partnership
from playbook.models import Practice
from tests import factories as f
from tests.conftest import World
from tests.test_url_walk import EXPECTED, Bundle, Scene, _bundle, all_routes, invited_partner

HTMX = {"HTTP_HX_REQUEST": "true"}

# Money: private to the partner organizations, the city among them.
MONEY_MARKERS = {
    "need purpose": "QZX-NEED-PURPOSE-5531",
    "need period": "QZX-NEED-PERIOD-5532",
    "need discussion": "QZX-NEED-TALK-5533",
}
# The amount is searched for in any grouping a locale may give it (7,314,159.27 or
# 7.314.159,27 or with spaces), so it is a pattern rather than a string.
AMOUNT = Decimal("7314159.27")
AMOUNT_PATTERN = re.compile(r"7\D{0,2}314\D{0,2}159")

# The rest: private to the people of the partnership.
PARTNERSHIP_MARKERS = {
    "title": "QZX-TITLE-7710",
    "goal": "QZX-GOAL-7711",
    "problem": "QZX-PROBLEM-7712",
    "progress": "QZX-PROGRESS-7713",
    "plan heading": "QZX-PLAN-HEADING-7714",
    "plan body": "QZX-PLAN-BODY-7715",
    "plan note": "QZX-PLAN-NOTE-7716",
    "check-in notes": "QZX-CHECKIN-NOTES-7717",
    "check-in decisions": "QZX-CHECKIN-DECISIONS-7718",
    "reframing": "QZX-LEARNED-7719",
    "experiment": "QZX-HYPOTHESIS-7720",
    "measurement source": "QZX-SOURCE-7721",
    "responsibility": "QZX-RESPONSIBILITY-7722",
    "training place": "QZX-TRAINING-PLACE-7724",
    "person's e-mail": "qzx.quiet.cook.7723@harvest.example",
}
ALL_MARKERS = {**MONEY_MARKERS, **PARTNERSHIP_MARKERS}
# What people said about A's plan: for the people of A only.
COMMENT_MARKERS = {
    "comment": "QZX-COMMENT-7724",
    "reply": "QZX-REPLY-7725",
    "answer": "QZX-ANSWER-7726",
    "offline voice": "QZX-VOICE-7727",
}
# A comment three people reported, hidden until a moderator decides: moderators only.
HIDDEN_MARKERS = {"hidden comment": "QZX-HIDDEN-COMMENT-7728"}


@pytest.fixture(autouse=True)
def _english_and_fresh_limits() -> Iterator[None]:
    cache.clear()
    with translation.override("en"):
        yield


@dataclass
class Planted:
    scene: Scene
    a: Partnership


def _plant(world: World) -> Partnership:
    """Fills partnership A with marked private data, through the services where they exist."""
    a = world.partnership
    Partnership.objects.filter(pk=a.pk).update(
        title=PARTNERSHIP_MARKERS["title"],
        goal=PARTNERSHIP_MARKERS["goal"],
        problem_statement="Neighbours eat alone.",
    )
    a.refresh_from_db()
    staff, founder = world.city_staff, world.entrepreneur
    # A person with no name is shown by e-mail address wherever a name would appear.
    quiet = f.UserFactory(email=PARTNERSHIP_MARKERS["person's e-mail"], name="")
    f.MembershipFactory(user=quiet, organization=world.enterprise)
    services.partnership_reframe(
        actor=founder,
        partnership=a,
        statement=PARTNERSHIP_MARKERS["problem"],
        learned=PARTNERSHIP_MARKERS["reframing"],
    )
    services.progress_log(
        actor=quiet,
        partnership=a,
        organization=world.enterprise,
        text=PARTNERSHIP_MARKERS["progress"],
        practices=list(Practice.objects.all()[:1]),
    )
    services.plan_publish(
        actor=staff,
        partnership=a,
        sections=[(PARTNERSHIP_MARKERS["plan heading"], PARTNERSHIP_MARKERS["plan body"])],
        note=PARTNERSHIP_MARKERS["plan note"],
    )
    checkin = CheckIn.objects.create(partnership=a, due_date=timezone.localdate())
    services.checkin_record(
        actor=staff,
        checkin=checkin,
        held=True,
        held_on=timezone.localdate(),
        attendees=[quiet, staff],
        attending_organizations=[world.enterprise],
        notes=PARTNERSHIP_MARKERS["check-in notes"],
        decisions=PARTNERSHIP_MARKERS["check-in decisions"],
    )
    services.experiment_start(
        actor=founder,
        partnership=a,
        title="Evening meals",
        hypothesis=PARTNERSHIP_MARKERS["experiment"],
        what_is_tried="Open later.",
    )
    indicator = services.indicator_create(
        actor=staff,
        partnership=a,
        name="Meals",
        unit="meals",
        direction="up",
        baseline=0,
        target=100,
        target_date=timezone.localdate() + timedelta(days=90),
    )
    services.measurement_add(
        actor=quiet,
        indicator=indicator,
        on=timezone.localdate(),
        value=12,
        source=PARTNERSHIP_MARKERS["measurement source"],
    )
    services.responsibility_add(
        actor=staff,
        partnership=a,
        organization=world.enterprise,
        description=PARTNERSHIP_MARKERS["responsibility"],
    )
    beneficiary_services.training_schedule(
        actor=staff,
        partnership=a,
        topic="other",
        own_topic="Reading the council's budget",
        starts_at=timezone.now() + timedelta(days=9),
        place=PARTNERSHIP_MARKERS["training place"],
        capacity=15,
    )
    need = services.need_state(
        actor=quiet,
        partnership=a,
        organization=world.enterprise,
        amount=AMOUNT,
        currency="USD",
        period=MONEY_MARKERS["need period"],
        purpose=MONEY_MARKERS["need purpose"],
    )
    services.need_update(
        actor=staff,
        need=need,
        status="partly_met",
        discussion_notes=MONEY_MARKERS["need discussion"],
    )
    _plant_comments(world, a)
    a.refresh_from_db()
    return a


def _plant_comments(world: World, a: Partnership) -> None:
    from beneficiaries import services as voice
    from partnerships.models import Participant

    section = a.plan_versions.order_by("-number").first().sections.get()  # type: ignore[union-attr]
    comment = voice.comment_post(
        actor=world.beneficiary, section=section, body=COMMENT_MARKERS["comment"]
    )
    voice.comment_post(
        actor=world.entrepreneur, section=section, body=COMMENT_MARKERS["reply"], parent=comment
    )
    voice.comment_answer(actor=world.city_staff, comment=comment, body=COMMENT_MARKERS["answer"])
    voice.voice_record(
        actor=world.entrepreneur,
        section=section,
        body=COMMENT_MARKERS["offline voice"],
        spoken_on=timezone.localdate(),
    )
    neighbours = []
    for i in range(4):
        person = f.UserFactory(email=f"neighbour{i}@example.net", name=f"Neighbour {i}")
        Participant.objects.create(partnership=a, user=person)
        neighbours.append(person)
    hidden = voice.comment_post(
        actor=neighbours[0], section=section, body=HIDDEN_MARKERS["hidden comment"]
    )
    for person in neighbours[1:]:
        voice.comment_report(actor=person, comment=hidden, reason="personal_data")
    hidden.refresh_from_db()
    assert hidden.is_hidden


@pytest.fixture
def planted(world: World) -> Planted:
    from accounts.models import Invitation, Membership
    from playbook.models import ModelPathway

    # One of everything a URL can name first; the marked data goes on top of it.
    mine = _bundle(world.partnership, world.city_staff)
    a = _plant(world)
    mine.partnership = a
    pathway = ModelPathway.objects.order_by("order").first()
    scene = Scene(
        world=world,
        mine=mine,
        theirs=_bundle(world.other_partnership, world.other_city_staff),
        membership=Membership.objects.get(user=world.city_staff, organization=world.city),
        invitation=Invitation.objects.create(
            organization=world.city, email="newcomer@example.org", invited_by=world.city_admin
        ),
        pathway_slug=pathway.slug if pathway else "none",
        invited=invited_partner(world),
    )
    return Planted(scene=scene, a=a)


# --- Reading the answers ----------------------------------------------------------------


def _text(response: Any) -> str:
    if hasattr(response, "streaming_content"):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    headers = " ".join(f"{k}: {v}" for k, v in response.items())
    return headers + "\n" + body.decode("utf-8", errors="replace")


def _found(text: str, markers: dict[str, str], *, amount: bool) -> list[str]:
    found = [label for label, marker in markers.items() if marker.lower() in text.lower()]
    if amount and AMOUNT_PATTERN.search(text):
        found.append("need amount")
    return found


def _client(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    return client


# --- Which URLs each persona opens -------------------------------------------------------


def _own_ids(scene: Scene, persona: str) -> dict[str, dict[str, Any]]:
    """Kwargs naming things of the persona's own (other city's partnership, own organization)."""
    world = scene.world
    own_org = {
        "other_city_staff": world.other_city,
        "outsider": world.outsider_org,
        "beneficiary": world.outsider_org,
        "other_beneficiary": world.outsider_org,
        "anonymous": world.outsider_org,
    }[persona]
    return {"organization": {"pk": own_org.pk}}


# The invitation's token is the credential: whoever holds it was sent it, and the page shows
# them the partnership they are invited to. A token nobody was sent is a 404 (tests/beneficiaries).
SENT_TO_THE_INVITEE = {"beneficiaries:invitation_accept"}
# A private calendar feed's address is its owner's credential, like the token above; what
# each feed holds is tested in tests/notifications/test_views.py.
PRIVATE_FEEDS = {"notifications:calendar_feed"}


def _urls(scene: Scene, persona: str) -> list[str]:
    urls: set[str] = set()
    for route in all_routes():
        if route.is_admin or route.key in SENT_TO_THE_INVITEE | PRIVATE_FEEDS:
            continue
        entry = EXPECTED[route.key]
        bundles: list[Bundle] = [scene.mine, scene.theirs]
        if entry.partnership is not None:
            for bundle in bundles:
                urls.add(reverse(route.key, kwargs=entry.partnership(bundle)))
            # A's pk with the other partnership's object ids, and the other way round.
            theirs = entry.partnership(scene.theirs)
            if any(name.endswith("_pk") for name in theirs):
                urls.add(reverse(route.key, kwargs={**theirs, "pk": scene.mine.partnership.pk}))
                mine = entry.partnership(scene.mine)
                urls.add(reverse(route.key, kwargs={**mine, "pk": scene.theirs.partnership.pk}))
            continue
        kwargs = entry.kwargs(scene)
        urls.add(reverse(route.key, kwargs=kwargs))
        if route.key.startswith("accounts:") and "pk" in kwargs:
            own = _own_ids(scene, persona)["organization"]
            urls.add(reverse(route.key, kwargs={**kwargs, **own}))
    a = scene.mine.partnership
    # List pages asked for A by name, status, page and city.
    for name in ("partnerships:dashboard", "partnerships:portfolio_export", "partnerships:my"):
        base = reverse(name)
        # Part of the title: the search box shows what was typed, which is no leak.
        urls.add(f"{base}?q={a.title[:9]}")
        urls.add(f"{base}?status={a.status}&page=1")
        urls.add(f"{base}?city={a.city_id}&lead={a.lead_id}")
        urls.add(f"{base}?sort=-last_activity&page=2")
    with translation.override("es"):
        urls.add(reverse("partnerships:detail", kwargs={"pk": a.pk}))
        urls.add(reverse("partnerships:money", kwargs={"pk": a.pk}))
        urls.add(reverse("partnerships:timeline", kwargs={"pk": a.pk}))
    return sorted(urls)


def _walk(planted: Planted, persona: str, markers: dict[str, str], *, amount: bool) -> list[str]:
    client = _client(planted.scene.world, persona)
    leaks = []
    for url in _urls(planted.scene, persona):
        for headers in ({}, HTMX):
            response = client.get(url, **headers)
            found = _found(_text(response), markers, amount=amount)
            if found:
                via = "htmx" if headers else "page"
                leaks.append(f"{url} ({via}, {response.status_code}) shows {found}")
    return leaks


# --- The tests -------------------------------------------------------------------------------


def test_the_markers_are_where_the_people_of_the_partnership_see_them(
    planted: Planted, client_as
) -> None:
    """Without this, the walks below could pass because nothing was planted."""
    client = client_as("city_staff")
    pages = "".join(
        _text(client.get(reverse(name, kwargs={"pk": planted.a.pk})))
        for name in (
            "partnerships:detail",
            "partnerships:plan",
            "partnerships:checkins",
            "partnerships:progress",
            "partnerships:evidence",
            "partnerships:experiments",
            "partnerships:money",
            "partnerships:timeline",
            "partnerships:measurements_export",
            "beneficiaries:trainings",
        )
    )
    # A person without a name is shown by the first part of their address only: even the
    # partners never see the whole address on a partnership's pages.
    expected = (set(ALL_MARKERS) - {"person's e-mail"}) | {"need amount"}
    assert set(_found(pages, ALL_MARKERS, amount=True)) == expected


@pytest.mark.parametrize(
    "persona", ["other_city_staff", "other_beneficiary", "outsider", "anonymous"]
)
def test_nothing_private_of_a_partnership_reaches_someone_who_cannot_see_it(
    persona: str, planted: Planted
) -> None:
    markers = {**ALL_MARKERS, **COMMENT_MARKERS, **HIDDEN_MARKERS}
    leaks = _walk(planted, persona, markers, amount=True)

    assert not leaks, "\n".join(leaks)


def test_a_beneficiary_never_sees_the_money_nor_a_hidden_comment(planted: Planted) -> None:
    leaks = _walk(planted, "beneficiary", {**MONEY_MARKERS, **HIDDEN_MARKERS}, amount=True)

    assert not leaks, "\n".join(leaks)


def test_the_comments_are_where_the_people_of_the_partnership_see_them(
    planted: Planted, client_as
) -> None:
    """The walks above could pass because nothing was planted: the comments are on the
    section's page, and the hidden one on the moderators' page only."""
    from beneficiaries.models import Comment

    a = planted.a
    section_pk = Comment.objects.get(partnership=a, body=COMMENT_MARKERS["comment"]).section_id
    section = reverse("beneficiaries:section", kwargs={"pk": a.pk, "section_pk": section_pk})
    queue = reverse("beneficiaries:moderation", kwargs={"pk": a.pk})
    for persona in ("beneficiary", "entrepreneur"):
        text = _text(client_as(persona).get(section))
        assert set(_found(text, COMMENT_MARKERS, amount=False)) == set(COMMENT_MARKERS)
    assert _found(_text(client_as("beneficiary").get(section)), HIDDEN_MARKERS, amount=False) == []
    assert client_as("beneficiary").get(queue).status_code == 403
    for persona in ("city_staff", "entrepreneur"):
        assert _found(_text(client_as(persona).get(queue)), HIDDEN_MARKERS, amount=False)


def test_another_partnerships_comments_are_not_found(planted: Planted, client_as) -> None:
    """Our city's admin asks for the other partnership's comment under either partnership."""
    theirs = planted.scene.theirs
    mine = planted.a
    client = client_as("city_admin")
    for name in (
        "beneficiaries:comment_reply",
        "beneficiaries:comment_report",
        "beneficiaries:comment_moderate",
        "beneficiaries:comment_answer",
        "beneficiaries:comment_edit",
    ):
        for pk in (mine.pk, theirs.partnership.pk):
            url = reverse(name, kwargs={"pk": pk, "comment_pk": theirs.comment.pk})
            assert client.get(url).status_code == 404, url
            assert client.post(url, {"body": "x", "reason": "spam"}).status_code == 404, url
    other = reverse(
        "beneficiaries:section", kwargs={"pk": mine.pk, "section_pk": theirs.section.pk}
    )
    assert client.get(other).status_code == 404


def test_a_beneficiary_never_sees_a_printed_code(planted: Planted) -> None:
    """A printed code signs its holder in: only the partners who print it see it."""
    from beneficiaries.models import ParticipantInvitation

    ParticipantInvitation.objects.create(
        partnership=planted.a,
        kind=ParticipantInvitation.Kind.PRINTED,
        code="QZXPRNT9",
        invited_by=planted.scene.world.city_staff,
    )
    markers = {"printed code": "QZXP-RNT9", "printed code, plain": "QZXPRNT9"}

    for persona in ("beneficiary", "other_beneficiary"):
        leaks = _walk(planted, persona, markers, amount=False)
        assert not leaks, "\n".join(leaks)


def test_a_beneficiary_sees_the_partnership_itself(planted: Planted, client_as) -> None:
    """The beneficiary's walk is not empty: the plan and the progress are theirs to read."""
    client = client_as("beneficiary")
    text = _text(client.get(reverse("partnerships:plan", kwargs={"pk": planted.a.pk})))
    text += _text(client.get(reverse("partnerships:timeline", kwargs={"pk": planted.a.pk})))
    assert PARTNERSHIP_MARKERS["plan body"] in text
    assert PARTNERSHIP_MARKERS["progress"][:20] in text


MONEY_URLS = [
    "partnerships:money",
    "partnerships:need_state",
    "partnerships:need_update",
    "partnerships:measurements_export",
]


@pytest.mark.parametrize(
    "persona", ["other_city_staff", "outsider", "beneficiary", "other_beneficiary"]
)
def test_money_of_a_partnership_answers_as_if_it_did_not_exist(
    persona: str, planted: Planted
) -> None:
    """Whatever the method, A's money pages answer exactly as a partnership that does not exist."""
    client = _client(planted.scene.world, persona)
    problems = []
    for name in MONEY_URLS:
        kwargs = EXPECTED[name].partnership(planted.scene.mine)  # type: ignore[misc]
        real = reverse(name, kwargs=kwargs)
        missing = reverse(name, kwargs={**kwargs, "pk": 987654321})
        for method in ("get", "post"):
            for headers in ({}, HTMX):
                data = {"status": "met"} if method == "post" else {}
                got = getattr(client, method)(real, data, **headers).status_code
                nothing = getattr(client, method)(missing, data, **headers).status_code
                if got != nothing or got not in (404, 405):
                    problems.append(f"{method} {real}: {got}, but {nothing} for no partnership")
    assert not problems, "\n".join(problems)


# --- E-mail ------------------------------------------------------------------------------------


def _private_words(world: World, a: Partnership) -> dict[str, str]:
    """What an e-mail subject must not carry: markers, names, addresses, titles."""
    words = dict(ALL_MARKERS)
    words.update(
        {
            "partnership title": a.title,
            "city": world.city.name,
            "enterprise": world.enterprise.name,
            "inviter's name": world.city_admin.name,
            "inviter's address": world.city_admin.email,
        }
    )
    return words


def test_no_e_mail_carries_private_data_in_its_subject_or_to_an_outsider(
    planted: Planted, client_as
) -> None:
    world = planted.scene.world
    mail.outbox.clear()
    # Every e-mail the project sends: an invitation, a password reset (known and unknown
    # address), an e-mail address to confirm, and a sign-up with a taken address.
    with translation.override("en"):
        account_services.invitation_create(
            actor=world.city_admin, organization=world.city, email=world.outsider.email
        )
    # on_commit does not fire inside the test's transaction; send as the commit would.
    invitation = world.city.invitations.get(email=world.outsider.email)
    account_services.invitation_send_email(invitation=invitation)
    anonymous = client_as("anonymous")
    anonymous.post(reverse("account_reset_password"), {"email": world.outsider.email})
    anonymous.post(reverse("account_reset_password"), {"email": "nobody@nowhere.example"})
    anonymous.post(
        reverse("account_signup"),
        {
            "email": world.outsider.email,
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
    )
    client_as("outsider").post(
        reverse("account_email"), {"action_add": "", "email": "second@unrelated.example"}
    )
    assert len(mail.outbox) >= 4, [m.subject for m in mail.outbox]

    private = _private_words(world, planted.a)
    problems = []
    for message in mail.outbox:
        in_subject = _found(message.subject, private, amount=True)
        if in_subject:
            problems.append(f"subject {message.subject!r} carries {in_subject}")
        bodies = [message.body] + [
            content for content, _type in getattr(message, "alternatives", [])
        ]
        in_body = _found("\n".join(str(b) for b in bodies), ALL_MARKERS, amount=True)
        if in_body:
            problems.append(f"e-mail to {message.to} ({message.subject!r}) carries {in_body}")
    assert not problems, "\n".join(problems)


# --- Links ------------------------------------------------------------------------------------

HREF = re.compile(r'(?:href|hx-get|hx-post|action)="(/[^"#]*)')
SECTIONS = [
    "partnerships:detail",
    "partnerships:plan",
    "partnerships:checkins",
    "partnerships:progress",
    "partnerships:evidence",
    "partnerships:experiments",
    "partnerships:money",
    "partnerships:timeline",
]


@pytest.mark.parametrize("persona", ["city_staff", "entrepreneur", "beneficiary"])
def test_every_link_on_a_partnership_page_opens_for_the_person_it_is_shown_to(
    persona: str, planted: Planted
) -> None:
    """A link or form shown is one the view lets this person use: the page's offer and the
    view's rule come from the same permission, never from a template's own idea."""
    client = _client(planted.scene.world, persona)
    targets: set[str] = set()
    for name in SECTIONS:
        response = client.get(reverse(name, kwargs={"pk": planted.a.pk}))
        if response.status_code == 404:
            assert name == "partnerships:money" and persona == "beneficiary"
            continue
        targets |= {html.unescape(m) for m in HREF.findall(response.content.decode())}
    assert any("/partnerships/" in t for t in targets)
    closed = {}
    for target in sorted(targets):
        if target.startswith(("/static/", "/i18n/", "/accounts/logout")):
            continue
        status = client.get(target).status_code
        if status in (403, 404):
            closed[target] = status
    assert closed == {}


# --- A city's own playbook ---------------------------------------------------------------------
# Riverton's draft statement, its register of experiences, its notes on introductions and the
# comments on its draft stay with the city (and, for the draft, the organizations it invited).

CITY_MARKERS = {
    "draft section": "QZX-DRAFT-9001",
    "register department": "QZX-REGISTER-9002",
    "register lesson": "QZX-REGISTER-9003",
    "introduction note": "QZX-NOTE-9004",
    "draft comment": "QZX-COMMENT-9005",
}
# What an invited organization's people may read: the draft and its comments.
DRAFT_ONLY = {"draft section", "draft comment"}


def _plant_city(scene: Scene) -> None:
    from cities import services as city_services
    from tests.cities.world import cities_scene

    made = cities_scene(scene)
    world = scene.world
    city_services.statement_section_edit(
        actor=world.city_staff, city=world.city, key="why", body=CITY_MARKERS["draft section"]
    )
    city_services.experience_record(
        actor=world.city_staff,
        city=world.city,
        department=CITY_MARKERS["register department"],
        organization_name="Green Hands",
        what_happened="Planted trees",
        what_was_learned=CITY_MARKERS["register lesson"],
    )
    city_services.introduction_note(
        actor=world.city_staff,
        introduction=made.introduction,
        text=CITY_MARKERS["introduction note"],
    )
    city_services.statement_comment(
        actor=world.entrepreneur,
        section=world.city.statement.sections.get(key="why"),
        organization=world.enterprise,
        text=CITY_MARKERS["draft comment"],
    )


def _city_urls(scene: Scene, persona: str) -> list[str]:
    """Every URL of the walk, and the cities' ones again with the other city's short name."""
    # The entrepreneur sees its own organization's pages: it opens the outsider's with them.
    urls = set(_urls(scene, "outsider" if persona == "entrepreneur" else persona))
    for route in all_routes():
        if not route.key.startswith("cities:"):
            continue
        kwargs = EXPECTED[route.key].kwargs(scene)
        if kwargs.get("slug") == scene.world.city.slug:
            urls.add(reverse(route.key, kwargs={**kwargs, "slug": scene.world.other_city.slug}))
    urls.add(reverse("cities:experiences", args=[scene.world.city.slug]) + "?q=QZX")
    return sorted(urls)


def test_the_city_markers_are_where_the_city_sees_them(planted: Planted, client_as) -> None:
    _plant_city(planted.scene)
    city = planted.scene.world.city
    client = client_as("city_staff")
    made = planted.scene._cities  # type: ignore[attr-defined]
    pages = "".join(
        _text(client.get(url))
        for url in (
            reverse("cities:statement_draft", args=[city.slug]),
            reverse("cities:experiences", args=[city.slug]),
            reverse("cities:introduction", args=[city.slug, made.introduction.pk]),
        )
    )
    assert set(_found(pages, CITY_MARKERS, amount=False)) == set(CITY_MARKERS)


@pytest.mark.parametrize(
    "persona", ["other_city_staff", "outsider", "anonymous", "beneficiary", "entrepreneur"]
)
def test_a_draft_or_a_citys_register_never_reaches_another_city_or_the_public(
    persona: str, planted: Planted
) -> None:
    _plant_city(planted.scene)
    # The entrepreneur's organization is invited to the draft: only the rest is secret to it.
    markers = {
        label: marker
        for label, marker in CITY_MARKERS.items()
        if persona != "entrepreneur" or label not in DRAFT_ONLY
    }
    client = _client(planted.scene.world, persona)
    leaks = []
    for url in _city_urls(planted.scene, persona):
        response = client.get(url)
        found = _found(_text(response), markers, amount=False)
        if found:
            leaks.append(f"{url} ({response.status_code}) shows {found}")

    assert not leaks, "\n".join(leaks)
