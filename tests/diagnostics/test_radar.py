"""The radar chart's geometry (diagnostics.radar): pure functions."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diagnostics import radar

CENTRE = radar.Point(radar.CENTRE_X, radar.CENTRE_Y)
AXES = [(f"d{number}", f"Dimension {number}") for number in range(8)]


def distance(point):
    return math.hypot(point.x - CENTRE.x, point.y - CENTRE.y)


def test_first_axis_points_up_then_clockwise():
    points = radar.radar_points([100] * 8)
    assert points[0] == radar.Point(CENTRE.x, CENTRE.y - radar.RADIUS)
    assert points[2] == radar.Point(CENTRE.x + radar.RADIUS, CENTRE.y)  # right
    assert points[4] == radar.Point(CENTRE.x, CENTRE.y + radar.RADIUS)  # down
    assert points[6] == radar.Point(CENTRE.x - radar.RADIUS, CENTRE.y)  # left


@pytest.mark.parametrize(
    ("score", "expected"),
    [(0, 0), (25, radar.RADIUS / 4), (50, radar.RADIUS / 2), (100, radar.RADIUS)],
)
def test_distance_from_the_centre_is_proportional_to_the_score(score, expected):
    for point in radar.radar_points([score] * 8):
        assert distance(point) == pytest.approx(expected, abs=0.1)


def test_not_scored_sits_at_the_centre_and_out_of_range_is_clamped():
    points = radar.radar_points([None, -5, 150, 50])
    assert points[0] == CENTRE
    assert points[1] == CENTRE
    assert distance(points[2]) == pytest.approx(radar.RADIUS, abs=0.1)


def test_needs_three_axes():
    with pytest.raises(ValueError):
        radar.radar_points([50, 50])


def test_polygon_points_attribute():
    assert radar.polygon([radar.Point(1.5, 2), radar.Point(3, 4.25)]) == "1.5,2 3,4.25"


def test_chart_has_rings_axes_and_both_shapes():
    chart = radar.radar(AXES, [10] * 8, [60] * 8)
    assert len(chart.rings) == len(radar.RINGS)
    assert len(chart.axes) == 8
    assert chart.business.count(",") == 8
    assert chart.peers is not None and chart.peers.count(",") == 8


def test_peer_shape_left_out_without_medians_or_with_one_missing():
    assert radar.radar(AXES, [10] * 8).peers is None
    assert radar.radar(AXES, [10] * 8, [60] * 7 + [None]).peers is None


def test_one_score_per_axis():
    with pytest.raises(ValueError):
        radar.radar(AXES, [10] * 7)


def test_labels_are_wrapped_and_anchored_away_from_the_chart():
    chart = radar.radar([("a", "Trade, markets and procurement readiness")] + AXES[1:], [50] * 8)
    top, right, left = chart.axes[0].label, chart.axes[2].label, chart.axes[6].label
    assert [line.text for line in top.lines] == ["Trade, markets and", "procurement", "readiness"]
    assert top.anchor == "middle"
    assert right.anchor == "start"
    assert left.anchor == "end"
    # The top label stands above the end of its axis, its lines one under another.
    assert top.lines[-1].y < chart.axes[0].end.y
    assert [line.y for line in top.lines] == sorted(line.y for line in top.lines)


@given(st.lists(st.one_of(st.none(), st.floats(0, 100)), min_size=3, max_size=12))
def test_every_point_is_inside_the_chart(scores):
    for point in radar.radar_points(scores):
        assert 0 <= point.x <= radar.WIDTH
        assert 0 <= point.y <= radar.HEIGHT
        assert distance(point) <= radar.RADIUS + 0.1
