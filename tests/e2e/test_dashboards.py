"""An analyst at a council opens their council's dashboard, changes the period and the
size filter (htmx with JavaScript, "Apply filters" without), downloads a CSV, opens the
map and follows a hexagon; axe finds nothing serious on the way."""

import re
from pathlib import Path

import pytest

from tests.dashboards.test_map_page import GATESHEAD, add_completed
from tests.e2e.helpers import sign_in
from tests.factories import create_council_a_curator

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def walk(page, live_server, assert_accessible, *, javascript: bool):
    from playwright.sync_api import expect

    add_completed(GATESHEAD, 23)
    analyst = create_council_a_curator()  # any member of Gateshead's council organisation
    sign_in(page, live_server, analyst)

    page.goto(f"{live_server.url}/data/{GATESHEAD}/full/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard for Gateshead")
    page.wait_for_load_state("load")  # htmx has started
    assert_accessible(page)

    for name, value in (("period", "all"), ("size", "micro")):
        page.locator(f"select[name={name}]").select_option(value)
        if not javascript:
            page.get_by_role("button", name="Apply filters").click()
        expect(page).to_have_url(re.compile(rf"[?&]{name}={value}(&|$)"))
    expect(page.locator("select[name=period]")).to_have_value("all")
    expect(page.locator("#dashboard-results")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Download CSV")).first.click()
    assert download.value.suggested_filename.endswith(".csv")
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert "," in content.splitlines()[0]

    page.goto(f"{live_server.url}/data/map/")
    expect(page.get_by_role("table")).to_contain_text("Gateshead")
    assert_accessible(page)
    page.locator(f'polygon[data-gss-code="{GATESHEAD}"]').click()
    expect(page).to_have_url(f"{live_server.url}/data/{GATESHEAD}/")
    assert_accessible(page)


def test_an_analyst_uses_their_councils_dashboard(live_server, page, assert_accessible):
    walk(page, live_server, assert_accessible, javascript=True)
    assert page.console_errors == []


def test_the_same_without_javascript(live_server, page_without_javascript, assert_accessible):
    walk(page_without_javascript, live_server, assert_accessible, javascript=False)
