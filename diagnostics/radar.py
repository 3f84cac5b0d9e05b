"""The geometry of the results page's radar chart: pure functions, no Django.

Scores from 0 to 100 sit on equally spaced axes, the first pointing straight up and the
rest clockwise. The template only copies the numbers computed here into SVG attributes,
so the chart needs no script and no inline style (the Content Security Policy is strict).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

# The SVG's own coordinate system; it scales to the width of its container.
WIDTH = 760
HEIGHT = 520
CENTRE_X = WIDTH / 2
CENTRE_Y = HEIGHT / 2
RADIUS = 170
LABEL_GAP = 18  # between the end of an axis and its label
LINE_HEIGHT = 18  # of an axis label, in SVG units (the label is 16px text)
LABEL_WIDTH = 20  # characters per line of an axis label
RINGS = (25, 50, 75, 100)  # the band boundaries, drawn as the chart's grid


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    y: float  # its baseline


@dataclass(frozen=True, slots=True)
class AxisLabel:
    lines: tuple[Line, ...]
    x: float
    anchor: str  # the SVG text-anchor: "start", "middle" or "end"


@dataclass(frozen=True, slots=True)
class Axis:
    key: str
    end: Point
    label: AxisLabel


@dataclass(frozen=True, slots=True)
class RingLabel:
    value: int
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Radar:
    width: int
    height: int
    centre: Point
    axes: tuple[Axis, ...]
    rings: tuple[str, ...]  # polygon points, innermost first
    ring_labels: tuple[RingLabel, ...]
    business: str  # polygon points of the business's scores
    business_points: tuple[Point, ...]
    peers: str | None  # polygon points of the peer medians, None when not shown


def direction(index: int, count: int) -> tuple[float, float]:
    """The unit vector of axis `index` of `count`: the first points up, then clockwise."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return math.cos(angle), math.sin(angle)


def point_for(
    score: float | None,
    index: int,
    count: int,
    *,
    centre: Point = Point(CENTRE_X, CENTRE_Y),
    radius: float = RADIUS,
) -> Point:
    """Where `score` (0–100; None, not scored, is drawn at the centre) sits on axis `index`.
    Scores outside 0–100 are clamped so that the shape never leaves the chart."""
    value = 0.0 if score is None else min(max(float(score), 0.0), 100.0)
    dx, dy = direction(index, count)
    distance = radius * value / 100
    return Point(round(centre.x + dx * distance, 1), round(centre.y + dy * distance, 1))


def radar_points(
    scores: Sequence[float | None],
    *,
    centre: Point = Point(CENTRE_X, CENTRE_Y),
    radius: float = RADIUS,
) -> tuple[Point, ...]:
    """One point per score, on equally spaced axes."""
    count = len(scores)
    if count < 3:
        raise ValueError("a radar chart needs at least 3 axes")
    return tuple(
        point_for(score, index, count, centre=centre, radius=radius)
        for index, score in enumerate(scores)
    )


def polygon(points: Sequence[Point]) -> str:
    """An SVG points attribute: "x1,y1 x2,y2 …"."""
    return " ".join(f"{point.x:g},{point.y:g}" for point in points)


def axis_label(text: str, index: int, count: int) -> AxisLabel:
    """A label just beyond the end of its axis, wrapped, anchored away from the chart."""
    texts = textwrap.wrap(text, LABEL_WIDTH) or [""]
    dx, dy = direction(index, count)
    x = CENTRE_X + dx * (RADIUS + LABEL_GAP)
    y = CENTRE_Y + dy * (RADIUS + LABEL_GAP)
    anchor = "middle" if abs(dx) < 0.2 else ("start" if dx > 0 else "end")
    block = LINE_HEIGHT * (len(texts) - 1)
    if dy < -0.2:  # above the centre: the last line sits on the point
        first = y - block
    elif dy > 0.2:  # below: the first line hangs from it
        first = y + LINE_HEIGHT * 0.8
    else:  # beside: centred on it
        first = y - block / 2 + LINE_HEIGHT * 0.3
    lines = tuple(
        Line(text=line, y=round(first + LINE_HEIGHT * number, 1))
        for number, line in enumerate(texts)
    )
    return AxisLabel(lines=lines, x=round(x, 1), anchor=anchor)


def radar(
    axes: Sequence[tuple[str, str]],
    scores: Sequence[float | None],
    peer_medians: Sequence[float | None] | None = None,
) -> Radar:
    """The whole chart: `axes` are (key, label) pairs, `scores` the business's scores in
    the same order, and `peer_medians` the peer group's medians, or None to leave the peer
    shape out (it is also left out when any median is missing)."""
    count = len(axes)
    if len(scores) != count or (peer_medians is not None and len(peer_medians) != count):
        raise ValueError("one score per axis")
    business = radar_points(scores)
    peers = None
    if peer_medians is not None and all(median is not None for median in peer_medians):
        peers = polygon(radar_points(peer_medians))
    ring_labels = tuple(
        RingLabel(value=ring, x=round(CENTRE_X + 4, 1), y=round(CENTRE_Y - RADIUS * ring / 100, 1))
        for ring in RINGS
    )
    return Radar(
        width=WIDTH,
        height=HEIGHT,
        centre=Point(CENTRE_X, CENTRE_Y),
        axes=tuple(
            Axis(
                key=key,
                end=point_for(100, index, count),
                label=axis_label(label, index, count),
            )
            for index, (key, label) in enumerate(axes)
        ),
        rings=tuple(polygon(radar_points([ring] * count)) for ring in RINGS),
        ring_labels=ring_labels,
        business=polygon(business),
        business_points=business,
        peers=peers,
    )
