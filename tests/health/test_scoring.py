"""The scoring module on its own: no database, hand-made cases first, then properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from health.scoring import (
    FORMULA_VERSION,
    PRACTICES,
    Answer,
    Band,
    Facts,
    Group,
    Hidden,
    Signal,
    band,
    behaviour,
    behaviour_signals,
    perception_figures,
    remarks_visible,
    respondent_means,
    score_all,
    score_band,
    score_practice,
    to_percent,
)

LONG_VIEW = "the-long-view"


def answers(group: Group, ratings: list[int | None], *, start: int = 0, practice: str = LONG_VIEW):
    return [Answer(start + i, group, practice, r) for i, r in enumerate(ratings)]


# --- Hand-made cases -------------------------------------------------------------------


def test_the_scale_and_the_bands():
    assert to_percent(1) == 0
    assert to_percent(5) == 100
    assert to_percent(3) == 50
    assert band(4.0) is Band.STRENGTH
    assert band(3.99) is Band.DISCUSS
    assert band(3.0) is Band.DISCUSS
    assert band(2.99) is Band.CONCERN
    assert score_band(75) is Band.STRENGTH
    assert score_band(74) is Band.DISCUSS
    assert score_band(50) is Band.DISCUSS
    assert score_band(49) is Band.CONCERN


def test_no_data_gives_no_score_and_no_confidence():
    score = score_practice(LONG_VIEW, [], [])
    assert score.perception is None
    assert score.behaviour is None
    assert score.combined is None
    assert score.confidence == 0
    assert score.band is None
    assert score.formula_version == FORMULA_VERSION


def test_one_respondent_is_never_shown():
    score = score_practice(LONG_VIEW, answers(Group.CITY, [5]), [])
    assert score.overall.respondents == 1
    assert score.overall.mean is None
    assert score.overall.hidden is Hidden.FEW
    assert score.groups[Group.CITY].hidden is Hidden.FEW
    assert score.perception is None


def test_all_dont_know_counts_nobody():
    means = respondent_means(answers(Group.CITY, [None, None, None, None]), LONG_VIEW)
    assert means == {}
    score = score_practice(LONG_VIEW, answers(Group.CITY, [None, None, None, None]), [])
    assert score.overall.respondents == 0
    assert score.perception is None


def test_a_respondents_statements_are_averaged_before_people_are():
    rows = [
        Answer(1, Group.CITY, LONG_VIEW, 5),
        Answer(1, Group.CITY, LONG_VIEW, 3),
        Answer(2, Group.CITY, LONG_VIEW, 2),
        Answer(3, Group.CITY, LONG_VIEW, None),
        Answer(3, Group.CITY, LONG_VIEW, 2),
        Answer(4, Group.CITY, "shared-values", 1),
    ]
    assert respondent_means(rows, LONG_VIEW) == {
        1: (Group.CITY, 4.0),
        2: (Group.CITY, 2.0),
        3: (Group.CITY, 2.0),
    }
    overall, _ = perception_figures(respondent_means(rows, LONG_VIEW))
    assert overall.mean == (4 + 2 + 2) / 3


def test_a_group_under_the_threshold_is_hidden_and_the_others_shown():
    rows = answers(Group.CITY, [4, 4, 5, 5]) + answers(Group.ENTREPRENEURS, [2, 3, 2], start=10)
    rows += answers(Group.BENEFICIARIES, [1, 2], start=20)
    overall, groups = perception_figures(respondent_means(rows, LONG_VIEW))
    assert groups[Group.BENEFICIARIES].hidden is Hidden.FEW
    assert groups[Group.BENEFICIARIES].mean is None
    assert groups[Group.BENEFICIARIES].respondents == 2
    # Overall minus city minus entrepreneurs would leave the two beneficiaries: the
    # smallest shown group goes too, so what is left is five people.
    assert groups[Group.ENTREPRENEURS].hidden is Hidden.SUBTRACTION
    assert groups[Group.ENTREPRENEURS].protects is Group.BENEFICIARIES
    assert groups[Group.CITY].mean == 4.5
    assert overall.mean is not None


def test_two_small_groups_together_are_enough_to_show_the_overall():
    rows = answers(Group.CITY, [4, 5]) + answers(Group.ENTREPRENEURS, [2, 3], start=10)
    overall, groups = perception_figures(respondent_means(rows, LONG_VIEW))
    assert groups[Group.CITY].hidden is Hidden.FEW
    assert groups[Group.ENTREPRENEURS].hidden is Hidden.FEW
    assert overall.mean == 3.5


def test_a_group_recoverable_by_subtraction_with_no_group_left_hides_the_overall():
    rows = answers(Group.CITY, [4, 5, 4, 4]) + answers(Group.ENTREPRENEURS, [1], start=10)
    overall, groups = perception_figures(respondent_means(rows, LONG_VIEW), threshold=3)
    assert groups[Group.ENTREPRENEURS].hidden is Hidden.FEW
    assert groups[Group.CITY].hidden is Hidden.SUBTRACTION
    # The city hidden too, five people are left: the overall can stand.
    assert overall.mean is not None


def test_the_threshold_is_never_below_three():
    rows = answers(Group.CITY, [4, 5])
    overall, groups = perception_figures(respondent_means(rows, LONG_VIEW), threshold=1)
    assert overall.mean is None
    assert groups[Group.CITY].mean is None


def test_a_higher_threshold_hides_more():
    rows = answers(Group.CITY, [4, 5, 4, 4])
    overall, groups = perception_figures(respondent_means(rows, LONG_VIEW), threshold=5)
    assert groups[Group.CITY].hidden is Hidden.FEW
    assert overall.hidden is Hidden.FEW


def test_one_person_joining_with_everyone_else_unchanged_is_hidden_in_the_later_round():
    before = answers(Group.CITY, [4, 4, 5])
    now = before + answers(Group.CITY, [1], start=3)
    score = score_practice(LONG_VIEW, now, [], before=before)
    assert score.groups[Group.CITY].hidden is Hidden.ROUNDS
    assert score.overall.hidden is Hidden.ROUNDS
    assert score.perception is None


def test_one_person_leaving_with_everyone_else_unchanged_is_hidden_too():
    before = answers(Group.CITY, [4, 4, 5, 2])
    now = before[:3]
    score = score_practice(LONG_VIEW, now, [], before=before)
    assert score.groups[Group.CITY].hidden is Hidden.ROUNDS


def test_a_new_round_where_people_changed_their_minds_is_shown():
    before = answers(Group.CITY, [4, 4, 5])
    now = answers(Group.CITY, [3, 4, 5, 1])
    score = score_practice(LONG_VIEW, now, [], before=before)
    assert score.groups[Group.CITY].hidden is None
    assert score.groups[Group.CITY].mean == 3.25


def test_remarks_need_five_respondents():
    assert not remarks_visible(4)
    assert remarks_visible(5)
    assert not remarks_visible(6, threshold=7)


def test_spread_names_the_two_groups_furthest_apart():
    rows = answers(Group.CITY, [5, 5, 5]) + answers(Group.ENTREPRENEURS, [2, 2, 2], start=10)
    rows += answers(Group.BENEFICIARIES, [4, 4, 4], start=20)
    score = score_practice(LONG_VIEW, rows, [])
    assert score.spread == 75
    assert score.spread_between == (Group.CITY, Group.ENTREPRENEURS)


def test_behaviour_leaves_out_signals_without_data_and_says_so_in_the_confidence():
    signals = [
        Signal("a", LONG_VIEW, 1, 2, 1),
        Signal("b", LONG_VIEW, 0, 0, 1),
    ]
    score, contributions, coverage = behaviour(signals)
    assert score == 50
    assert coverage == 0.5
    assert contributions[0].points == 50
    assert contributions[1].possible_points == 0


def test_combined_is_the_mean_of_perception_and_behaviour():
    rows = answers(Group.CITY, [5, 5, 5, 5, 5, 5, 5, 5, 5])
    signals = [Signal("checkins_on_time", LONG_VIEW, 1, 2, 3)]
    score = score_practice(LONG_VIEW, rows, signals)
    assert score.perception == 100
    assert score.behaviour == 50
    assert score.combined == 75
    assert score.confidence == 1.0
    assert score.would_raise == ("checkins_on_time",)


def test_a_new_partnership_scores_nothing_it_could_not_yet_do():
    scores = {s.practice: s for s in score_all([], behaviour_signals(Facts(partners=1)))}
    assert set(scores) == set(PRACTICES)
    # No check-in was due yet: The Long View has no data rather than a zero.
    assert scores[LONG_VIEW].behaviour is None
    # A lone lead with nobody beside it: Build Bridges has something to say.
    assert scores["build-bridges"].behaviour == 0


def test_values_agreed_by_every_partner_score_full():
    # Two partner organizations and the city: three parties.
    facts = Facts(partners=2, values_written=True, values_partners_agreed=3)
    score = score_practice("shared-values", [], behaviour_signals(facts))
    assert score.behaviour == 100
    facts = Facts(partners=2, values_written=True, values_partners_agreed=1)
    assert score_practice("shared-values", [], behaviour_signals(facts)).behaviour == 33
    unwritten = Facts(partners=2)
    assert score_practice("shared-values", [], behaviour_signals(unwritten)).behaviour == 0


# --- Properties ------------------------------------------------------------------------

ratings = st.one_of(st.none(), st.integers(min_value=1, max_value=5))
groups = st.sampled_from(list(Group))
answer_lists = st.lists(
    st.tuples(st.integers(min_value=0, max_value=30), groups, st.sampled_from(PRACTICES), ratings),
    max_size=80,
)


def _answers(rows):
    # One group per respondent, as in a real round.
    first_group: dict[int, Group] = {}
    out = []
    for person, group, practice, rating in rows:
        group = first_group.setdefault(person, group)
        out.append(Answer(person, group, practice, rating))
    return out


counts = st.integers(min_value=0, max_value=40)
facts_strategy = st.builds(
    Facts,
    checkins_due=counts,
    checkins_on_time=counts,
    checkins_held=counts,
    checkins_with_beneficiaries=counts,
    indicators=counts,
    indicators_fresh=counts,
    experiments_ended=counts,
    experiments_decided=counts,
    participants=counts,
    comments=counts,
    comments_answered=counts,
    partners=counts,
    partners_with_responsibilities=counts,
    largest_responsibility_share=st.floats(min_value=0, max_value=1),
    partners_added=counts,
    levers_used=counts,
    needs_stated=counts,
    needs_discussed=counts,
    milestones_due=counts,
    milestones_kept=counts,
    values_partners_agreed=counts,
    values_written=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(answer_lists, facts_strategy)
def test_every_score_is_between_0_and_100(rows, facts):
    for score in score_all(_answers(rows), behaviour_signals(facts)):
        for value in (score.perception, score.behaviour, score.combined):
            assert value is None or 0 <= value <= 100
        assert 0 <= score.confidence <= 1
        for figure in score.groups.values():
            assert figure.score is None or 0 <= figure.score <= 100


@settings(max_examples=200, deadline=None)
@given(counts, counts, counts)
def test_more_on_time_checkins_never_lower_the_long_view(due, on_time, more):
    on_time = min(on_time, due)
    more = min(more, due - on_time)

    def long_view(facts: Facts) -> int | None:
        return score_practice(LONG_VIEW, [], behaviour_signals(facts)).behaviour

    before = long_view(Facts(checkins_due=due, checkins_on_time=on_time))
    after = long_view(Facts(checkins_due=due, checkins_on_time=on_time + more))
    # Another check-in that was due and held on time, too.
    held = long_view(Facts(checkins_due=due + 1, checkins_on_time=on_time + 1))
    if before is not None:
        assert after is not None and after >= before
        assert held is not None and held >= before


def _revealed(figures_overall, figures_groups, means, k):
    """What an observer learns: shown means of groups under k, or a residual under k."""
    by_group = {g: [v for _, (gg, v) in means.items() if gg is g] for g in Group}
    for g, figure in figures_groups.items():
        if figure.mean is not None and len(by_group[g]) < k:
            return f"{g} shown with {len(by_group[g])}"
    if figures_overall.mean is not None:
        hidden = [g for g, fig in figures_groups.items() if fig.mean is None]
        residual = sum(len(by_group[g]) for g in hidden)
        if 0 < residual < k:
            return f"residual of {residual}"
    return None


@settings(max_examples=300, deadline=None)
@given(answer_lists, st.integers(min_value=0, max_value=30), groups, ratings, st.integers(3, 6))
def test_adding_a_respondent_never_reveals_an_answer(rows, person, group, rating, k):
    base = _answers(rows)
    extra = [a for a in base if a.respondent != person] + [Answer(person, group, LONG_VIEW, rating)]
    for case in (base, extra):
        means = respondent_means(case, LONG_VIEW)
        overall, figures = perception_figures(means, threshold=k)
        assert _revealed(overall, figures, means, k) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=5), min_size=3, max_size=12), ratings)
def test_one_person_joining_never_shows_the_difference(ratings_before, rating):
    before = answers(Group.CITY, list(ratings_before))
    now = [*before, Answer(99, Group.CITY, LONG_VIEW, rating)]
    score = score_practice(LONG_VIEW, now, [], before=before)
    shown_before = score_practice(LONG_VIEW, before, []).groups[Group.CITY].mean
    if rating is not None and shown_before is not None:
        # Both rounds shown would give away the newcomer's rating.
        assert score.groups[Group.CITY].mean is None
