"""Riverton's own playbook in the demo: its point of contact and an inbox with introductions
in every status, a register of experiences, an engagement statement published twice with
its endorsers, checklists under way and a network of the city's social enterprises.

Everything goes through the services; loaded once (the network's name is the marker).
"""

from __future__ import annotations

from accounts import services as accounts_services
from accounts.models import Organization
from cities import services
from cities.models import Introduction
from demo.replay import World
from playbook.models import GettingStartedStep, ModelPathway

NETWORK = "Riverton Social Enterprise Network"

OFFERS = {
    "harvest-table-kitchens": (
        "A social kitchen run with the neighbours it feeds.",
        "Shared meals three times a week; we learn with you what older residents need.",
        "Use of a kitchen and a steady contact at the city.",
        "Older neighbours who eat with us and tell us what works.",
    ),
    "northside-youth-works": (
        "First jobs and mentoring for young people leaving care.",
        "Twenty placements a year and what we learn from them, shared openly.",
        "Access to city summer jobs and two years of core funding.",
        "Young people from our programme, who would join every meeting.",
    ),
    "welcome-bridge-network": (
        "We bring newcomers and long-time residents together.",
        "Neighbour dinners and a welcoming plan written with residents.",
        "Meeting rooms in libraries and time from the city's communications team.",
        "Newcomer families and the residents who host them.",
    ),
    "open-door-collective": (
        "Street outreach with a shared list of everyone who is homeless.",
        "A weekly count we keep with you, by name, so help reaches everyone.",
        "Data sharing with city shelters and staff time for the weekly meeting.",
        "People with lived experience of homelessness on our advisory group.",
    ),
}

SECTIONS_V1 = {
    "definition": (
        "A social entrepreneur is an organization set up to solve a social problem, whatever "
        "its legal form. A company that gives part of its profit to a good cause is a social "
        "business: welcome too, but not what this statement is about."
    ),
    "why": (
        "The problems we share with residents last longer than any contract. We build "
        "relationships so that we learn together, keep going when a project ends and "
        "bring the people we serve into the work."
    ),
    "practices": (
        "Answer every introduction within two weeks. Meet before you decide. Say openly what "
        "the city can and cannot fund."
    ),
}
PRACTICES_V2 = (
    "Answer every introduction within a week. Meet before you decide, and bring someone the "
    "work is for. Say openly what the city can and cannot fund."
)

EXPERIENCES = [
    (
        "Parks and Recreation",
        "Harvest Table Kitchens",
        "Summer lunches in three parks, run by the kitchen with park staff.",
        "Start with the neighbours: the park nobody asked about had the most families.",
    ),
    (
        "Housing",
        "Open Door Collective",
        "Weekly case conferences with shelter staff since last winter.",
        "A shared list by name changed the conversation more than any new service.",
    ),
    (
        "Libraries",
        "Welcome Bridge Network",
        "Neighbour dinners in two branches, with translation by volunteers.",
        "Library staff became the city's best-trusted contact for newcomers.",
    ),
]


def load(world: World) -> bool:
    """Riverton's playbook, if it is not there yet; says whether it was loaded."""
    if Organization.objects.filter(name=NETWORK).exists():
        return False
    city = world.orgs["city-of-riverton"]
    admin = world.users["admin@riverton.example"]
    contact = world.users["contact@riverton.example"]
    founders = {
        "harvest-table-kitchens": world.users["founder@harvest.example"],
        "northside-youth-works": world.users["founder@youthworks.example"],
        "welcome-bridge-network": world.users["director@welcomebridge.example"],
        "open-door-collective": world.users["founder@opendoor.example"],
    }

    services.contact_name(
        actor=admin,
        city=city,
        person=contact,
        public_email="partners@riverton.example",
        how_to_reach="Drop-in hours on Tuesday mornings at the Central Library, or write first.",
        at=world.moment(-120),
    )
    for slug, (who, value, needs, people) in OFFERS.items():
        services.offer_save(
            actor=founders[slug],
            organization=world.orgs[slug],
            who_we_are=who,
            value=value,
            needs=needs,
            beneficiaries=people,
            at=world.moment(-110),
        )

    # The network: its founder administers it; the city's enterprises are its members.
    harvest = founders["harvest-table-kitchens"]
    network = accounts_services.organization_create(
        actor=harvest,
        name=NETWORK,
        kind=Organization.Kind.NETWORK,
        country="US",
        languages="en,es",
        description="Social enterprises of Riverton speaking to the city with one voice.",
    )
    harvest.forget_memberships()
    for slug in OFFERS:
        services.network_member_add(
            actor=harvest, network=network, organization=world.orgs[slug], at=world.moment(-100)
        )
    services.offer_save(
        actor=harvest,
        organization=network,
        who_we_are="Four social enterprises of Riverton, from meals to housing.",
        value="One conversation instead of four, and what we learn across our work.",
        needs="A standing meeting with the city each quarter.",
        beneficiaries="The residents each member serves.",
        at=world.moment(-95),
    )

    # The inbox: one introduction in every status.
    def send(slug: str, message: str, day: int) -> Introduction:
        organization = network if slug == "network" else world.orgs[slug]
        actor = harvest if slug == "network" else founders[slug]
        return services.introduction_send(
            actor=actor, organization=organization, city=city, message=message, at=world.moment(day)
        )

    send("network", "We would like a standing quarterly meeting with the city.", -5)
    send("northside-youth-works", "Could we talk about summer jobs for care leavers?", -3)
    talking = send("welcome-bridge-network", "We would like to host dinners in more branches.", -40)
    services.introduction_set_status(
        actor=contact, introduction=talking, status="talking", at=world.moment(-35)
    )
    services.introduction_note(
        actor=contact,
        introduction=talking,
        text="Met at the Central Library. Libraries are keen; ask the communications team.",
        at=world.moment(-34),
    )
    declined = send("open-door-collective", "Could the city fund a second outreach team?", -60)
    services.introduction_set_status(
        actor=contact,
        introduction=declined,
        status="declined",
        reason="This year's budget is set; let us plan it together for next year.",
        at=world.moment(-50),
    )
    opened = send(
        "harvest-table-kitchens", "We would like to cook in the new community centre.", -80
    )
    services.introduction_note(
        actor=contact,
        introduction=opened,
        text="Good fit with the older residents plan.",
        at=world.moment(-78),
    )
    services.introduction_open_partnership(
        actor=contact,
        introduction=opened,
        title="Meals at the new community centre",
        goal="Three shared meals a week at the community centre by next spring",
        problem_statement="Older residents around the new centre eat alone most days.",
        pathway=ModelPathway.objects.get(slug="improve-services"),
        at=world.moment(-70),
    )

    for department, partner_name, happened, learned in EXPERIENCES:
        services.experience_record(
            actor=contact,
            city=city,
            department=department,
            organization_name=partner_name,
            what_happened=happened,
            what_was_learned=learned,
            at=world.moment(-90),
        )

    # The statement: drafted, commented, endorsed, published twice.
    for key, body in SECTIONS_V1.items():
        services.statement_section_edit(
            actor=contact, city=city, key=key, body=body, at=world.moment(-60)
        )
    for organization in (
        network,
        world.orgs["welcome-bridge-network"],
        world.orgs["open-door-collective"],
    ):
        services.statement_invite(
            actor=contact, city=city, organization=organization, at=world.moment(-58)
        )
    statement = city.statement
    services.statement_comment(
        actor=founders["open-door-collective"],
        section=statement.sections.get(key="practices"),
        organization=world.orgs["open-door-collective"],
        text="Two weeks is long for someone sleeping outside: could it be one?",
        at=world.moment(-55),
    )
    services.statement_publish(actor=admin, city=city, at=world.moment(-50))
    services.statement_section_edit(
        actor=contact, city=city, key="practices", body=PRACTICES_V2, at=world.moment(-30)
    )
    services.statement_publish(
        actor=admin,
        city=city,
        change_note="We answer within a week, and bring someone the work is for.",
        at=world.moment(-28),
    )
    services.statement_endorse(
        actor=harvest, statement=statement, organization=network, at=world.moment(-27)
    )
    services.statement_endorse(
        actor=founders["welcome-bridge-network"],
        statement=statement,
        organization=world.orgs["welcome-bridge-network"],
        at=world.moment(-26),
    )

    # Checklists under way: some steps by hand (the rest tick themselves after the commit).
    for slug, note in (
        ("city-what-have-you-learned", "Read at the leadership meeting in March."),
        ("city-find-out-whats-going-on", "Three departments so far: see the register."),
    ):
        services.checklist_update(
            actor=contact,
            organization=city,
            step=GettingStartedStep.objects.get(slug=slug),
            done=True,
            note=note,
            at=world.moment(-45),
        )
    for slug in ("se-what-have-you-learned", "se-develop-your-offer", "se-lobby-together"):
        services.checklist_update(
            actor=harvest,
            organization=world.orgs["harvest-table-kitchens"],
            step=GettingStartedStep.objects.get(slug=slug),
            done=True,
            at=world.moment(-40),
        )
    services.city_story_add(
        actor=contact,
        city=city,
        title="Lunch in the parks",
        body=(
            "Park staff and a social kitchen served lunches in three parks one summer.\n\n"
            "We asked families first, and the park nobody had mentioned turned out to be the "
            "busiest."
        ),
        practices=[world.practices["beneficiaries-as-changemakers"]],
        at=world.moment(-20),
    )
    return True
