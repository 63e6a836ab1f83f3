"""Every URL of the project, requested by every persona, answers as this table says.

The walk fails when the project gains a URL that ``EXPECTED`` does not list, and when
``EXPECTED`` lists a URL that no longer exists: a new page cannot ship without someone
deciding who may open it. Admin and allauth URLs are covered by explicit rules below.

Expected answers to a GET:
- ``200``: the page; ``403``: visible but not allowed; ``404``: not visible at all;
  ``405``: POST only (answered after the permission check).
- ``LOGIN``: a redirect to the sign-in page; ``ADMIN_LOGIN``: the admin's redirect to
  its own login (which sends people on to the sign-in page).
- ``Redirect(path)``: any other redirect, whose Location must start with ``path``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone, translation

import config.urls
from accounts.models import Invitation, Membership, Organization
from beneficiaries.models import Comment, ParticipantInvitation, Training
from notifications.services import subscriber_for, unsubscribe_token
from partnerships.models import (
    Participant,
    Partner,
    Partnership,
    PlanSection,
    PlanVersion,
    Responsibility,
)
from tests import factories as f
from tests.cities.world import cities_scene
from tests.conftest import PERSONAS, World

LOGIN = "login"
ADMIN_LOGIN = "admin-login"


@dataclass(frozen=True)
class Redirect:
    to: str


Expected = int | str | Redirect


def each(default: Expected, **overrides: Expected) -> dict[str, Expected]:
    unknown = set(overrides) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


# --- Objects the URLs point at ---------------------------------------------------------


@dataclass
class Bundle:
    """A partnership and one of everything its URLs can name."""

    partnership: Partnership
    checkin: Any
    indicator: Any
    experiment: Any
    need: Any
    partner: Any
    responsibility: Responsibility
    plan_version: PlanVersion
    participant_invitation: ParticipantInvitation
    measurement: Any
    progress_update: Any
    section: PlanSection
    # Written by the partnership's first participant (the beneficiary, in ours).
    comment: Comment
    training: Training
    printed_invitation: ParticipantInvitation
    participant: Participant


@dataclass
class Scene:
    world: World
    mine: Bundle
    theirs: Bundle
    membership: Membership
    invitation: Invitation
    pathway_slug: str
    # An open invitation into a partnership, which the entrepreneur answers for its lead.
    invited: Partner


def invited_partner(world: World) -> Partner:
    """Riverton proposes a second partnership to the entrepreneur's organization."""
    proposed = f.PartnershipFactory(title="Proposed", city=world.city, lead=world.enterprise)
    partner = proposed.partners.get()
    partner.status = Partner.Status.INVITED
    partner.save(update_fields=["status"])
    return partner


def _bundle(partnership: Partnership, author: Any) -> Bundle:
    community = f.OrganizationFactory(kind=Organization.Kind.COMMUNITY_GROUP)
    version = PlanVersion.objects.create(partnership=partnership, number=1, published_by=author)
    section = PlanSection.objects.create(version=version, order=1, heading="Why", body="Because.")
    indicator = f.IndicatorFactory(partnership=partnership)
    participant = partnership.participants.select_related("user").first()
    commenter = participant.user if participant is not None else author
    return Bundle(
        partnership=partnership,
        checkin=f.CheckInFactory(partnership=partnership),
        indicator=indicator,
        experiment=f.ExperimentFactory(partnership=partnership),
        need=f.FinancialNeedFactory(partnership=partnership),
        partner=f.PartnerFactory(partnership=partnership, organization=community),
        responsibility=Responsibility.objects.create(
            partnership=partnership,
            organization=partnership.lead,
            description="Cook on Tuesdays",
            due_date=timezone.localdate() + timedelta(days=30),
        ),
        plan_version=version,
        # To an address none of the personas has, so nobody here can accept it.
        participant_invitation=ParticipantInvitation.objects.create(
            partnership=partnership, email="invitee@example.net", invited_by=author
        ),
        # Entered by the city's point of contact: the lead's people may not correct them.
        measurement=f.MeasurementFactory(indicator=indicator, entered_by=author),
        progress_update=f.ProgressUpdateFactory(partnership=partnership, author=author),
        section=section,
        comment=Comment.objects.create(
            partnership=partnership, section=section, author=commenter, body="More Tuesdays."
        ),
        training=Training.objects.create(
            partnership=partnership,
            topic=Training.Topic.PLANNING,
            starts_at=timezone.now() + timedelta(days=10),
            place="Community hall",
            capacity=10,
            scheduled_by=author,
        ),
        printed_invitation=ParticipantInvitation.objects.create(
            partnership=partnership,
            kind=ParticipantInvitation.Kind.PRINTED,
            code=f"PRNT{partnership.pk:04d}"[-8:],
            invited_by=author,
        ),
        # The beneficiary persona of that partnership (beneficiary, other_beneficiary).
        participant=partnership.participants.get(),
    )


@pytest.fixture
def scene(world: World) -> Scene:
    from playbook.models import ModelPathway

    pathway = ModelPathway.objects.order_by("order").first()
    return Scene(
        world=world,
        mine=_bundle(world.partnership, world.city_staff),
        theirs=_bundle(world.other_partnership, world.other_city_staff),
        membership=Membership.objects.get(user=world.city_staff, organization=world.city),
        invitation=Invitation.objects.create(
            organization=world.city, email="newcomer@example.org", invited_by=world.city_admin
        ),
        pathway_slug=pathway.slug if pathway else "no-pathway-seeded",
        invited=invited_partner(world),
    )


# --- Who gets what ---------------------------------------------------------------------

PUBLIC = each(200)
SIGNED_IN = each(200, anonymous=LOGIN)

# Partnership pages (pk = world.partnership; city_staff is its point of contact).
SECTION = each(
    404, city_staff=200, city_admin=200, entrepreneur=200, beneficiary=200, anonymous=LOGIN
)
MONEY = each(404, city_staff=200, city_admin=200, entrepreneur=200, anonymous=LOGIN)
CONTRIBUTE = each(
    404, city_staff=200, city_admin=200, entrepreneur=200, beneficiary=403, anonymous=LOGIN
)
# POST-only forms: the contributors reach the 405, a participant is forbidden.
CONTRIBUTE_POST = each(
    404, city_staff=405, city_admin=405, entrepreneur=405, beneficiary=403, anonymous=LOGIN
)
# POST-only forms of the participants (a training's places).
PARTICIPANT_POST = each(
    404, city_staff=403, city_admin=403, entrepreneur=403, beneficiary=405, anonymous=LOGIN
)
MANAGE = each(
    404, city_staff=200, city_admin=200, entrepreneur=403, beneficiary=403, anonymous=LOGIN
)

# Archive and delete: the city's administrators only.
CITY_ADMIN = each(
    404, city_staff=403, city_admin=200, entrepreneur=403, beneficiary=403, anonymous=LOGIN
)

CITY_ORG_ADMIN_POST = each(404, city_admin=405, anonymous=LOGIN)
REAUTH = each(Redirect("/accounts/reauthenticate/"), anonymous=LOGIN)
# What there is nothing of until a second factor is set up (an app to turn off, codes).
NO_FACTOR_YET = each(404, anonymous=LOGIN)

# Opening and closing survey rounds: whoever manages the partnership, and the lead's people.
ROUNDS = each(
    404, city_staff=405, city_admin=405, entrepreneur=405, beneficiary=403, anonymous=LOGIN
)


def _open_round(bundle: Bundle) -> Any:
    from health.models import SurveyRound

    survey_round, _ = SurveyRound.objects.get_or_create(
        partnership=bundle.partnership,
        number=1,
        defaults={
            "opened_at": timezone.now(),
            "closes_on": timezone.localdate() + timedelta(days=14),
        },
    )
    return survey_round


def _values(bundle: Bundle) -> Any:
    from health.models import ValuesVersion

    version, _ = ValuesVersion.objects.get_or_create(
        partnership=bundle.partnership,
        number=1,
        defaults={"text": "People first, evidence always.", "written_at": timezone.now()},
    )
    return version


# The cities room: Riverton's own pages (tests/cities/world.py sets the scene).
CITY_PAGE = each(404, city_staff=200, city_admin=200, anonymous=LOGIN)
CITY_ADMIN_ONLY = each(404, city_staff=403, city_admin=200, anonymous=LOGIN)
# Signed in with a social enterprise: the entrepreneur and the outsider.
INTRODUCERS = each(404, entrepreneur=200, outsider=200, anonymous=LOGIN)
# The entrepreneur's organization is invited to Riverton's draft and is in the network.
STATEMENT_INVITEE = each(404, entrepreneur=200, anonymous=LOGIN)


def _city(scene: Scene) -> dict[str, Any]:
    cities_scene(scene)
    return {"slug": scene.world.city.slug}


def _introduction(scene: Scene) -> dict[str, Any]:
    return {"slug": scene.world.city.slug, "pk": cities_scene(scene).introduction.pk}


def _network(scene: Scene) -> dict[str, Any]:
    return {"slug": cities_scene(scene).network.slug}


KwargsBuilder = Callable[[Scene], dict[str, Any]]


@dataclass(frozen=True)
class Entry:
    kwargs: KwargsBuilder
    expected: dict[str, Expected]
    # Partnership URLs are requested again for the other city's partnership (all 404).
    partnership: Callable[[Bundle], dict[str, Any]] | None = None


def none(scene: Scene) -> dict[str, Any]:
    return {}


def on_partnership(
    expected: dict[str, Expected], extra: Callable[[Bundle], dict[str, Any]] | None = None
) -> Entry:
    def build(bundle: Bundle) -> dict[str, Any]:
        return {"pk": bundle.partnership.pk, **(extra(bundle) if extra else {})}

    return Entry(kwargs=lambda scene: build(scene.mine), expected=expected, partnership=build)


def fixed(expected: dict[str, Expected], kwargs: KwargsBuilder = none) -> Entry:
    return Entry(kwargs=kwargs, expected=expected)


EXPECTED: dict[str, Entry] = {
    # --- Outside the language prefix
    "healthz": fixed(PUBLIC),
    "set_language": fixed(each(Redirect("/"))),
    # --- Front door and playbook: public
    "home": fixed(
        each(
            Redirect("/partnerships/mine/"),
            anonymous=200,
            city_staff=Redirect("/partnerships/"),
            city_admin=Redirect("/partnerships/"),
            other_city_staff=Redirect("/partnerships/"),
        )
    ),
    "playbook:practices": fixed(PUBLIC),
    "playbook:pathways": fixed(PUBLIC),
    "playbook:pathway_detail": fixed(PUBLIC, lambda s: {"slug": s.pathway_slug}),
    "playbook:stories": fixed(PUBLIC),
    "playbook:story_detail": fixed(PUBLIC, lambda s: {"slug": "waste-pickers-peru"}),
    # --- Cities: public pages, the city's own (404 to anyone else), its people's
    "cities:list": fixed(PUBLIC),
    "cities:public_partnerships": fixed(PUBLIC),
    "cities:city": fixed(PUBLIC, lambda s: _city(s)),
    "cities:statement_version": fixed(PUBLIC, lambda s: {**_city(s), "number": 1}),
    "cities:introductions_sent": fixed(SIGNED_IN),
    "cities:contact": fixed(CITY_ADMIN_ONLY, lambda s: _city(s)),
    "cities:introduce": fixed(INTRODUCERS, lambda s: _city(s)),
    "cities:inbox": fixed(CITY_PAGE, lambda s: _city(s)),
    "cities:introduction": fixed(CITY_PAGE, lambda s: _introduction(s)),
    "cities:introduction_status": fixed(CITY_PAGE, lambda s: _introduction(s)),
    "cities:introduction_note": fixed(CITY_PAGE, lambda s: _introduction(s)),
    "cities:introduction_open": fixed(CITY_PAGE, lambda s: _introduction(s)),
    "cities:experiences": fixed(CITY_PAGE, lambda s: _city(s)),
    "cities:experience_edit": fixed(
        CITY_PAGE, lambda s: {**_city(s), "pk": cities_scene(s).experience.pk}
    ),
    "cities:statement_draft": fixed(
        each(404, city_staff=200, city_admin=200, entrepreneur=200, anonymous=LOGIN),
        lambda s: _city(s),
    ),
    "cities:statement_section": fixed(CITY_PAGE, lambda s: {**_city(s), "key": "why"}),
    "cities:statement_comment": fixed(STATEMENT_INVITEE, lambda s: {**_city(s), "key": "why"}),
    "cities:statement_endorse": fixed(STATEMENT_INVITEE, lambda s: _city(s)),
    "cities:statement_invite": fixed(CITY_PAGE, lambda s: _city(s)),
    "cities:statement_publish": fixed(CITY_ADMIN_ONLY, lambda s: _city(s)),
    "cities:story_add": fixed(CITY_PAGE, lambda s: _city(s)),
    "cities:offer": fixed(STATEMENT_INVITEE, lambda s: {"slug": s.world.enterprise.slug}),
    "cities:checklist": fixed(CITY_PAGE, lambda s: _city(s)),
    "cities:checklist_item": fixed(
        CITY_PAGE, lambda s: {**_city(s), "step": cities_scene(s).city_step}
    ),
    "cities:network": fixed(STATEMENT_INVITEE, lambda s: _network(s)),
    "cities:network_member_add": fixed(
        each(404, entrepreneur=403, anonymous=LOGIN), lambda s: _network(s)
    ),
    "cities:network_member_remove": fixed(
        each(404, entrepreneur=403, anonymous=LOGIN),
        lambda s: {**_network(s), "pk": cities_scene(s).member.pk},
    ),
    # --- Organizations (pk = the city; membership = city_staff's)
    "accounts:organizations": fixed(SIGNED_IN),
    "accounts:organization_create": fixed(SIGNED_IN),
    "accounts:profile": fixed(SIGNED_IN),
    # --- Notifications: a person's own; the calendar feed and unsubscribe links carry
    # their secret in the address, so whoever holds it gets the page.
    "notifications:list": fixed(SIGNED_IN),
    "notifications:mark_read": fixed(each(405, anonymous=LOGIN)),
    "notifications:preferences": fixed(SIGNED_IN),
    "notifications:calendar_reset": fixed(each(405, anonymous=LOGIN)),
    "notifications:calendar_feed": fixed(
        PUBLIC,
        lambda s: {"token": subscriber_for(s.world.city_staff).calendar_token},
    ),
    "notifications:unsubscribe": fixed(
        PUBLIC, lambda s: {"token": unsubscribe_token(s.world.city_staff.pk, "checkin_due")}
    ),
    "notifications:partnership_next_checkin": on_partnership(SECTION),
    # The invitation reads as one to a visitor too, with ways to sign up or log in.
    "accounts:invitation_accept": fixed(PUBLIC, lambda s: {"token": s.invitation.token}),
    # Reviewing the cities that registered themselves: site staff only (none of these).
    "accounts:organization_review": fixed(each(404, anonymous=LOGIN)),
    "accounts:organization_approve": fixed(
        each(404, anonymous=LOGIN), lambda s: {"pk": s.world.city.pk}
    ),
    "accounts:organization_decline": fixed(
        each(404, anonymous=LOGIN), lambda s: {"pk": s.world.city.pk}
    ),
    "accounts:organization_detail": fixed(
        each(404, city_staff=200, city_admin=200, anonymous=LOGIN),
        lambda s: {"pk": s.world.city.pk},
    ),
    "accounts:organization_mfa": fixed(CITY_ORG_ADMIN_POST, lambda s: {"pk": s.world.city.pk}),
    "accounts:invitation_create": fixed(CITY_ORG_ADMIN_POST, lambda s: {"pk": s.world.city.pk}),
    "accounts:invitation_revoke": fixed(
        CITY_ORG_ADMIN_POST,
        lambda s: {"pk": s.world.city.pk, "invitation_pk": s.invitation.pk},
    ),
    "accounts:membership_role": fixed(
        CITY_ORG_ADMIN_POST,
        lambda s: {"pk": s.world.city.pk, "membership_pk": s.membership.pk},
    ),
    # Anyone may leave an organization, so city_staff reaches the POST-only answer too.
    "accounts:membership_remove": fixed(
        each(404, city_staff=405, city_admin=405, anonymous=LOGIN),
        lambda s: {"pk": s.world.city.pk, "membership_pk": s.membership.pk},
    ),
    # --- Portfolio and the entrepreneur's home
    # Partners are sent to their own list; a person in no organization has no portfolio.
    "partnerships:dashboard": fixed(
        each(
            Redirect("/partnerships/mine/"),
            city_staff=200,
            city_admin=200,
            other_city_staff=200,
            beneficiary=404,
            other_beneficiary=404,
            anonymous=LOGIN,
        )
    ),
    "partnerships:portfolio_export": fixed(
        each(404, city_staff=200, city_admin=200, other_city_staff=200, anonymous=LOGIN)
    ),
    "partnerships:my": fixed(SIGNED_IN),
    "partnerships:create": fixed(
        each(404, city_staff=200, city_admin=200, other_city_staff=200, anonymous=LOGIN)
    ),
    "partnerships:organization_search": fixed(
        each(404, city_staff=200, city_admin=200, other_city_staff=200, anonymous=LOGIN)
    ),
    # --- Invitations into partnerships: the invited organization's administrators only
    "partnerships:invitation": fixed(
        each(404, entrepreneur=200, anonymous=LOGIN), lambda s: {"partner_pk": s.invited.pk}
    ),
    "partnerships:invitation_accept": fixed(
        each(404, entrepreneur=200, anonymous=LOGIN), lambda s: {"partner_pk": s.invited.pk}
    ),
    "partnerships:invitation_decline": fixed(
        each(404, entrepreneur=200, anonymous=LOGIN), lambda s: {"partner_pk": s.invited.pk}
    ),
    "partnerships:organization_invitations": fixed(
        each(404, entrepreneur=200, anonymous=LOGIN),
        lambda s: {"org_pk": s.world.enterprise.pk},
    ),
    # --- One partnership's sections
    "partnerships:detail": on_partnership(SECTION),
    "partnerships:plan": on_partnership(SECTION),
    "partnerships:plan_version": on_partnership(
        SECTION, lambda b: {"number": b.plan_version.number}
    ),
    "partnerships:checkins": on_partnership(SECTION),
    "partnerships:progress": on_partnership(SECTION),
    "partnerships:evidence": on_partnership(SECTION),
    "partnerships:experiments": on_partnership(SECTION),
    "partnerships:timeline": on_partnership(SECTION),
    "partnerships:money": on_partnership(MONEY),
    "partnerships:measurements_export": on_partnership(MONEY),
    "partnerships:need_state": on_partnership(MONEY),
    "partnerships:need_update": on_partnership(MONEY, lambda b: {"need_pk": b.need.pk}),
    # --- Contributor forms
    "partnerships:checkin_record": on_partnership(
        CONTRIBUTE, lambda b: {"checkin_pk": b.checkin.pk}
    ),
    "partnerships:progress_log": on_partnership(CONTRIBUTE),
    "partnerships:measurement_add": on_partnership(
        CONTRIBUTE, lambda b: {"indicator_pk": b.indicator.pk}
    ),
    "partnerships:reframe": on_partnership(CONTRIBUTE),
    "partnerships:responsibility_add": on_partnership(CONTRIBUTE),
    "partnerships:responsibility_edit": on_partnership(
        CONTRIBUTE, lambda b: {"responsibility_pk": b.responsibility.pk}
    ),
    "partnerships:plan_publish": on_partnership(CONTRIBUTE),
    "partnerships:checkin_schedule": on_partnership(CONTRIBUTE),
    "partnerships:indicator_create": on_partnership(CONTRIBUTE),
    "partnerships:experiment_start": on_partnership(CONTRIBUTE),
    "partnerships:experiment_close": on_partnership(
        CONTRIBUTE, lambda b: {"experiment_pk": b.experiment.pk}
    ),
    # --- Manager pages
    "partnerships:edit": on_partnership(MANAGE),
    "partnerships:stage_move": on_partnership(MANAGE),
    "partnerships:partner_add": on_partnership(MANAGE),
    "partnerships:partner_edit": on_partnership(MANAGE, lambda b: {"partner_pk": b.partner.pk}),
    "partnerships:partner_remove": on_partnership(MANAGE, lambda b: {"partner_pk": b.partner.pk}),
    # --- People taking part (the beneficiaries app, under the partnership's URLs)
    "beneficiaries:people": on_partnership(CONTRIBUTE),
    "beneficiaries:invitation_revoke": on_partnership(
        CONTRIBUTE_POST, lambda b: {"invitation_pk": b.participant_invitation.pk}
    ),
    # The token is the secret: whoever has it sees the invitation (or why it cannot be used).
    "beneficiaries:invitation_accept": fixed(
        PUBLIC, lambda s: {"token": s.mine.participant_invitation.token}
    ),
    # The plan in plain words and its comments (the beneficiaries app). The comment is the
    # beneficiary's own: they may correct it, not report it; moderators are the city's staff
    # and the lead's members.
    "beneficiaries:plan": on_partnership(SECTION),
    "beneficiaries:plan_version": on_partnership(
        SECTION, lambda b: {"number": b.plan_version.number}
    ),
    "beneficiaries:plan_print": on_partnership(
        SECTION, lambda b: {"number": b.plan_version.number}
    ),
    "beneficiaries:section": on_partnership(SECTION, lambda b: {"section_pk": b.section.pk}),
    "beneficiaries:my_comments": on_partnership(SECTION),
    "beneficiaries:comment_reply": on_partnership(SECTION, lambda b: {"comment_pk": b.comment.pk}),
    "beneficiaries:comment_edit": on_partnership(
        each(
            404, city_staff=403, city_admin=403, entrepreneur=403, beneficiary=200, anonymous=LOGIN
        ),
        lambda b: {"comment_pk": b.comment.pk},
    ),
    "beneficiaries:comment_report": on_partnership(
        each(
            404, city_staff=200, city_admin=200, entrepreneur=200, beneficiary=403, anonymous=LOGIN
        ),
        lambda b: {"comment_pk": b.comment.pk},
    ),
    "beneficiaries:comment_moderate": on_partnership(
        CONTRIBUTE, lambda b: {"comment_pk": b.comment.pk}
    ),
    "beneficiaries:comment_answer": on_partnership(
        CONTRIBUTE, lambda b: {"comment_pk": b.comment.pk}
    ),
    "beneficiaries:voice_record": on_partnership(CONTRIBUTE),
    "beneficiaries:moderation": on_partnership(CONTRIBUTE),
    "beneficiaries:checkin_attendance": on_partnership(
        CONTRIBUTE, lambda b: {"checkin_pk": b.checkin.pk}
    ),
    # --- Practice health (the health app, on each partnership)
    "health:partnership": on_partnership(SECTION),
    "health:round_open": on_partnership(ROUNDS),
    "health:round_close": on_partnership(ROUNDS, lambda b: {"round_pk": _open_round(b).pk}),
    "health:survey": on_partnership(SECTION, lambda b: {"round_pk": _open_round(b).pk}),
    "health:values": on_partnership(SECTION),
    # Agreeing is for an administrator of a party: the city's, the lead's.
    "health:values_agree": on_partnership(
        each(
            404, city_staff=403, city_admin=405, entrepreneur=405, beneficiary=403, anonymous=LOGIN
        ),
        lambda b: {"version_pk": _values(b).pk},
    ),
    "health:portfolio": fixed(
        each(404, city_staff=200, city_admin=200, other_city_staff=200, anonymous=LOGIN)
    ),
    "partnerships:checkin_move": on_partnership(CONTRIBUTE, lambda b: {"checkin_pk": b.checkin.pk}),
    "beneficiaries:invitation_print": on_partnership(CONTRIBUTE_POST),
    "beneficiaries:invitation_printable": on_partnership(
        CONTRIBUTE, lambda b: {"invitation_pk": b.printed_invitation.pk}
    ),
    "beneficiaries:sign_in_code_print": on_partnership(
        CONTRIBUTE_POST, lambda b: {"participant_pk": b.participant.pk}
    ),
    # Typing a printed code is for anyone; its welcome page needs a code typed first.
    "beneficiaries:join": fixed(PUBLIC),
    "join": fixed(each(Redirect("/partnerships/join/"))),
    "beneficiaries:join_welcome": fixed(each(Redirect("/partnerships/join/"))),
    # A person's own consent, data and account.
    "beneficiaries:consent": fixed(SIGNED_IN),
    "beneficiaries:consent_withdraw": fixed(each(405, anonymous=LOGIN)),
    "beneficiaries:my_data": fixed(SIGNED_IN),
    "beneficiaries:data_export": fixed(SIGNED_IN),
    "beneficiaries:account_delete": fixed(SIGNED_IN),
    # Trainings: everyone of the partnership reads them; partners schedule and record who
    # came; participants take places.
    "beneficiaries:trainings": on_partnership(SECTION),
    "beneficiaries:training_schedule": on_partnership(CONTRIBUTE),
    "beneficiaries:training_detail": on_partnership(
        SECTION, lambda b: {"training_pk": b.training.pk}
    ),
    "beneficiaries:training_signup": on_partnership(
        PARTICIPANT_POST, lambda b: {"training_pk": b.training.pk}
    ),
    "beneficiaries:training_cancel": on_partnership(
        PARTICIPANT_POST, lambda b: {"training_pk": b.training.pk}
    ),
    "beneficiaries:training_attendance": on_partnership(
        CONTRIBUTE_POST, lambda b: {"training_pk": b.training.pk}
    ),
    "partnerships:indicator_edit": on_partnership(
        CONTRIBUTE, lambda b: {"indicator_pk": b.indicator.pk}
    ),
    # Corrections: their author (the city's point of contact here) or a manager.
    "partnerships:measurement_correct": on_partnership(
        MANAGE, lambda b: {"measurement_pk": b.measurement.pk}
    ),
    "partnerships:measurement_withdraw": on_partnership(
        MANAGE, lambda b: {"measurement_pk": b.measurement.pk}
    ),
    "partnerships:progress_correct": on_partnership(
        MANAGE, lambda b: {"update_pk": b.progress_update.pk}
    ),
    "partnerships:progress_withdraw": on_partnership(
        MANAGE, lambda b: {"update_pk": b.progress_update.pk}
    ),
    "partnerships:archive": on_partnership(CITY_ADMIN),
    "partnerships:unarchive": on_partnership(CITY_ADMIN),
    "partnerships:delete": on_partnership(CITY_ADMIN),
    # --- allauth: public forms, signed-in account pages, and key links with a bad key
    "account_login": fixed(each(Redirect("/"), anonymous=200)),
    "account_logout": fixed(each(200, anonymous=Redirect("/"))),
    "account_inactive": fixed(PUBLIC),
    "account_signup": fixed(each(Redirect("/"), anonymous=200)),
    "account_reauthenticate": fixed(SIGNED_IN),
    "account_request_reauthentication_code": fixed(SIGNED_IN),
    # Without a code requested first, the confirm pages send a person back a step.
    "account_confirm_reauthentication_code": fixed(
        each(Redirect("/accounts/reauthenticate/code/"), anonymous=LOGIN)
    ),
    "account_email": fixed(SIGNED_IN),
    "account_email_verification_sent": fixed(PUBLIC),
    "account_change_password": fixed(SIGNED_IN),
    "account_set_password": fixed(each(Redirect("/accounts/password/change/"), anonymous=LOGIN)),
    "account_reset_password": fixed(PUBLIC),
    # With sign-in by code on, a visitor without a code requested is sent to ask for one.
    "account_confirm_login_code": fixed(
        each(Redirect("/"), anonymous=Redirect("/accounts/login/code/"))
    ),
    # Sign-in by a code sent by e-mail (ACCOUNT_LOGIN_BY_CODE_ENABLED), for visitors.
    "account_request_login_code": fixed(each(Redirect("/"), anonymous=200)),
    "account_confirm_email": fixed(PUBLIC, lambda s: {"key": "not-a-real-key"}),
    "account_reset_password_from_key_done": fixed(PUBLIC),
    "account_reset_password_from_key": fixed(
        PUBLIC, lambda s: {"uidb36": "zz", "key": "not-a-real-key"}
    ),
    "account_reset_password_done": fixed(PUBLIC),
    # --- allauth's two-factor pages and sessions. Nobody here has a second factor yet, and
    # adding or changing one asks for the password again first.
    "mfa_index": fixed(SIGNED_IN),
    # Only reachable between the password and the code of a sign-in.
    "mfa_authenticate": fixed(each(Redirect("/"), anonymous=LOGIN)),
    "mfa_reauthenticate": fixed(REAUTH),
    "mfa_activate_totp": fixed(REAUTH),
    "mfa_deactivate_totp": fixed(NO_FACTOR_YET),
    "mfa_view_recovery_codes": fixed(NO_FACTOR_YET),
    "mfa_generate_recovery_codes": fixed(REAUTH),
    "mfa_download_recovery_codes": fixed(NO_FACTOR_YET),
    "mfa_list_webauthn": fixed(SIGNED_IN),
    "mfa_add_webauthn": fixed(REAUTH),
    "mfa_reauthenticate_webauthn": fixed(REAUTH),
    "mfa_remove_webauthn": fixed(REAUTH, lambda s: {"pk": 987654321}),
    "mfa_edit_webauthn": fixed(REAUTH, lambda s: {"pk": 987654321}),
    "mfa_login_webauthn": fixed(each(Redirect("/"), anonymous=LOGIN)),
    "usersessions_list": fixed(SIGNED_IN),
}


# --- The REST API (tests/api/test_operations.py walks every operation with tokens too) ---
API_SIGNED_IN = each(200, anonymous=401)
API_SEES = each(
    404, city_staff=200, city_admin=200, entrepreneur=200, beneficiary=200, anonymous=401
)
API_MONEY = each(404, city_staff=200, city_admin=200, entrepreneur=200, anonymous=401)
# POST only: the method is refused before anything is looked up.
API_POST_ONLY = each(405, anonymous=401)


def api_object(attribute: str, expected: dict[str, Expected] = API_SEES) -> Entry:
    def build(bundle: Bundle) -> dict[str, Any]:
        return {"pk": getattr(bundle, attribute).pk}

    return Entry(kwargs=lambda scene: build(scene.mine), expected=expected, partnership=build)


def _first_pk(label: str) -> KwargsBuilder:
    def build(scene: Scene) -> dict[str, Any]:
        from django.apps import apps

        model = apps.get_model(label)
        return {"pk": model.objects.order_by("pk").values_list("pk", flat=True).first()}

    return build


def _endpoint(scene: Scene) -> Any:
    from api.models import WebhookEndpoint

    endpoint, _created = WebhookEndpoint.objects.get_or_create(
        organization=scene.world.city,
        url="https://hooks.example.org/tandem",
        defaults={"events": ["checkin.recorded"], "secret": "whsec_dGVzdA=="},
    )
    return endpoint


def _delivery(scene: Scene) -> dict[str, Any]:
    from api.models import WebhookDelivery

    endpoint = _endpoint(scene)
    delivery, _created = WebhookDelivery.objects.get_or_create(
        endpoint=endpoint, message_id="msg_walk", defaults={"event_type": "checkin.recorded"}
    )
    return {"org_pk": scene.world.city.pk, "pk": endpoint.pk, "delivery_pk": delivery.pk}


def _token(scene: Scene) -> dict[str, Any]:
    from api.models import ApiToken

    token, _created = ApiToken.objects.get_or_create(
        organization=scene.world.city,
        prefix="walk",
        defaults={"created_by": scene.world.city_admin, "name": "Walk", "secret_hash": "x"},
    )
    return {"org_pk": scene.world.city.pk, "pk": token.pk}


def _staff_notification(scene: Scene) -> dict[str, Any]:
    from notifications.models import Notification

    notification, _created = Notification.objects.get_or_create(
        recipient=scene.world.city_staff,
        kind="stage_changed",
        partnership_id=scene.mine.partnership.pk,
    )
    return {"pk": notification.pk}


def _city_org(scene: Scene) -> dict[str, Any]:
    return {"org_pk": scene.world.city.pk}


def _endpoint_kwargs(scene: Scene) -> dict[str, Any]:
    return {"org_pk": scene.world.city.pk, "pk": _endpoint(scene).pk}


EXPECTED.update(
    {
        "api:schema": fixed(PUBLIC),
        "api:docs": fixed(PUBLIC),
        "api:redoc": fixed(PUBLIC),
        **{
            f"api:{name}-list": fixed(API_SIGNED_IN)
            for name in (
                "organization",
                "partnership",
                "plan-version",
                "checkin",
                "progress-update",
                "indicator",
                "measurement",
                "experiment",
                "financial-need",
                "practice",
                "pathway",
                "stage",
                "comment",
                "notification",
            )
        },
        "api:organization-detail": fixed(API_SIGNED_IN, lambda s: {"pk": s.world.city.pk}),
        "api:partnership-detail": api_object("partnership"),
        "api:partnership-partners": api_object("partnership"),
        "api:partnership-responsibilities": api_object("partnership"),
        "api:partnership-stage-history": api_object("partnership"),
        "api:plan-version-detail": api_object("plan_version"),
        "api:checkin-detail": api_object("checkin"),
        "api:checkin-record": fixed(API_POST_ONLY, lambda s: {"pk": s.mine.checkin.pk}),
        "api:progress-update-detail": api_object("progress_update"),
        "api:indicator-detail": api_object("indicator"),
        "api:measurement-detail": api_object("measurement"),
        "api:measurement-bulk": fixed(API_POST_ONLY),
        "api:experiment-detail": api_object("experiment"),
        "api:financial-need-detail": api_object("need", API_MONEY),
        "api:practice-detail": fixed(API_SIGNED_IN, _first_pk("playbook.Practice")),
        "api:pathway-detail": fixed(API_SIGNED_IN, _first_pk("playbook.ModelPathway")),
        "api:stage-detail": fixed(API_SIGNED_IN, _first_pk("playbook.Stage")),
        "api:partnership-health": api_object("partnership"),
        "api:partnership-round-scores": api_object("partnership"),
        "api:comment-detail": api_object("comment"),
        "api:comment-answer": fixed(API_POST_ONLY, lambda s: {"pk": s.mine.comment.pk}),
        # The city's staff's own notification: nobody else's to read.
        "api:notification-detail": fixed(
            each(404, city_staff=200, anonymous=401), _staff_notification
        ),
        "api:notification-mark-read": fixed(API_POST_ONLY),
        # --- The Developers pages: the organization's administrators only
        "developers:index": fixed(SIGNED_IN),
        "developers:tokens": fixed(each(404, city_admin=200, anonymous=LOGIN), _city_org),
        "developers:token_revoke": fixed(CITY_ORG_ADMIN_POST, _token),
        "developers:webhooks": fixed(each(404, city_admin=200, anonymous=LOGIN), _city_org),
        "developers:webhook": fixed(each(404, city_admin=200, anonymous=LOGIN), _endpoint_kwargs),
        "developers:webhook_rotate": fixed(CITY_ORG_ADMIN_POST, _endpoint_kwargs),
        "developers:webhook_remove": fixed(CITY_ORG_ADMIN_POST, _endpoint_kwargs),
        "developers:delivery_replay": fixed(CITY_ORG_ADMIN_POST, _delivery),
    }
)

# Pages that only read: they answer GET and HEAD, and 405 to any other method, whoever asks
# (the method is checked first, so a 405 says nothing about what exists). Every URL of the
# project that is neither one of these nor a form of test_bad_input.FORMS fails the walk.
READ_ONLY = frozenset(
    {
        "healthz",
        "home",
        "accounts:organization_review",
        "playbook:practices",
        "playbook:pathways",
        "playbook:pathway_detail",
        "playbook:stories",
        "playbook:story_detail",
        "cities:list",
        "cities:public_partnerships",
        "cities:city",
        "cities:statement_version",
        "cities:introductions_sent",
        "cities:inbox",
        "cities:introduction",
        "cities:statement_draft",
        "cities:checklist",
        "cities:network",
        "accounts:organizations",
        "accounts:organization_detail",
        "partnerships:dashboard",
        "partnerships:portfolio_export",
        "partnerships:my",
        "partnerships:organization_search",
        "partnerships:invitation",
        "partnerships:organization_invitations",
        "partnerships:detail",
        "partnerships:plan",
        "partnerships:plan_version",
        "partnerships:checkins",
        "partnerships:progress",
        "partnerships:evidence",
        "partnerships:experiments",
        "partnerships:timeline",
        "partnerships:money",
        "partnerships:measurements_export",
        "beneficiaries:plan",
        "beneficiaries:plan_version",
        "beneficiaries:plan_print",
        "beneficiaries:my_comments",
        "beneficiaries:moderation",
        "health:partnership",
        "health:portfolio",
        "developers:index",
        "developers:webhook",
        "notifications:list",
        "notifications:calendar_feed",
        "notifications:partnership_next_checkin",
        "join",
        "beneficiaries:invitation_printable",
        "beneficiaries:my_data",
        "beneficiaries:data_export",
        "beneficiaries:trainings",
        "beneficiaries:training_detail",
    }
)
# Django's and allauth's own views: theirs to decide.
NOT_OURS = ("set_language", "account_", "mfa_", "usersessions_")
# The REST API answers JSON, not forms: tests/api/test_operations.py walks each of its
# operations (every persona, token scope and session) and Schemathesis fuzzes them.
API = ("api:",)

# --- The admin, by rule -------------------------------------------------------------------
# Every admin URL sends a person who is not staff to the admin's login, which sends them on
# to our sign-in page (anonymous) or answers 404 (signed in but not staff). No persona
# here is staff; the admin's own pages are not this walk's business.
ADMIN_PREFIX = "admin/"
ADMIN_RULE = each(ADMIN_LOGIN)
ADMIN_EXCEPTIONS = {
    "admin:login": each(404, anonymous=LOGIN),
    # Django sends a logout request from someone who is not staff back to the admin index.
    "admin:logout": each(Redirect("/admin/")),
}
ADMIN_ARGS = {
    "object_id": "1",
    "id": "1",
    "content_type_id": "1",
    "app_label": "playbook",
    "url": "no-such-page/",
    "positional": "1",
}


# --- Walking the resolver -------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # namespaced name, or "<unnamed route>" for a pattern without a name
    route: str  # the full route text, prefixes included
    kwarg_names: tuple[str, ...]

    @property
    def is_admin(self) -> bool:
        return self.route.startswith(ADMIN_PREFIX) or self.key.startswith("admin:")


_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
_POSITIONAL_GROUP = re.compile(r"\((?!\?)[^)]*\)")
_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def _kwarg_names(route: str) -> tuple[str, ...]:
    names = _REGEX_GROUP.findall(route)
    names += _CONVERTER.findall(_REGEX_GROUP.sub("", route))
    return tuple(names)


def _fill(route: str, values: dict[str, str]) -> str:
    """The path of an admin pattern, some of which have no name or positional groups."""
    path = _REGEX_GROUP.sub(lambda m: values[m[1]], route)
    path = _POSITIONAL_GROUP.sub(values["positional"], path)
    path = _CONVERTER.sub(lambda m: values[m[1]], path)
    return "/" + path.replace("^", "").replace("$", "")


def walk(patterns: list[Any], namespace: str = "", prefix: str = "") -> Iterator[Route]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from walk(pattern.url_patterns, inner, route)
        else:
            assert isinstance(pattern, URLPattern)
            if pattern.name:
                key = f"{namespace}:{pattern.name}" if namespace else pattern.name
            else:
                key = f"<unnamed {route}>"
            yield Route(key=key, route=route, kwarg_names=_kwarg_names(route))


def all_routes() -> list[Route]:
    """Every reachable route once. A pattern listed again under the same name and path later
    on (allauth's login, which ours stands in front of) can never be reached."""
    with translation.override("en"):
        routes, seen = [], set()
        for route in walk(config.urls.urlpatterns):
            if (route.key, route.route) not in seen:
                seen.add((route.key, route.route))
                routes.append(route)
        return routes


def _url(route: Route, scene: Scene, language: str = "en") -> str:
    with translation.override(language):
        if route.is_admin:
            return _fill(route.route, ADMIN_ARGS)
        return reverse(route.key, kwargs=EXPECTED[route.key].kwargs(scene))


def _expected(route: Route, persona: str) -> Expected:
    if route.is_admin:
        return ADMIN_EXCEPTIONS.get(route.key, ADMIN_RULE)[persona]
    return EXPECTED[route.key].expected[persona]


def _answer(client: Client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.get("Location", "")


def _describe(expected: Expected) -> str:
    return expected.to if isinstance(expected, Redirect) else str(expected)


def _path(location: str) -> str:
    """The redirect's path without its query or language prefix."""
    path = location.split("?")[0]
    return path.removeprefix("/es") if path.startswith("/es/") else path


def _matches(expected: Expected, status: int, location: str) -> bool:
    path = _path(location)
    with translation.override("en"):
        login, admin_login = reverse("account_login"), reverse("admin:login")
    if expected == LOGIN:
        return status == 302 and path == login
    if expected == ADMIN_LOGIN:
        return status == 302 and path in (login, admin_login)
    if isinstance(expected, Redirect):
        return status == 302 and path == expected.to
    return status == expected


def _mismatches(
    client: Client, persona: str, requests: list[tuple[str, str, Expected]]
) -> list[str]:
    found = []
    for key, url, expected in requests:
        status, location = _answer(client, url)
        if not _matches(expected, status, location):
            got = f"{status} {location}".strip()
            found.append(f"{key} {url} as {persona}: expected {_describe(expected)}, got {got}")
    return found


# --- The tests ---------------------------------------------------------------------------


def test_every_url_of_the_project_is_in_the_table() -> None:
    routes = all_routes()
    listed = {route.key for route in routes if not route.is_admin}
    assert set(EXPECTED) - listed == set(), "EXPECTED lists URLs that no longer exist"
    assert listed - set(EXPECTED) == set(), "URLs without an entry in EXPECTED"
    admin = [route for route in routes if route.is_admin]
    assert admin, "the admin should be mounted"
    assert set(ADMIN_EXCEPTIONS) <= {route.key for route in admin}
    for route in admin:
        # The rule can only fill in the arguments it knows.
        assert set(route.kwarg_names) <= set(ADMIN_ARGS), route


def test_no_pattern_is_walked_twice() -> None:
    keys = [route.key for route in all_routes()]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_answers_each_persona_as_the_table_says(
    persona: str, scene: Scene, client_as: Callable[[str], Client]
) -> None:
    client = client_as(persona)
    requests = [
        (route.key, _url(route, scene), _expected(route, persona)) for route in all_routes()
    ]

    mismatches = _mismatches(client, persona, requests)

    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("persona", PERSONAS)
def test_spanish_urls_answer_like_the_english_ones(
    persona: str, scene: Scene, client_as: Callable[[str], Client]
) -> None:
    routes = [r for r in all_routes() if not r.is_admin and _url(r, scene, "es").startswith("/es/")]
    assert routes, "the language-prefixed patterns should be walked"
    client = client_as(persona)
    requests = []
    for route in routes:
        requests.append((route.key, _url(route, scene, "es"), _expected(route, persona)))

    mismatches = _mismatches(client, persona, requests)

    assert not mismatches, "\n".join(mismatches)


def test_every_url_of_ours_either_only_reads_or_takes_a_form() -> None:
    from tests.test_bad_input import FORMS

    ours = {key for key in EXPECTED if not key.startswith(NOT_OURS + API)}
    assert READ_ONLY - ours == set(), "READ_ONLY lists URLs that are not in EXPECTED"
    assert READ_ONLY & set(FORMS) == set(), "a URL cannot both only read and take a form"
    assert ours - READ_ONLY - set(FORMS) == set(), "URLs neither in READ_ONLY nor in FORMS"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_that_only_read_refuse_every_other_method(
    method: str, persona: str, scene: Scene, client_as: Callable[[str], Client]
) -> None:
    client = client_as(persona)
    problems = []
    for route in all_routes():
        if route.key not in READ_ONLY:
            continue
        url = _url(route, scene)
        for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
            response = getattr(client, method)(url, **headers)
            if response.status_code != 405 or response["Allow"] != "GET, HEAD":
                got = f"{response.status_code} {response.get('Location', '')}".strip()
                problems.append(f"{method} {route.key} {url} as {persona}: got {got}")
        if client.head(url).status_code != client.get(url).status_code:
            problems.append(f"head {route.key} {url} as {persona}: not answered like a GET")

    assert not problems, "\n".join(problems)


PARTNERSHIP_ROUTES = sorted(key for key, entry in EXPECTED.items() if entry.partnership)
OUTSIDE_THE_OTHER_CITY = [
    p for p in PERSONAS if p not in ("other_city_staff", "other_beneficiary", "anonymous")
]


@pytest.mark.parametrize("persona", OUTSIDE_THE_OTHER_CITY)
def test_another_citys_partnership_is_not_found_on_any_url(
    persona: str, scene: Scene, client_as: Callable[[str], Client]
) -> None:
    client = client_as(persona)
    requests = []
    for key in PARTNERSHIP_ROUTES:
        builder = EXPECTED[key].partnership
        assert builder is not None
        with translation.override("en"):
            requests.append((key, reverse(key, kwargs=builder(scene.theirs)), 404))

    mismatches = _mismatches(client, persona, requests)

    assert not mismatches, "\n".join(mismatches)


def test_objects_of_another_partnership_are_not_found_under_ours(
    scene: Scene, client_as: Callable[[str], Client]
) -> None:
    """Our partnership's id with the other city's check-in, need, partner... is a 404."""
    client = client_as("city_admin")
    requests = []
    for key in PARTNERSHIP_ROUTES:
        builder = EXPECTED[key].partnership
        assert builder is not None
        kwargs = builder(scene.theirs)
        # Only object ids are swapped: a plan version number means the same in both.
        if not any(name.endswith("_pk") for name in kwargs):
            continue
        kwargs["pk"] = scene.mine.partnership.pk
        with translation.override("en"):
            requests.append((key, reverse(key, kwargs=kwargs), 404))
    assert len(requests) >= 7

    mismatches = _mismatches(client, "city_admin", requests)

    assert not mismatches, "\n".join(mismatches)


def test_every_api_operation_is_walked_for_every_persona_and_scope() -> None:
    """An operation of the OpenAPI schema that tests/api/test_operations.py does not list
    fails here: no API operation ships untested."""
    from drf_spectacular.generators import SchemaGenerator

    from tests.api.test_operations import OPERATIONS

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = {
        operation["operationId"]
        for methods in schema["paths"].values()
        for operation in methods.values()
    }
    assert operations - set(OPERATIONS) == set(), "API operations missing from OPERATIONS"
    assert set(OPERATIONS) - operations == set(), "OPERATIONS lists operations that are gone"
