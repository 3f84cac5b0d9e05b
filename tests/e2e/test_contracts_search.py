"""A founder in Gateshead finds contracts closing within 14 days and opens one."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import create_opportunity, get_council, get_region

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GATESHEAD = "E08000037"


def make_opportunities():
    now = timezone.now()
    gateshead = get_council(gss_code=GATESHEAD)
    manchester = get_council(gss_code="E08000003")
    create_opportunity(
        title="Cloud hosting for Gateshead libraries",
        buyer_name="Gateshead Council",
        councils=[gateshead],
        cpv_codes=["72415000"],
        value_min=Decimal("20000"),
        value_max=Decimal("40000"),
        sme_suitable=True,
        deadline=now + timedelta(days=9),
    )
    create_opportunity(
        title="North East cyber security review",
        regions=[get_region(itl_code="TLC")],
        cpv_codes=["72800000"],
        deadline=now + timedelta(days=12),
    )
    create_opportunity(
        title="Regional data platform (closes later)",
        regions=[get_region(itl_code="TLC")],
        deadline=now + timedelta(days=25),
    )
    create_opportunity(
        title="Manchester website", councils=[manchester], deadline=now + timedelta(days=5)
    )


def test_founder_filters_by_closing_date_and_council_and_opens_one(live_server, page):
    from playwright.sync_api import expect

    make_opportunities()
    page.goto(f"{live_server.url}/contracts/")
    expect(page.get_by_role("status")).to_have_text("4 open opportunities found")

    page.get_by_label(re.compile(r"^Within 14 days")).check()
    expect(page.get_by_role("status")).to_have_text("3 open opportunities found")
    page.get_by_label("Where is your business?").select_option(GATESHEAD)
    expect(page.get_by_role("status")).to_have_text("2 open opportunities found")
    expect(page).to_have_url(re.compile(r"closing=14"))
    expect(page).to_have_url(re.compile(rf"council={GATESHEAD}"))
    results = page.locator("#search-results")
    expect(results).not_to_contain_text("Manchester website")
    expect(results).not_to_contain_text("Regional data platform")
    # The counts of the other options follow the filters.
    expect(page.locator("#count-closing-30")).to_have_text("(3)")

    link = results.get_by_role("link", name="Cloud hosting for Gateshead libraries")
    expect(link).to_be_visible()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cloud hosting for Gateshead libraries"
    )
    expect(page.get_by_text("£20,000 to £40,000")).to_be_visible()
    expect(page.get_by_text("Closes in 9 days")).to_be_visible()
    assert page.console_errors == []


def test_sort_link_keeps_the_filters_with_htmx(live_server, page):
    from playwright.sync_api import expect

    make_opportunities()
    page.goto(f"{live_server.url}/contracts/?council={GATESHEAD}")
    expect(page.get_by_role("status")).to_have_text("3 open opportunities found")
    page.get_by_role("link", name="Newest").click()
    expect(page).to_have_url(re.compile(r"sort=newest"))
    expect(page.locator("#sort-links strong")).to_have_text("Newest")
    # A filter chosen after sorting keeps the sort (the hidden field came with the results).
    page.get_by_label(re.compile(r"^Within 14 days")).check()
    expect(page.get_by_role("status")).to_have_text("2 open opportunities found")
    expect(page).to_have_url(re.compile(r"sort=newest"))
    assert page.console_errors == []


def test_filters_work_without_javascript(live_server, page_without_javascript):
    from playwright.sync_api import expect

    make_opportunities()
    page = page_without_javascript
    page.goto(f"{live_server.url}/contracts/")

    page.get_by_label(re.compile(r"^Within 14 days")).check()
    page.get_by_label("Where is your business?").select_option(GATESHEAD)
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(rf"council={GATESHEAD}"))
    expect(page).to_have_url(re.compile(r"closing=14"))
    expect(page.locator("#results-count")).to_have_text("2 open opportunities found")
    page.get_by_role("link", name="North East cyber security review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("North East cyber security review")


def test_list_and_detail_are_accessible(live_server, page, assert_accessible):
    from playwright.sync_api import expect

    make_opportunities()
    page.goto(f"{live_server.url}/contracts/")
    assert_accessible(page)

    page.get_by_label(re.compile(r"^Within 14 days")).check()
    expect(page.get_by_role("status")).to_have_text("3 open opportunities found")
    page.get_by_role("searchbox", name="Search").fill("cyber")
    expect(page.get_by_role("status")).to_have_text("1 open opportunity found")
    assert_accessible(page)

    page.goto(
        f"{live_server.url}/contracts/?closing=14&council={GATESHEAD}&division=72&sme=1"
        "&value=25k_100k&value_not_stated=1&stage=tender&buyer=public"
    )
    expect(page.get_by_role("status")).to_have_text("1 open opportunity found")
    assert_accessible(page)

    page.get_by_role("link", name="Cloud hosting for Gateshead libraries").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cloud hosting for Gateshead libraries"
    )
    assert_accessible(page)

    page.goto(f"{live_server.url}/contracts/?closing=nonsense&council=nowhere")
    assert_accessible(page)


def test_choosing_a_cpv_division_offers_its_groups(live_server, page):
    from playwright.sync_api import expect

    make_opportunities()
    page.goto(f"{live_server.url}/contracts/")
    page.get_by_text("What do you supply?").click()
    page.get_by_label(re.compile(r"^Construction work")).check()
    expect(page.get_by_role("status")).to_have_text("0 open opportunities found")
    page.get_by_label(re.compile(r"^IT services: consulting")).check()
    expect(page.get_by_role("status")).to_have_text("4 open opportunities found")
    expect(page).to_have_url(re.compile(r"division=45&division=72"))
    # The groups of the chosen division came with the results, counted.
    group = page.get_by_label(re.compile(r"^Computer audit and testing services"))
    expect(group).to_be_visible()
    expect(page.locator("#count-group-728")).to_have_text("(1)")
    group.check()
    expect(page.get_by_role("status")).to_have_text("1 open opportunity found")
    expect(page.locator("#search-results")).to_contain_text("North East cyber security review")
    assert page.console_errors == []
