"""Riverton: shared meals for older neighbours, cooked from surplus food."""

from __future__ import annotations

from demo.replay import Story, World
from demo.stories.shorthand import (
    ABANDON,
    ADOPT,
    AGENCY,
    BEN,
    DONE,
    DOWN,
    IN_PROGRESS,
    LAB,
    R_CONTACT,
    RIVERTON,
    TOOLS,
    UP,
)
from partnerships.models import Lever, Partnership


def story(w: World) -> Story:
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
