"""The council picker's autocomplete from the keyboard: the ARIA 1.2 combobox pattern.

For tests/e2e/ (uses its page fixtures); tests/e2e/test_council_picker.py covers
choosing with the mouse and without JavaScript. The picker is GOV.UK's
accessible-autocomplete: the arrow keys move the focus onto the options themselves, so
keys pressed there go to the page's focus (page.keyboard), not back to the combobox.
"""

import re

import pytest

from tests.e2e.helpers import announced, council_combobox

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_typing_then_arrow_and_enter_chooses_a_council(live_server, page):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/places/")
    combobox = council_combobox(page)
    expect(combobox).to_have_attribute("aria-expanded", "false")

    combobox.fill("gate")

    expect(combobox).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("option")).to_have_count(2)
    expect(announced(page, "2 results available")).to_have_count(1)
    combobox.press("ArrowDown")
    expect(combobox).to_have_attribute("aria-activedescendant", re.compile("__option--0$"))
    expect(page.get_by_role("option", selected=True)).to_contain_text("Gateshead")
    page.keyboard.press("Enter")
    expect(combobox).to_have_value("Gateshead")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(page.locator("select[name=council]")).to_have_value("E08000037")

    combobox.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/places/E08000037/")
    assert page.console_errors == []


def test_escape_closes_the_list_and_text_that_names_no_council_asks_again(live_server, page):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/places/")
    combobox = council_combobox(page)

    combobox.fill("nowhere at all")
    expect(announced(page, "No results found")).to_have_count(1)
    combobox.fill("card")
    expect(combobox).to_have_attribute("aria-expanded", "true")
    combobox.press("Escape")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    page.get_by_role("button", name="Continue").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the council where your business is"
    )
    expect(council_combobox(page)).to_have_attribute("aria-invalid", "true")


def test_picker_page_is_accessible_with_the_list_open(live_server, page, assert_accessible):
    page.goto(f"{live_server.url}/places/")
    combobox = council_combobox(page)
    combobox.fill("north")
    combobox.press("ArrowDown")

    assert_accessible(page)


def test_picker_page_with_an_error_is_accessible_without_javascript(
    live_server, page_without_javascript, assert_accessible
):
    from playwright.sync_api import expect

    page = page_without_javascript
    page.goto(f"{live_server.url}/places/")
    page.get_by_role("button", name="Continue").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select the council where your business is"
    )
    assert_accessible(page)


def test_picker_page_with_an_error_is_accessible_with_javascript(
    live_server, page, assert_accessible
):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/places/")
    page.get_by_role("button", name="Continue").click()

    expect(council_combobox(page)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
