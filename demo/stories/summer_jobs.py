"""Riverton: first jobs for young people leaving foster care."""

from __future__ import annotations

from demo.replay import Story, World
from demo.stories.shorthand import (
    ADOPT,
    AGENCY,
    BEN,
    DROPPED,
    EXPECT,
    IN_PROGRESS,
    R_ADMIN,
    RIVERTON,
    UP,
)
from partnerships.models import Lever, Partnership


def story(w: World) -> Story:
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
