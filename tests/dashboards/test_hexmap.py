"""The council hex map's drawing: pure functions, and the SVG its template makes."""

import re

import pytest
from django.template.loader import render_to_string

from portal.dashboards import hexmap
from portal.lib.disclosure import COUNT, STATISTIC, Shown

LAYOUT = hexmap.load_layout()
GATESHEAD, NEWCASTLE = "E08000037", "E08000021"


def render(chart, title="Businesses that completed the diagnostic"):
    context = {"map": chart, "title": title, "table_id": "council-figures"}
    return {
        "svg": render_to_string("dashboards/includes/hexmap.svg.html", context),
        "legend": render_to_string("dashboards/includes/hexmap_legend.html", context),
        "table": render_to_string("dashboards/includes/hexmap_table.html", context),
    }


def draw(figures, **options):
    options.setdefault("measure", "Businesses that completed the diagnostic")
    options.setdefault("scale", hexmap.scale_for_counts([f.value for f in figures.values()]))
    return hexmap.draw(LAYOUT, figures, **options)


def test_the_layout_has_the_361_councils_each_in_its_own_place():
    assert len(LAYOUT.tiles) == 361
    assert len({tile.gss_code for tile in LAYOUT.tiles}) == 361
    assert len({(tile.q, tile.r) for tile in LAYOUT.tiles}) == 361
    assert {tile.gss_code[0] for tile in LAYOUT.tiles} == {"E", "W", "S", "N"}


def test_odd_rows_are_shoved_half_a_hexagon_right_and_north_is_up():
    def at(q, r):
        return hexmap.centre(hexmap.Tile("X", "X", q, r, ""), min_q=0, max_r=10)

    assert at(0, 1)[0] - at(0, 0)[0] == pytest.approx(hexmap.HEX_WIDTH / 2)
    assert at(0, -1)[0] == at(0, 1)[0]
    assert at(0, 10)[1] < at(0, 0)[1]


def test_the_svg_has_a_hexagon_per_council_inside_the_drawing():
    chart = draw({GATESHEAD: Shown(25)})
    svg = render(chart)["svg"]

    assert svg.count("<polygon") == 361
    assert len(set(re.findall(r'data-gss-code="(\w+)"', svg))) == 361
    for item in chart.hexes:
        for point in item.points.split():
            x, y = map(float, point.split(","))
            assert 0 <= x <= chart.width and 0 <= y <= chart.height


def test_suppressed_councils_are_hatched_and_named_as_such_never_as_a_number():
    chart = draw({GATESHEAD: Shown(25), NEWCASTLE: Shown(None, COUNT)})
    rendered = render(chart)

    newcastle = next(item for item in chart.hexes if item.gss_code == NEWCASTLE)
    assert newcastle.fill == f"url(#{hexmap.SUPPRESSED_PATTERN})"
    assert f'<pattern id="{hexmap.SUPPRESSED_PATTERN}"' in rendered["svg"]
    assert "<title>Newcastle upon Tyne: fewer than 10</title>" in rendered["svg"]
    assert "<title>Gateshead: 25</title>" in rendered["svg"]
    # Councils with no figure at all are suppressed too.
    assert chart.shown == 1 and chart.suppressed == 360
    assert rendered["svg"].count('data-suppressed="true"') == 360
    assert "Fewer than 10 (hatched)" in rendered["legend"]


def test_a_statistic_without_enough_businesses_says_not_enough_data():
    chart = draw(
        {GATESHEAD: Shown(61.5, STATISTIC)},
        scale=hexmap.scale_from_breaks([0, 20, 40, 60, 80, 100]),
        missing=Shown(None, STATISTIC),
    )
    rendered = render(chart, title="Mean overall score")

    assert "Not enough data (hatched)" in rendered["legend"]
    assert "Fewer than 10" not in rendered["legend"]
    assert "<title>Gateshead: 61.5</title>" in rendered["svg"]
    gateshead = next(item for item in chart.hexes if item.gss_code == GATESHEAD)
    assert gateshead.fill == hexmap.PALETTE[3]


def test_the_svg_is_labelled_by_its_title_and_described():
    svg = render(draw({GATESHEAD: Shown(25)}))["svg"]

    assert 'role="group"' in svg
    assert 'aria-labelledby="hexmap-title"' in svg
    assert '<title id="hexmap-title">Businesses that completed the diagnostic</title>' in svg
    assert 'aria-describedby="hexmap-desc"' in svg
    assert "1 council has a figure and 360 do not have enough data" in svg


def test_the_legend_writes_out_each_colour_s_range():
    chart = draw({GATESHEAD: Shown(10), NEWCASTLE: Shown(55)})
    legend = render(chart)["legend"]

    assert [entry.colour for entry in chart.legend[:-1]] == list(hexmap.PALETTE)
    assert "10 to under 20" in legend
    assert "50 to 60" in legend
    assert legend.count("<li>") == len(hexmap.PALETTE) + 1


def test_the_table_has_the_same_figure_as_each_hexagon():
    figures = {GATESHEAD: Shown(25), NEWCASTLE: Shown(None, COUNT)}
    chart = draw(figures, region_names={"E12000001": "North East"})
    table = render(chart)["table"]

    cells = dict(re.findall(r'data-gss-code="(\w+)">([^<]*)</td>', table))
    assert len(cells) == 361
    assert cells[GATESHEAD] == "25"
    assert cells[NEWCASTLE] == "fewer than 10"
    for item in chart.hexes:
        assert cells[item.gss_code] == str(item.figure)
    assert '<td class="govuk-table__cell">North East</td>' in table
    assert [row.name for row in chart.rows] == sorted(row.name for row in chart.rows)


def test_each_hexagon_and_table_row_links_to_the_council_s_summary():
    chart = draw({GATESHEAD: Shown(25)}, url_for=lambda code: f"/data/{code}/")
    rendered = render(chart)

    links = re.findall(r'<a href="/data/(\w+)/" tabindex="-1">', rendered["svg"])
    assert sorted(links) == sorted(tile.gss_code for tile in LAYOUT.tiles)
    assert rendered["table"].count('<a class="govuk-link" href="/data/') == 361
    assert 'href="/data/E08000037/">Gateshead</a>' in rendered["table"]
    # Hidden from assistive technology, out of the tab order: the table serves them.
    hexes = re.search(r'<g class="waymark-hexmap__hexes"[^>]*>', rendered["svg"]).group()
    assert 'aria-hidden="true"' in hexes


def test_without_a_summary_page_nothing_links():
    rendered = render(draw({GATESHEAD: Shown(25)}))

    assert "<a " not in rendered["svg"]
    assert "<a " not in rendered["table"]


def test_names_and_links_are_escaped():
    layout = hexmap.parse_layout(
        {
            "layout": "odd-r",
            "hexes": {"E0": {"n": '<script>alert("x")</script> & Co', "q": 0, "r": 0}},
        }
    )
    chart = hexmap.draw(
        layout,
        {"E0": Shown(10)},
        measure="<b>measure</b>",
        scale=hexmap.scale_from_breaks([0, 10]),
        url_for=lambda code: '/data/"onclick="x/',
    )
    rendered = render(chart, title="<i>title</i>")

    everything = "".join(rendered.values())
    assert "<script>" not in everything
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in everything
    assert '"onclick="' not in everything
    assert "<i>title</i>" not in everything
    assert "<b>measure</b>" not in everything


def test_only_odd_r_layouts_are_read():
    with pytest.raises(ValueError):
        hexmap.parse_layout({"layout": "odd-q", "hexes": {}})


@pytest.mark.parametrize(
    ("values", "breaks"),
    [
        ([10, 55], [10, 20, 30, 40, 50, 60]),
        ([10, 15], [10, 15]),
        ([10, 400], [10, 110, 210, 310, 410]),
        ([], [0, 10]),
        ([20], [20, 25]),
    ],
)
def test_count_scales_have_round_bands_from_the_smallest_count_to_the_largest(values, breaks):
    scale = hexmap.scale_for_counts(values)

    assert [band.low for band in scale.bands] + [scale.bands[-1].high] == breaks
    for value in values:
        assert any(band.holds(value) for band in scale.bands)


def test_a_scale_of_fewer_bands_spreads_its_colours_light_to_dark():
    scale = hexmap.scale_from_breaks([0, 50, 100])

    assert [band.colour for band in scale.bands] == [hexmap.PALETTE[0], hexmap.PALETTE[-1]]
    assert scale.colour_for(100) == hexmap.PALETTE[-1]
    assert scale.colour_for(49.9) == hexmap.PALETTE[0]
    with pytest.raises(ValueError):
        hexmap.scale_from_breaks([0, 10, 5])
