"""The joined-up journey, as a new founder walks it: from the home page to the check in
one click, through it, and from the results to support and contracts already filtered
for their business, never typing their council again. With JavaScript and without;
axe on every kind of page on the way, at 1280 and at 375 px wide."""

import re

import pytest

from tests.e2e.helpers import take_the_whole_diagnostic

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GATESHEAD = "E08000037"
WIDTHS = (1280, 375)


def accessible_at_every_width(assert_accessible):
    def check(page):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            assert_accessible(page)
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    return check


def walk(page, live_server, assert_accessible, *, javascript: bool):
    from playwright.sync_api import expect

    check = accessible_at_every_width(assert_accessible)

    page.goto(live_server.url + "/")
    check(page)
    page.get_by_role("button", name="Start the check").click()  # one click
    expect(page).to_have_url(f"{live_server.url}/diagnostic/")
    check(page)

    # The whole check (the profile says Gateshead, micro, growing, retail), and the
    # results; the helper checks the profile, a section and "Check your answers".
    take_the_whole_diagnostic(page, live_server, javascript=javascript, check=check)
    check(page)

    # On to support, filtered for the business: nothing typed again.
    page.get_by_role("link", name="Search all the support for a business like yours").click()
    expect(page).to_have_url(re.compile(rf"/support/\?place={GATESHEAD}&size=micro"))
    expect(page.locator("#showing-for")).to_contain_text(
        "Showing support for a micro business, growing,"
    )
    expect(page.locator("#showing-for")).to_contain_text("in Gateshead")
    expect(page.locator("select[name=place]")).to_have_value(GATESHEAD)
    check(page)

    # And the contracts: the list opens for the business's council and what it supplies.
    page.goto(live_server.url + "/contracts/")
    expect(page).to_have_url(re.compile(rf"/contracts/\?.*council={GATESHEAD}"))
    expect(page.locator("#showing-for")).to_contain_text("Showing contract opportunities for")
    check(page)

    # "See all" shows the whole list, without the line.
    page.get_by_role("link", name="See all contract opportunities").click()
    expect(page).to_have_url(re.compile(r"/contracts/\?all=1$"))
    expect(page.locator("#showing-for")).to_be_empty()


def test_a_founder_walks_from_home_to_filtered_support_and_contracts(
    live_server, page, assert_accessible
):
    walk(page, live_server, assert_accessible, javascript=True)
    assert page.console_errors == []


def test_the_same_walk_without_javascript(live_server, page_without_javascript, assert_accessible):
    walk(page_without_javascript, live_server, assert_accessible, javascript=False)
