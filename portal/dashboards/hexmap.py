"""The council hex map: pure functions from a hex layout and published figures to what
templates/dashboards/includes/hexmap.svg.html draws (no ORM, no request).

The layout is Open Innovations' hex map of the UK's 361 district and unitary councils
(data/uk-local-authority-districts-2023.hexjson, MIT; see data/LICENSE-hexmaps.txt): an
"odd-r" HexJSON, pointy-topped hexagons whose odd rows are shoved half a hexagon right,
``r`` growing northwards. The figures arrive already through ``portal.lib.disclosure``:
a suppressed one is drawn hatched and named "fewer than 10" or "not enough data", never
as a number. Colours come from a sequential palette that colour-blind readers can tell
apart (viridis), and every colour has its range written out in the legend.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from portal.lib.disclosure import SUPPRESSED, Shown

DATA = Path(__file__).resolve().parent / "data"
LAYOUT_PATH = DATA / "uk-local-authority-districts-2023.hexjson"

# Viridis in five steps, light (low) to dark (high): readable with any colour vision
# deficiency and in greyscale.
PALETTE = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
SUPPRESSED_PATTERN = "waymark-hexmap-suppressed"  # the <pattern> id for suppressed figures

HEX_SIZE = 10  # centre to corner, in SVG units
HEX_WIDTH = math.sqrt(3) * HEX_SIZE
ROW_HEIGHT = 1.5 * HEX_SIZE
MARGIN = 4


@dataclass(frozen=True, slots=True)
class Tile:
    gss_code: str
    name: str
    q: int
    r: int
    region: str  # the ONS code of its nation or region


@dataclass(frozen=True, slots=True)
class Layout:
    tiles: tuple[Tile, ...]


def parse_layout(hexjson: Mapping) -> Layout:
    """A Layout from a HexJSON document (only "odd-r" is drawn)."""
    if hexjson.get("layout") != "odd-r":
        raise ValueError(f"only odd-r hex layouts are drawn, not {hexjson.get('layout')!r}")
    return Layout(
        tiles=tuple(
            Tile(
                gss_code=code,
                name=tile["n"],
                q=int(tile["q"]),
                r=int(tile["r"]),
                region=tile.get("region", ""),
            )
            for code, tile in hexjson["hexes"].items()
        )
    )


@cache
def load_layout(path: Path = LAYOUT_PATH) -> Layout:
    """The layout shipped with the project, read once per process."""
    with open(path, encoding="utf-8") as layout_file:
        return parse_layout(json.load(layout_file))


@dataclass(frozen=True, slots=True)
class Band:
    """One colour of the scale: values from ``low`` up to (not including) ``high``; the
    last band includes its ``high``."""

    low: float
    high: float
    colour: str
    last: bool = False

    def holds(self, value: float) -> bool:
        return self.low <= value < self.high or (self.last and value == self.high)


@dataclass(frozen=True, slots=True)
class Scale:
    bands: tuple[Band, ...]
    unit: str = ""  # written after each number of the legend, e.g. "%"

    def colour_for(self, value: float) -> str:
        for band in self.bands:
            if band.holds(value):
                return band.colour
        # Outside the scale's range: the nearer end.
        return self.bands[0].colour if value < self.bands[0].low else self.bands[-1].colour


def scale_from_breaks(breaks: Sequence[float], *, unit: str = "") -> Scale:
    """A scale with a band between each two neighbouring ``breaks`` (at most as many bands
    as the palette has colours), coloured light to dark."""
    if len(breaks) < 2 or len(breaks) - 1 > len(PALETTE) or list(breaks) != sorted(set(breaks)):
        raise ValueError(f"breaks must rise, 2 to {len(PALETTE) + 1} of them: {breaks!r}")
    count = len(breaks) - 1
    # Spread the colours over the whole palette when there are fewer bands than colours.
    colours = [PALETTE[round(i * (len(PALETTE) - 1) / max(count - 1, 1))] for i in range(count)]
    return Scale(
        bands=tuple(
            Band(low=breaks[i], high=breaks[i + 1], colour=colours[i], last=i == count - 1)
            for i in range(count)
        ),
        unit=unit,
    )


def _nice_step(span: float, steps: int) -> float:
    raw = span / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude  # pragma: no cover (the loop ends at 10)


def scale_for_counts(values: Sequence[float | None], *, steps: int = len(PALETTE)) -> Scale:
    """A scale of round-numbered equal bands from the smallest shown count to the largest
    (counts are published rounded to 5, so the bands start on a multiple of 5); None
    (a suppressed count) is left out."""
    values = [value for value in values if value is not None]
    if not values:
        return scale_from_breaks([0, 10])
    low = math.floor(min(values) / 5) * 5
    high = max(values)
    if high <= low:
        return scale_from_breaks([low, low + 5])
    step = max(_nice_step(high - low, steps), 5)
    breaks = [low]
    while breaks[-1] < high:
        breaks.append(breaks[-1] + step)
    return scale_from_breaks(breaks)


@dataclass(frozen=True, slots=True)
class Hex:
    gss_code: str
    name: str
    points: str  # the polygon's points, in SVG units
    fill: str  # a colour, or the url() of the suppressed pattern
    figure: Shown
    href: str | None  # the council's public summary, None when there is none to link to

    @property
    def suppressed(self) -> bool:
        return self.figure.suppressed


@dataclass(frozen=True, slots=True)
class Row:
    """A line of the table beside the map: the same figure as the hexagon."""

    gss_code: str
    name: str
    region: str
    figure: Shown
    href: str | None


@dataclass(frozen=True, slots=True)
class LegendEntry:
    colour: str | None  # None: the suppressed pattern
    low: float | None
    high: float | None
    text: str  # the words for a suppressed figure; empty for a range
    last: bool = False  # the top band, which includes its high end


@dataclass(frozen=True, slots=True)
class HexMap:
    width: float
    height: float
    measure: str  # what the colours show, e.g. "Completed assessments"
    hexes: tuple[Hex, ...]
    rows: tuple[Row, ...]  # by council name
    legend: tuple[LegendEntry, ...]
    unit: str
    pattern: str  # the suppressed pattern's id
    shown: int  # how many councils have a figure
    suppressed: int

    @property
    def suppressed_text(self) -> str:
        for entry in self.legend:
            if entry.colour is None:
                return entry.text
        return ""


def centre(tile: Tile, *, min_q: int, max_r: int) -> tuple[float, float]:
    """The centre of a tile's hexagon: odd rows (negative ones too) shoved half right,
    north at the top."""
    shove = 0.5 if tile.r % 2 else 0.0
    x = MARGIN + HEX_WIDTH / 2 + HEX_WIDTH * (tile.q - min_q + shove)
    y = MARGIN + HEX_SIZE + ROW_HEIGHT * (max_r - tile.r)
    return x, y


def hexagon_points(x: float, y: float, size: float = HEX_SIZE) -> str:
    """A pointy-topped hexagon's corners around (x, y), clockwise from the top."""
    corners = []
    for corner in range(6):
        angle = math.radians(-90 + 60 * corner)
        corners.append(f"{x + size * math.cos(angle):.2f},{y + size * math.sin(angle):.2f}")
    return " ".join(corners)


def draw(
    layout: Layout,
    figures: Mapping[str, Shown],
    *,
    measure: str,
    scale: Scale,
    url_for: Callable[[str], str | None] = lambda gss_code: None,
    region_names: Mapping[str, str] | None = None,
    missing: Shown = SUPPRESSED,
) -> HexMap:
    """The map of ``figures`` (GSS code → a published figure) on ``layout``: a council
    with no figure is shown as ``missing`` (suppressed). ``url_for`` gives a council's
    public summary from its GSS code (None: no link)."""
    region_names = region_names or {}
    min_q = min(tile.q for tile in layout.tiles)
    max_q = max(tile.q for tile in layout.tiles)
    min_r = min(tile.r for tile in layout.tiles)
    max_r = max(tile.r for tile in layout.tiles)
    hexes, rows = [], []
    for tile in layout.tiles:
        figure = figures.get(tile.gss_code, missing)
        x, y = centre(tile, min_q=min_q, max_r=max_r)
        fill = (
            f"url(#{SUPPRESSED_PATTERN})" if figure.suppressed else scale.colour_for(figure.value)
        )
        href = url_for(tile.gss_code)
        hexes.append(
            Hex(
                gss_code=tile.gss_code,
                name=tile.name,
                points=hexagon_points(x, y),
                fill=fill,
                figure=figure,
                href=href,
            )
        )
        rows.append(
            Row(
                gss_code=tile.gss_code,
                name=tile.name,
                region=region_names.get(tile.region, ""),
                figure=figure,
                href=href,
            )
        )
    suppressed = sum(1 for item in hexes if item.suppressed)
    legend = [
        LegendEntry(band.colour, band.low, band.high, "", last=band.last) for band in scale.bands
    ]
    kinds = {item.figure.kind for item in hexes if item.suppressed} or {missing.kind}
    legend += [LegendEntry(None, None, None, str(Shown(None, kind))) for kind in sorted(kinds)]
    return HexMap(
        width=round(2 * MARGIN + HEX_WIDTH * (max_q - min_q + 1.5), 2),
        height=round(2 * MARGIN + 2 * HEX_SIZE + ROW_HEIGHT * (max_r - min_r), 2),
        measure=measure,
        hexes=tuple(hexes),
        rows=tuple(sorted(rows, key=lambda row: (row.name, row.gss_code))),
        legend=tuple(legend),
        unit=scale.unit,
        pattern=SUPPRESSED_PATTERN,
        shown=len(hexes) - suppressed,
        suppressed=suppressed,
    )
