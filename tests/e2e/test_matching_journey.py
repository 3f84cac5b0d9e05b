"""After the diagnostic a founder reads what to do next, opens "Recommended for you",
marks one suggestion useful and follows another to the provider; with JavaScript and
without, axe checking the pages on the way."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from portal.catalogue.models import Referral
from portal.matching import candidates
from portal.matching.models import Feedback
from tests.e2e.helpers import take_the_whole_diagnostic
from tests.factories import create_offer, create_opportunity, get_council

# The councils come from a data migration, which a transactional test's flush would
# empty for the tests after it; serialized_rollback puts them back.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GATESHEAD = "E08000037"
# One offer for each dimension, so whichever area the answers leave weakest has one.
OFFERS = {
    "strategy": ("Digital strategy clinic", "advice_and_mentoring"),
    "skills": ("Essential digital skills course", "training_course"),
    "adoption": ("Cloud software voucher", "voucher"),
    "data": ("Data basics workshop", "training_course"),
    "cyber": ("Cyber Essentials support", "advice_and_mentoring"),
    "innovation": ("Innovation grant", "grant"),
    "finance": ("Investment readiness programme", "accelerator"),
    "trade": ("Bid writing for public contracts", "training_course"),
}
OPPORTUNITY = "Laptops for Gateshead libraries"
FILTERED = re.compile(r"/recommended/\?kind=training_course$")


@pytest.fixture(autouse=True)
def _fresh_candidates():
    """The live server runs in this process: rank what this test's database holds, and
    leave nothing kept for the tests after it."""
    candidates.forget()
    yield
    candidates.forget()


def make_support(live_server):
    gateshead = get_council(gss_code=GATESHEAD)
    for dimension, (title, kind) in OFFERS.items():
        create_offer(
            title=title,
            kind=kind,
            dimensions=[dimension],
            status="published",
            uk_wide=True,
            # A real page of ours (no internet here), as in test_catalogue_search.
            application_url=f"{live_server.url}/accessibility/",
        )
    # Computer equipment (CPV division 30): what retailers (SIC section G) often supply.
    create_opportunity(title=OPPORTUNITY, councils=[gateshead], cpv_codes=["30213100"])


def recommendations(container):
    return container.locator("li.waymark-recommendation")


def see_what_to_do_next(page):
    """The results page's panel: suggestions, each with its reasons."""
    from playwright.sync_api import expect

    panel = page.get_by_role("region", name="What to do next")
    expect(panel).to_be_visible()
    offers = recommendations(panel).filter(has=page.get_by_role("link", name=re.compile("^Go to")))
    expect(offers).to_have_count(5)  # PANEL_OFFERS of the 8
    expect(offers.first.locator("ul li").first).to_be_visible()
    expect(panel).to_contain_text("Open to micro businesses across the UK")
    expect(panel).to_contain_text(re.compile(r"Builds your weakest area: .+ \(\d+ of 100\)"))
    expect(panel.get_by_role("heading", name="Contract opportunities for you")).to_be_visible()
    expect(panel.get_by_role("link", name=OPPORTUNITY)).to_be_visible()


def offers_found(page):
    # A heading with role status, so that a screen reader hears the new count when
    # htmx swaps the results in.
    return page.get_by_role("status").filter(has_text="fit your business")


def offer_list(page):
    return recommendations(page.locator("ol.waymark-recommendations").first)


def open_recommended(page):
    from playwright.sync_api import expect

    page.get_by_role("link", name="See all the support and contracts recommended for you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommended for you")
    # Every script has run (htmx is deferred), so its controls are live.
    page.wait_for_load_state("load")
    expect(offers_found(page)).to_have_text("8 offers fit your business")
    expect(page.get_by_text("Based on your business profile and the diagnostic")).to_be_visible()
    expect(offer_list(page)).to_have_count(8)
    expect(page.get_by_role("link", name=OPPORTUNITY)).to_be_visible()


def filter_to_training_courses(page, *, javascript: bool):
    """With JavaScript, ticking the box swaps the results (and the address); without,
    "Apply filters" sends the form."""
    from playwright.sync_api import expect

    page.get_by_label("Training course").check()
    if not javascript:
        page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(FILTERED)
    expect(offers_found(page)).to_have_text("3 offers fit your business")
    expect(offer_list(page)).to_have_count(3)
    expect(page.get_by_label("Training course")).to_be_checked()


def named(action: str, title: str):
    """A control's accessible name: its visible text, then the offer's title in a visually
    hidden span (Chromium puts a space before the span's colon)."""
    return re.compile(rf"^{re.escape(action)}\s*:\s*{re.escape(title)}$")


def offer_item(page, rank: int):
    """The offer at ``rank`` (1 = first) on "Recommended for you", and its title."""
    item = offer_list(page).nth(rank - 1)
    return item, item.get_by_role("heading", level=3).inner_text().strip()


def mark_useful(page, *, javascript: bool):
    """Marks the first offer "Useful": htmx swaps in a thank-you in place; without
    JavaScript the form posts and the same filtered list comes back with a banner."""
    from playwright.sync_api import expect

    item, title = offer_item(page, 1)
    reasons = item.locator("input[name=reasons]").get_attribute("value")
    item.get_by_role("button", name=named("Useful", title)).click()
    thanks = "Thank you: your feedback helps us improve these suggestions."
    if javascript:
        expect(item.get_by_role("status")).to_have_text(thanks)
        expect(item.get_by_role("button", name=re.compile("Useful"))).to_have_count(0)
    else:
        expect(page.get_by_role("alert")).to_contain_text(thanks)
        # The list is back, ready for the next mark.
        expect(page.get_by_role("button", name=named("Useful", title))).to_be_visible()

    mark = Feedback.objects.get()
    assert mark.useful is True
    assert mark.rank == 1
    assert (mark.offer.title, mark.offer.kind) == (title, "training_course")
    assert mark.from_profile_only is False
    assert "eligible" in mark.reason_codes
    assert mark.reason_codes == reasons.split(",")


def follow_an_offer(page, live_server, *, rank: int = 2):
    """The provider's link of the offer at ``rank``: the referral records the place it
    had and the reasons shown."""
    from playwright.sync_api import expect

    item, title = offer_item(page, rank)
    link = item.get_by_role("link", name=named("Go to the provider's website", title))
    shown = parse_qs(urlsplit(link.get_attribute("href")).query)
    link.click()
    expect(page).to_have_url(f"{live_server.url}/accessibility/")

    referral = Referral.objects.select_related("offer").get()
    assert referral.offer.title == title
    assert referral.rank == rank
    assert referral.source_page == "/recommended/"
    assert "eligible" in referral.reason_codes
    assert referral.reason_codes == shown["reasons"][0].split(",")
    assert referral.session_hash  # a session, kept only as a hash


def sign_up_for_match_alerts(page, *, email: str = "founder@example.com"):
    """Asks for "Email me new matches" on "Recommended for you", then "Check your email"."""
    from playwright.sync_api import expect

    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Email me new matches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert any(email in message.to for message in mail.outbox)


def founder_journey(page, live_server, assert_accessible, *, javascript: bool):
    from playwright.sync_api import expect

    make_support(live_server)
    take_the_whole_diagnostic(page, live_server, javascript=javascript)
    see_what_to_do_next(page)
    assert_accessible(page)

    open_recommended(page)
    assert_accessible(page)
    filter_to_training_courses(page, javascript=javascript)
    mark_useful(page, javascript=javascript)
    expect(page).to_have_url(FILTERED)  # the swap, or the redirect back, kept the filter
    assert_accessible(page)  # with the thank-you (JavaScript) or the banner (without)
    sign_up_for_match_alerts(page)
    assert_accessible(page)
    page.goto(live_server.url + reverse("matching:recommended") + "?kind=training_course")
    expect(offer_list(page)).to_have_count(3)
    follow_an_offer(page, live_server)


def test_founder_gets_recommendations_marks_one_and_follows_one_with_javascript(
    live_server, page, assert_accessible
):
    founder_journey(page, live_server, assert_accessible, javascript=True)
    assert page.console_errors == []


def test_founder_gets_recommendations_marks_one_and_follows_one_without_javascript(
    live_server, page_without_javascript, assert_accessible
):
    founder_journey(page_without_javascript, live_server, assert_accessible, javascript=False)
