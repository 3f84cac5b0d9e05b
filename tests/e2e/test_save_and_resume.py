"""Save and come back later from a half-filled page on a phone: the link is on the address
in use, never runs off the screen, and copies with a button (or is there to copy without
JavaScript); opened in another browser it brings back the page as it was left."""

import re

import pytest
from django.urls import reverse

from tests.e2e.helpers import choose_council

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}


def leave_the_profile_half_filled(page, live_server, *, javascript: bool):
    from playwright.sync_api import expect

    page.goto(live_server.url + reverse("diagnostics:start"))
    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About your business")
    choose_council(page, javascript=javascript)
    page.locator("input[name='size'][value='micro']").check()
    page.get_by_role("button", name="Save and come back later").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers have been saved")
    expect(page.get_by_text("Some of your answers are not finished yet")).to_be_visible()


def resume_link(page, live_server) -> str:
    link = page.locator("#resume-link a").get_attribute("href")
    # No SITE_URL in the tests: the link is on the address the browser used.
    assert re.fullmatch(
        re.escape(live_server.url) + r"/diagnostic/[0-9a-f-]{36}/resume/[^/]+/", link
    ), link
    return link


def assert_nothing_overflows(page):
    widths = page.evaluate(
        """() => ({
            page: document.documentElement.scrollWidth,
            viewport: document.documentElement.clientWidth,
            link: document.querySelector('#resume-link').getBoundingClientRect().right,
        })"""
    )
    assert widths["page"] <= widths["viewport"], widths
    assert widths["link"] <= widths["viewport"], widths


def assert_profile_as_left(browser, link):
    """Another browser, another day: the link opens the profile with what was chosen."""
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False)
    try:
        later = context.new_page()
        later.goto(link)
        expect(later).to_have_url(re.compile(r"/profile/$"))
        expect(later.locator("select[name=council] option:checked")).to_have_text("Gateshead")
        expect(later.locator("input[name='size'][value='micro']")).to_be_checked()
        expect(later.locator(".govuk-error-summary")).to_have_count(0)
    finally:
        context.close()


def test_on_a_phone_the_link_fits_and_the_button_copies_it(
    live_server, browser, assert_accessible
):
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    try:
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        leave_the_profile_half_filled(page, live_server, javascript=True)
        link = resume_link(page, live_server)
        assert_nothing_overflows(page)

        button = page.get_by_role("button", name="Copy link")
        expect(button).to_be_visible()
        button.click()
        expect(page.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
        assert page.evaluate("() => navigator.clipboard.readText()") == link
        assert_nothing_overflows(page)
        assert_accessible(page)
        assert errors == []
    finally:
        context.close()
    assert_profile_as_left(browser, link)


def test_without_javascript_the_link_is_there_in_full_and_fits(live_server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        leave_the_profile_half_filled(page, live_server, javascript=False)
        link = resume_link(page, live_server)
        expect(page.locator("#resume-link")).to_have_text(link)
        expect(page.get_by_role("button", name="Copy link")).to_be_hidden()
        assert_nothing_overflows(page)
    finally:
        context.close()
    assert_profile_as_left(browser, link)
