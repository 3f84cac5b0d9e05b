"""Where is your business? The council picker with and without JavaScript."""

import re

import pytest

from tests.e2e.helpers import council_combobox

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GATESHEAD = "E08000037"


def test_picker_works_without_javascript(live_server, page_without_javascript):
    from playwright.sync_api import expect

    page = page_without_javascript
    page.goto(f"{live_server.url}/places/")

    page.locator("select[name=council]").select_option(GATESHEAD)
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(f"{live_server.url}/places/{GATESHEAD}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gateshead")


def test_picker_works_with_javascript(live_server, page):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/places/")
    combobox = council_combobox(page)

    combobox.fill("Gates")
    page.get_by_role("option", name=re.compile(r"^Gateshead")).click()
    expect(combobox).to_have_value("Gateshead")
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(f"{live_server.url}/places/{GATESHEAD}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gateshead")
    assert page.console_errors == []
