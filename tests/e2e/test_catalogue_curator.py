"""A curator adds support, sends it for review, a manager publishes it, founders find it."""

import re

import pytest
from django.urls import reverse

from tests.e2e.helpers import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_curator_creates_submits_and_manager_publishes_an_offer_founders_then_find(
    live_server, page, assert_accessible
):
    from playwright.sync_api import expect

    from tests.factories import create_council_a_curator, create_council_a_manager

    curator = create_council_a_curator()
    manager = create_council_a_manager()

    # The curator adds an offer from the queue.
    sign_in(page, live_server, curator)
    page.goto(live_server.url + reverse("core:home"))
    page.get_by_role("link", name="Curate support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Curate support")
    assert_accessible(page)
    page.get_by_role("button", name="Add support").click()

    page.get_by_label("Title", exact=True).fill("Quokkaware digital skills bootcamp")
    page.get_by_label("Summary", exact=True).fill(
        "Eight weeks of evening classes in digital skills."
    )
    page.get_by_label("Provider", exact=True).fill("Gateshead Skills Hub")
    page.get_by_label("Training course").check()
    page.get_by_label("Micro (0 to 9 staff)").check()
    page.get_by_label("Gateshead").check()
    page.get_by_label("Link to apply or find out more").fill("https://example.com/bootcamp")
    assert_accessible(page)
    page.get_by_role("button", name="Save as draft").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved as a draft")
    expect(page.locator("main .govuk-tag")).to_have_text("Draft")
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator("main .govuk-tag")).to_have_text("In review")
    # Editors do not publish.
    expect(page.get_by_role("button", name="Publish")).to_have_count(0)
    edit_url = page.url

    # A manager of the same council publishes it.
    sign_in(page, live_server, manager)
    page.goto(live_server.url + reverse("catalogue:curation-queue"))
    page.get_by_role("link", name="Quokkaware digital skills bootcamp").click()
    expect(page).to_have_url(edit_url)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("main .govuk-tag")).to_have_text("Published")
    assert page.console_errors == []

    # "View on the site" leads to the public page.
    page.get_by_role("link", name="View on the site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quokkaware digital skills bootcamp")

    # The manager finds it again in the list of published and archived offers.
    page.goto(live_server.url + reverse("catalogue:curation-queue"))
    page.get_by_role("link", name="Find a published or archived offer").click()
    page.get_by_label("Search").fill("quokkaware")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#results-count")).to_have_text("1 offer found")
    expect(
        page.get_by_role("link", name="Quokkaware digital skills bootcamp (edit)")
    ).to_have_attribute("href", edit_url.removeprefix(live_server.url))
    assert_accessible(page)
    # On a phone the table fits the screen.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)

    # Founders find it by a word of its title.
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("catalogue:search") + "?q=Quokkaware")
    expect(
        page.get_by_role("link", name=re.compile("Quokkaware digital skills bootcamp"))
    ).to_be_visible()


def test_region_filter_narrows_the_councils_and_keeps_earlier_choices(live_server, page):
    from playwright.sync_api import expect

    from tests.factories import create_moderator, create_offer

    offer = create_offer(title="Filtered places offer")  # listed in Gateshead
    sign_in(page, live_server, create_moderator())
    page.goto(live_server.url + reverse("catalogue:offer-edit", args=[offer.public_id]))
    expect(page.get_by_label("Gateshead")).to_be_checked()

    page.get_by_label("Show councils in").select_option(label="Wales")

    expect(page.get_by_label("Cardiff")).to_be_visible()
    expect(page.get_by_label("Gateshead")).to_have_count(0)
    page.get_by_label("Cardiff").check()
    page.get_by_role("button", name="Save changes").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    assert sorted(offer.councils.values_list("name", flat=True)) == ["Cardiff", "Gateshead"]
    assert page.console_errors == []


def test_region_filter_works_without_javascript(live_server, page_without_javascript):
    from playwright.sync_api import expect

    from tests.factories import create_moderator, create_offer

    page = page_without_javascript
    offer = create_offer(title="Filtered without JavaScript")
    sign_in(page, live_server, create_moderator())
    page.goto(live_server.url + reverse("catalogue:offer-edit", args=[offer.public_id]))

    page.get_by_label("Show councils in").select_option(label="Wales")
    page.get_by_role("button", name="Show councils").click()

    expect(page).to_have_url(re.compile(r"/places/\?region=TLL$"))
    expect(page.get_by_label("Cardiff")).to_be_visible()
    expect(page.get_by_label("Gateshead")).to_have_count(0)
