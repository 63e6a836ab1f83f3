"""The SVG line chart's geometry, computed without a database."""

from datetime import date
from decimal import Decimal

from partnerships.charts import MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, line_chart


def test_points_span_the_plot_from_first_to_last_date() -> None:
    chart = line_chart(
        [(date(2027, 1, 1), Decimal(0)), (date(2027, 1, 11), Decimal(100))],
        target=Decimal(100),
        baseline=Decimal(0),
    )
    first, last = chart.points
    assert first.x == MARGIN_LEFT
    assert last.x == chart.width - MARGIN_RIGHT


def test_points_are_placed_in_proportion_to_elapsed_days() -> None:
    chart = line_chart(
        [
            (date(2027, 1, 1), Decimal(10)),
            (date(2027, 1, 3), Decimal(10)),
            (date(2027, 1, 5), Decimal(10)),
        ],
        target=Decimal(20),
    )
    xs = [p.x for p in chart.points]
    assert xs[1] - xs[0] == xs[2] - xs[1]


def test_measurements_are_sorted_by_date() -> None:
    chart = line_chart(
        [(date(2027, 3, 1), Decimal(30)), (date(2027, 1, 1), Decimal(10))],
        target=Decimal(50),
    )
    assert [p.day for p in chart.points] == [date(2027, 1, 1), date(2027, 3, 1)]
    assert chart.first_day == date(2027, 1, 1)
    assert chart.last_day == date(2027, 3, 1)


def test_higher_values_are_drawn_higher_up() -> None:
    chart = line_chart(
        [(date(2027, 1, 1), Decimal(10)), (date(2027, 2, 1), Decimal(90))],
        target=Decimal(100),
    )
    low, high = chart.points
    assert high.y < low.y


def test_values_scale_between_top_and_bottom_of_the_plot() -> None:
    chart = line_chart(
        [(date(2027, 1, 1), Decimal(0)), (date(2027, 2, 1), Decimal(50))],
        target=Decimal(100),
    )
    for point in chart.points:
        assert MARGIN_TOP <= point.y <= chart.height - MARGIN_BOTTOM
    # 50 sits half way between 0 and 100.
    middle = (chart.points[0].y + chart.target_y) / 2
    assert abs(chart.points[1].y - middle) < 0.2


def test_target_line_is_inside_the_plot_even_when_far_from_the_measurements() -> None:
    chart = line_chart(
        [(date(2027, 1, 1), Decimal(3)), (date(2027, 2, 1), Decimal(4))],
        target=Decimal(1000),
    )
    assert MARGIN_TOP <= chart.target_y <= chart.height - MARGIN_BOTTOM
    assert chart.target_y < chart.points[1].y
    assert chart.y_max >= Decimal(1000)


def test_target_below_the_values_for_an_indicator_that_should_go_down() -> None:
    chart = line_chart(
        [(date(2027, 1, 1), Decimal(80)), (date(2027, 2, 1), Decimal(60))],
        target=Decimal(20),
        baseline=Decimal(90),
    )
    assert chart.target_y > chart.points[1].y
    assert chart.baseline_y is not None
    assert chart.baseline_y < chart.points[0].y


def test_no_measurements_gives_an_empty_chart_with_a_target_line() -> None:
    chart = line_chart([], target=Decimal(100), baseline=Decimal(10))
    assert chart.is_empty
    assert chart.polyline == ""
    assert chart.first_day is None
    assert MARGIN_TOP <= chart.target_y <= chart.height - MARGIN_BOTTOM
    assert chart.baseline_y is not None
    assert chart.baseline_y > chart.target_y


def test_a_single_measurement_is_centred_horizontally() -> None:
    chart = line_chart([(date(2027, 1, 1), Decimal(5))], target=Decimal(10))
    (point,) = chart.points
    assert point.x == (MARGIN_LEFT + chart.width - MARGIN_RIGHT) / 2
    assert chart.polyline == f"{point.x:g},{point.y:g}"


def test_a_flat_series_equal_to_the_target_still_gets_a_visible_band() -> None:
    chart = line_chart([(date(2027, 1, 1), Decimal(7))], target=Decimal(7))
    assert chart.y_min < Decimal(7) < chart.y_max
    assert chart.points[0].y == chart.target_y


def test_zero_everywhere_does_not_divide_by_zero() -> None:
    chart = line_chart([(date(2027, 1, 1), Decimal(0))], target=Decimal(0))
    assert chart.y_min == Decimal(-1)
    assert chart.y_max == Decimal(1)


def test_polyline_lists_every_point_in_order() -> None:
    chart = line_chart(
        [(date(2027, 1, 1), Decimal(1)), (date(2027, 1, 2), Decimal(2))],
        target=Decimal(3),
        width=200,
        height=100,
    )
    assert chart.view_box == "0 0 200 100"
    pairs = chart.polyline.split(" ")
    assert len(pairs) == 2
    assert pairs[0].startswith(f"{MARGIN_LEFT:g},")
