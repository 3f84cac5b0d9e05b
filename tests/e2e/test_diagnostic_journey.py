"""A founder takes the whole diagnostic in a real browser, with JavaScript and without, and
reads the results; axe checks the pages on the way."""

import re

import pytest

from tests.e2e.helpers import answer_profile, start, take_the_whole_diagnostic

# The councils come from a data migration, which a transactional test's flush would
# empty for the tests after it; serialized_rollback puts them back.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def assert_results(page):
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    radar = page.get_by_role("img", name=re.compile("Your scores in the 8 areas"))
    expect(radar).to_be_visible()
    expect(page.locator("svg.waymark-radar desc")).to_contain_text("Digital skills")
    table = page.get_by_role("table", name=re.compile("Your scores and the peer median"))
    expect(table.locator("tbody tr")).to_have_count(8)
    expect(page.locator("#weakest")).to_contain_text("Your weakest area")
    expect(page.get_by_role("heading", name="Your action plan")).to_be_visible()
    expect(page.locator(".waymark-results__dimension")).to_have_count(8)
    expect(page.get_by_text("Next steps").first).to_be_visible()
    # Nobody else has used Waymark in this test database.
    expect(page.get_by_text("Not enough businesses have used Waymark yet")).to_be_visible()


def test_founder_completes_the_diagnostic_with_javascript(live_server, page, assert_accessible):
    checked = []

    def check(current):
        assert_accessible(current)
        checked.append(current.url)

    take_the_whole_diagnostic(page, live_server, javascript=True, check=check)
    assert_results(page)
    assert_accessible(page)
    assert len(checked) == 3  # the profile, the first question page and check your answers
    assert page.console_errors == []


def test_founder_completes_the_diagnostic_without_javascript(live_server, page_without_javascript):
    page = page_without_javascript
    take_the_whole_diagnostic(page, live_server, javascript=False)
    assert_results(page)


def test_error_state_is_accessible(live_server, page, assert_accessible):
    from playwright.sync_api import expect

    start(page, live_server)
    answer_profile(page, javascript=True)
    expect(page).to_have_url(re.compile(r"/section/1/$"))
    page.get_by_role("button", name="Save and continue").click()  # nothing answered

    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page)
