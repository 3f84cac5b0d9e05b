"""A founder finds "grants for micro businesses in Sunderland" and follows one."""

import re

import pytest

from portal.catalogue.models import Referral
from tests.catalogue.search_data import create_listed_offer
from tests.factories import get_council

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUNDERLAND = "E08000024"


def make_offers(live_server):
    sunderland = get_council(gss_code=SUNDERLAND)
    manchester = get_council(gss_code="E08000003")
    create_listed_offer(
        title="Sunderland micro grant",
        kind="grant",
        sizes=["micro"],
        councils=[sunderland],
        # A real page of ours (no internet here); a bare response like /healthz would
        # make Chromium ask for /favicon.ico and log its 404 as a console error.
        application_url=f"{live_server.url}/accessibility/",
    )
    create_listed_offer(title="Manchester micro grant", kind="grant", councils=[manchester])
    create_listed_offer(title="Large firm grant", kind="grant", sizes=["large"])
    create_listed_offer(title="Mentoring for everyone", kind="advice_and_mentoring")


def test_founder_filters_opens_an_offer_and_follows_its_link(live_server, page):
    from playwright.sync_api import expect

    make_offers(live_server)
    page.goto(f"{live_server.url}/support/")
    expect(page.get_by_role("status")).to_have_text("4 support offers found")

    page.get_by_label(re.compile(r"^Grant")).check()
    expect(page.get_by_role("status")).to_have_text("3 support offers found")
    page.get_by_label(re.compile(r"^Micro")).check()
    page.get_by_label("Where is your business?").select_option(SUNDERLAND)
    expect(page.get_by_role("status")).to_have_text("1 support offer found")
    expect(page).to_have_url(re.compile(r"kind=grant"))
    expect(page).to_have_url(re.compile(rf"place={SUNDERLAND}"))
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name="Sunderland micro grant")).to_be_visible()
    expect(results).not_to_contain_text("Manchester micro grant")

    results.get_by_role("link", name="Sunderland micro grant").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sunderland micro grant")
    expect(page.get_by_text("Yes: open to micro businesses in Sunderland")).to_be_visible()

    page.get_by_role("link", name=re.compile("Apply or find out more")).click()
    expect(page).to_have_url(f"{live_server.url}/accessibility/")
    referral = Referral.objects.get()
    assert referral.offer.title == "Sunderland micro grant"
    assert re.fullmatch(r"/support/[\w-]+/", referral.source_page)
    assert page.console_errors == []


def test_filters_work_without_javascript(live_server, page_without_javascript):
    from playwright.sync_api import expect

    make_offers(live_server)
    page = page_without_javascript
    page.goto(f"{live_server.url}/support/")

    page.get_by_label(re.compile(r"^Grant")).check()
    page.get_by_label("Where is your business?").select_option(SUNDERLAND)
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(rf"place={SUNDERLAND}"))
    expect(page.locator("#results-count")).to_have_text("2 support offers found")


def test_search_page_is_accessible_with_and_without_filters(live_server, page, assert_accessible):
    from playwright.sync_api import expect

    make_offers(live_server)
    page.goto(f"{live_server.url}/support/")
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Grant")).check()
    expect(page.get_by_role("status")).to_have_text("3 support offers found")
    page.get_by_role("searchbox", name="Search").fill("micro")
    expect(page.get_by_role("status")).to_have_text("2 support offers found")
    assert_accessible(page)

    page.goto(f"{live_server.url}/support/?kind=grant&size=micro&place={SUNDERLAND}&open=1")
    assert_accessible(page)


def make_export_offers():
    # build_offer publishes each a day before the one made before it: newest first here.
    create_listed_offer(title="Trade fair stands", description="With export advice too.")
    create_listed_offer(title="Export Academy", summary="Courses on exporting.")


def test_words_sort_by_relevance_unless_an_order_is_chosen(live_server, page):
    from playwright.sync_api import expect

    make_export_offers()
    page.goto(f"{live_server.url}/support/")
    sort = page.get_by_label("Sort by")
    results = page.locator("#search-results h3")
    expect(sort.locator("option:checked")).to_have_text("Newest")

    page.get_by_role("searchbox", name="Search").fill("export")
    expect(page.get_by_role("status")).to_have_text("2 support offers found")
    expect(sort.locator("option:checked")).to_have_text("Most relevant")
    expect(results).to_have_text(["Export Academy", "Trade fair stands"])

    sort.focus()
    sort.select_option(label="Newest")
    expect(results).to_have_text(["Trade fair stands", "Export Academy"])
    expect(page).to_have_url(re.compile(r"sort=newest"))
    expect(sort).to_be_focused()  # the sort came back with the results, focus and all
    page.get_by_role("searchbox", name="Search").fill("exporting")
    expect(page).to_have_url(re.compile(r"q=exporting"))
    expect(sort.locator("option:checked")).to_have_text("Newest")
    expect(results).to_have_text(["Trade fair stands", "Export Academy"])
    assert page.console_errors == []


def test_words_sort_by_relevance_without_javascript(live_server, page_without_javascript):
    from playwright.sync_api import expect

    make_export_offers()
    page = page_without_javascript
    page.goto(f"{live_server.url}/support/")
    page.get_by_role("searchbox", name="Search").fill("export")
    page.get_by_role("button", name="Apply filters").click()

    expect(page.get_by_label("Sort by").locator("option:checked")).to_have_text("Most relevant")
    results = page.locator("#search-results h3")
    expect(results).to_have_text(["Export Academy", "Trade fair stands"])
