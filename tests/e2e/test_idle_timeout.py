"""A curator left idle is warned before being signed out (WCAG 2.2.1), can stay signed
in, and otherwise lands on the sign-in page. The timeout is shortened to seconds."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.helpers import sign_in
from tests.factories import create_council_a_curator

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_warning_comes_before_the_end_and_stay_signed_in_keeps_the_session(
    page, live_server, settings, assert_accessible
):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 14
    settings.STAFF_IDLE_WARNING_SECONDS = 10
    sign_in(page, live_server, create_council_a_curator())
    page.goto(live_server.url + reverse("catalogue:offer-list"))
    dialog = page.get_by_role("dialog", name="You are about to be signed out")

    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("we will sign you out in")
    # The countdown and what a screen reader hears, worded by the template.
    expect(page.locator("#idle-timeout-countdown")).to_have_text(re.compile(r"^\d+ seconds?$"))
    expect(page.locator("#idle-timeout-announcement")).to_have_text(
        re.compile(r"^We will sign you out in \d+ seconds?\.$")
    )
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_accessible(page)

    page.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()

    # Still signed in: the page works without going to sign in.
    expect(dialog).to_be_visible()
    page.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    page.reload()
    expect(page).to_have_url(re.compile(re.escape(reverse("catalogue:offer-list")) + "$"))


def test_doing_nothing_ends_on_the_sign_in_page_with_a_message(page, live_server, settings):
    settings.STAFF_IDLE_TIMEOUT_SECONDS = 8
    settings.STAFF_IDLE_WARNING_SECONDS = 6
    sign_in(page, live_server, create_council_a_curator())
    page.goto(live_server.url + reverse("catalogue:offer-list"))

    expect(page.get_by_role("dialog", name="You are about to be signed out")).to_be_visible()
    page.wait_for_url(re.compile(re.escape(reverse("accounts:sign-in"))), timeout=30_000)

    expect(page.get_by_text("had not done anything")).to_be_visible()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto(live_server.url + reverse("catalogue:offer-list"))
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:sign-in"))))
