"""Riverton: welcoming newcomers and long-time residents alike."""

from __future__ import annotations

from demo.replay import Story, World
from demo.stories.shorthand import (
    ABANDON,
    ADOPT,
    BEN,
    BRIDGES,
    DONE,
    IN_PROGRESS,
    LAB,
    LONG,
    R_CONTACT,
    RIVERTON,
    TOOLS,
    UP,
    VALUES,
)
from partnerships.models import Lever, Partnership


def story(w: World) -> Story:
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
