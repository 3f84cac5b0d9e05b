"""A founder asks for match alerts from "Recommended for you", with JavaScript and
without: the form, its error state, "Check your email" and the confirmation page pass
axe, and the emailed link's Confirm button sets the alert up."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import create_offer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROFILE = "council=E08000037&size=micro&stage=growing&sic_section=J"


def ask_for_match_alerts(page, live_server, *, check=None):
    from playwright.sync_api import expect

    create_offer(title="Data basics", dimensions=["data"], status="published", uk_wide=True)
    page.goto(f"{live_server.url}{reverse('matching:recommended')}?{PROFILE}")
    expect(page.get_by_role("heading", name="Get new matches by email")).to_be_visible()
    if check:
        check(page)
    page.get_by_role("button", name="Email me new matches").click()
    # Without an address: the error summary, on the alert's own page.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your email address")
    if check:
        check(page)
    page.get_by_label("Email address").fill("founder@example.com")
    page.get_by_role("button", name="Email me new matches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    if check:
        check(page)
    [message] = mail.outbox
    confirm = next(link for link in re.findall(r"http://\S+", message.body) if "/confirm/" in link)
    # The link is on SITE_URL; the test's server is elsewhere.
    page.goto(live_server.url + urlsplit(confirm).path)
    # Opening the link asks; the button confirms.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email alert")
    if check:
        check(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your match alert is set up")


def test_founder_asks_for_match_alerts_with_javascript(live_server, page, assert_accessible):
    ask_for_match_alerts(page, live_server, check=assert_accessible)


def test_founder_asks_for_match_alerts_without_javascript(live_server, page_without_javascript):
    ask_for_match_alerts(page_without_javascript, live_server)
