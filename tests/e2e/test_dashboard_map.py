"""The council map in a browser: axe finds nothing serious, a pointer follows a
hexagon to the council's summary and the keyboard gets the table's links instead."""

import pytest

from tests.dashboards.test_map_page import GATESHEAD, add_completed

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def map_routed():
    add_completed(GATESHEAD, 23)


@pytest.mark.parametrize("width", [1280, 375])
def test_the_map_passes_axe_and_a_hexagon_leads_to_its_council(
    map_routed, live_server, page, assert_accessible, width
):
    from playwright.sync_api import expect

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/data/map/?measure=completed&period=12m")

    expect(page.get_by_role("table")).to_contain_text("Gateshead")
    assert_accessible(page)
    assert page.console_errors == []
    page.locator(f'polygon[data-gss-code="{GATESHEAD}"]').click()
    expect(page).to_have_url(f"{live_server.url}/data/{GATESHEAD}/")


def test_the_keyboard_reaches_the_table_links_not_the_hexagons(map_routed, live_server, page):
    page.goto(f"{live_server.url}/data/map/")

    tabbable_hexagons = page.locator("svg.waymark-hexmap a:not([tabindex='-1'])")
    assert tabbable_hexagons.count() == 0
    link = page.get_by_role("link", name="Gateshead", exact=True)
    assert link.get_attribute("href") == f"/data/{GATESHEAD}/"
