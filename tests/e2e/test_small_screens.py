"""On a phone (375 px wide): the support and contracts lists show their results first,
with the filters folded behind a "Filter" button, with and without JavaScript; from
tablet width the filters are the left column. The diagnostic's results fit a phone,
their radar shown only where its labels can be read. axe checks each page at 375 and
1280 px."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from diagnostics import services
from diagnostics.access import SESSION_KEY
from tests.diagnostics.examples import TRADING_PUBLIC, best_answer
from tests.diagnostics.peer_data import answer_and_submit, complete_assessment, create_peers
from tests.e2e.test_catalogue_search import make_offers
from tests.e2e.test_contracts_search import make_opportunities
from tests.factories import get_council

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 800}

# Each list: its address, a filter (the label of one option), the count before and
# after choosing it, and a result that the filter leaves out.
LISTS = {
    "support": (
        "/support/",
        r"^Grant",
        "4 support offers found",
        "3 support offers found",
        "Mentoring for everyone",
    ),
    "contracts": (
        "/contracts/",
        r"^Within 14 days",
        "4 open opportunities found",
        "3 open opportunities found",
        "Regional data platform",
    ),
}


def make_list(name, live_server):
    if name == "support":
        make_offers(live_server)
    else:
        make_opportunities()


def open_page(browser, live_server, path, *, viewport, javascript):
    context = browser.new_context(viewport=viewport, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server.url + path)
    if javascript:
        from playwright.sync_api import expect

        # The script has made the link a button (or, at 1280 px, there is nothing to do
        # but it has still run).
        expect(page.locator("[data-module='waymark-filter-layout']")).to_have_attribute(
            "data-filter-toggle-init", ""
        )
    return page


def filter_button(page, javascript):
    return page.get_by_role("button" if javascript else "link", name="Filter", exact=True)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("name", LISTS)
def test_on_a_phone_results_come_first_and_the_filters_start_folded(
    live_server, browser, assert_accessible, name, javascript
):
    from playwright.sync_api import expect

    path, option, before, after, left_out = LISTS[name]
    make_list(name, live_server)
    page = open_page(browser, live_server, path, viewport=PHONE, javascript=javascript)
    results = page.locator("#search-results")
    filters = page.locator("#filters")

    expect(page.locator("#results-count")).to_have_text(before)
    expect(results.get_by_role("link").first).to_be_visible()
    # The filters follow the results in the page (a selector, as page.evaluate needs
    # JavaScript), and are folded: not shown, not read.
    expect(
        page.locator(".waymark-filter-layout__results:has(#search-results) + #filters")
    ).to_have_count(1)
    expect(filters).to_be_hidden()
    expect(page.get_by_label(re.compile(option))).to_be_hidden()
    assert 'heading "Filter"' not in page.locator("main").aria_snapshot()
    button = filter_button(page, javascript)
    expect(button).to_be_visible()
    if javascript:
        expect(button).to_have_attribute("aria-expanded", "false")
    # The button is above the results, which are above the (folded) filters.
    assert button.bounding_box()["y"] < results.bounding_box()["y"]
    if javascript:  # axe and scrollWidth need the page's JavaScript
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert_accessible(page)

    button.click()

    expect(filters).to_be_visible()
    if javascript:
        expect(button).to_have_attribute("aria-expanded", "true")
        expect(page.get_by_role("heading", name="Filter", exact=True)).to_be_focused()
    # Read in order: the results, then the filters' heading, then the filters.
    snapshot = page.locator("main").aria_snapshot()
    first_result = snapshot.index(f'- link "{results.get_by_role("link").first.inner_text()}"')
    assert first_result < snapshot.index('- heading "Filter"')
    assert snapshot.index('- heading "Filter"') < snapshot.index(
        "- checkbox" if name == "support" else "- radio"
    )
    assert results.bounding_box()["y"] < filters.bounding_box()["y"]
    if javascript:
        assert_accessible(page)

    page.get_by_label(re.compile(option)).check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page.locator("#results-count")).to_have_text(after)
    expect(results).not_to_contain_text(left_out)
    expect(page.get_by_label(re.compile(option))).to_be_hidden()
    expect(filters).to_be_hidden()
    button = filter_button(page, javascript)
    if javascript:
        # Folded again, and back at the button, beside the results.
        expect(button).to_have_attribute("aria-expanded", "false")
        expect(button).to_be_focused()
    else:
        expect(page).to_have_url(re.compile(r"(kind=grant|closing=14)"))
    # Open again, the filter is still chosen.
    button.click()
    expect(page.get_by_label(re.compile(option))).to_be_checked()
    page.context.close()


@pytest.mark.parametrize("name", LISTS)
def test_escape_folds_the_filters_and_returns_to_the_button(live_server, browser, name):
    from playwright.sync_api import expect

    path = LISTS[name][0]
    make_list(name, live_server)
    page = open_page(browser, live_server, path, viewport=PHONE, javascript=True)
    button = filter_button(page, javascript=True)
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#filters")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator("#filters :focus")).to_have_count(1)

    page.keyboard.press("Escape")

    expect(page.locator("#filters")).to_be_hidden()
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "false")
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_change_link_of_showing_for_unfolds_the_filters(live_server, browser, javascript):
    """ "Showing support for a business in Sunderland. Change" leads to the place filter,
    which on a phone is folded away: following it unfolds the filters."""
    from playwright.sync_api import expect

    make_list("support", live_server)
    page = open_page(
        browser, live_server, "/support/?place=E08000024", viewport=PHONE, javascript=javascript
    )
    page.goto(live_server.url + "/support/")  # opens filtered for the business, saying so
    expect(page.locator("#showing-for")).to_contain_text("in Sunderland")
    place = page.get_by_label("Where is your business?")
    expect(place).to_be_hidden()

    page.locator("#showing-for").get_by_role("link", name="Change the filters").click()

    expect(place).to_be_visible()
    expect(place).to_have_value("E08000024")
    expect(place).to_be_in_viewport()
    if javascript:
        expect(filter_button(page, javascript)).to_have_attribute("aria-expanded", "true")
    page.context.close()


def test_after_going_back_the_filter_button_still_folds_and_unfolds(live_server, browser):
    """htmx swaps the page in again from its history: the button is made again."""
    from playwright.sync_api import expect

    make_list("contracts", live_server)
    page = open_page(browser, live_server, "/contracts/", viewport=PHONE, javascript=True)
    filter_button(page, javascript=True).click()
    page.get_by_label(re.compile(r"^Within 14 days")).check()
    expect(page).to_have_url(re.compile(r"closing=14"))
    page.get_by_label(re.compile(r"^Within 30 days")).check()
    expect(page).to_have_url(re.compile(r"closing=30"))

    page.go_back()

    expect(page).to_have_url(re.compile(r"closing=14"))
    expect(page.locator("#results-count")).to_have_text("3 open opportunities found")
    button = filter_button(page, javascript=True)
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#filters")).to_be_hidden()
    button.click()
    expect(page.locator("#filters")).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
@pytest.mark.parametrize("name", LISTS)
def test_on_a_desktop_the_filters_are_the_left_column(
    live_server, browser, assert_accessible, name, javascript
):
    from playwright.sync_api import expect

    path, option, _before, after, _left_out = LISTS[name]
    make_list(name, live_server)
    page = open_page(browser, live_server, path, viewport=DESKTOP, javascript=javascript)
    filters = page.locator("#filters")
    results = page.locator("#search-results")

    expect(filters).to_be_visible()
    expect(filter_button(page, javascript)).to_be_hidden()
    assert filters.bounding_box()["x"] < results.bounding_box()["x"]
    if javascript:
        assert_accessible(page)

    page.get_by_label(re.compile(option)).check()
    if not javascript:
        page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results-count")).to_have_text(after)
    expect(filters).to_be_visible()
    page.context.close()


# The smallest size at which the radar's labels are shown: GOV.UK Frontend's smallest
# text is 16 px on a phone, 14 px from tablet width; 12 px is a floor below both.
SMALLEST_LABEL_PX = 12


def results_with_progress_and_peers():
    """A retaken assessment (so the page has its progress table too) among enough similar
    businesses for the peer medians (so the scores table has all four columns filled)."""
    council = get_council(gss_code=TRADING_PUBLIC["council"])
    first = complete_assessment(profile=TRADING_PUBLIC)
    create_peers(count=12, region=council.region, sic_section="J", size="small")
    return answer_and_submit(
        services.retake_assessment(assessment=first),
        profile=TRADING_PUBLIC,
        council=council,
        choose=best_answer,
        answers={"S1": "ideas"},
    )


def open_results(browser, live_server, assessment, *, width):
    """The results page in a browser whose session may open the assessment."""
    client = Client()
    session = client.session
    session[SESSION_KEY] = [str(assessment.public_id)]
    session.save()
    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(live_server.url + reverse("diagnostics:results", args=[assessment.public_id]))
    return page


@pytest.mark.parametrize("width", [375, 641, 1280])
def test_results_fit_the_screen_and_the_radar_shows_only_where_it_can_be_read(
    live_server, browser, assert_accessible, width
):
    from playwright.sync_api import expect

    page = open_results(browser, live_server, results_with_progress_and_peers(), width=width)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    chart = page.locator(".waymark-results__chart")
    score_list = page.locator(".waymark-results__score-list")
    score_table = page.get_by_role("table", name="Your scores and the peer median, out of 100")

    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    expect(page.get_by_role("table", name="Change in each area since last time")).to_be_visible()
    if width < 641:
        # Replaced by the list of the same scores, one area under another.
        expect(chart).to_be_hidden()
        expect(score_table).to_be_hidden()
        expect(score_list).to_be_visible()
        expect(score_list.locator(".govuk-summary-list__row")).to_have_count(8)
        expect(score_list).to_contain_text("Digital strategy and leadership")
        expect(score_list).to_contain_text("85 out of 100: Advanced")
        expect(score_list).to_contain_text("Peer median: 50")
    else:
        expect(chart).to_be_visible()
        expect(score_table).to_be_visible()
        expect(score_list).to_be_hidden()
        label_px = page.evaluate(
            """() => {
              const svg = document.querySelector(".waymark-radar");
              const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
              return Array.from(
                svg.querySelectorAll(".waymark-radar__labels text"),
                (label) => parseFloat(getComputedStyle(label).fontSize) * scale,
              );
            }"""
        )
        assert len(label_px) == 8
        assert min(label_px) >= SMALLEST_LABEL_PX, label_px
    assert_accessible(page)
    page.context.close()
