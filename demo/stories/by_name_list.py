"""Riverton: a by-name list towards functional zero for homelessness."""

from __future__ import annotations

from demo.replay import Story, World
from demo.stories.shorthand import (
    ADAPT,
    ADOPT,
    AGENCY,
    BEN,
    BRIDGES,
    DONE,
    DOWN,
    EXPECT,
    IN_PROGRESS,
    LAB,
    LONG,
    R_CONTACT,
    RIVERTON,
    TOOLS,
    VALUES,
)
from partnerships.models import Lever, Participant


def story(w: World) -> Story:
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
