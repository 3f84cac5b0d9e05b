"""Cumulative layout shift on the pages a founder meets first, on a phone and a desktop:
at most 0.1 (web.dev's "good"). The service navigation folds behind its "Menu" button on
a phone; laid out open until GOV.UK Frontend started, it moved every page by 110 px."""

import re

import pytest
from django.urls import reverse

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GOOD_CLS = 0.1
WIDTHS = (375, 1280)
PAGES = ("core:home", "catalogue:search", "procurement:list", "diagnostics:start")

# Installed before any of the page's own scripts: every shift from the first paint on.
RECORD_SHIFTS = """
window.waymarkShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.waymarkShifts.push(entry.value);
  }
}).observe({ type: "layout-shift", buffered: true });
"""

# The shifts so far, once two more frames have been laid out and painted (any shift
# from the last script's change is then recorded); the observer's pending records too.
TOTAL_SHIFT = """
() => new Promise((resolve) => {
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const pending = new PerformanceObserver(() => {});
    pending.observe({ type: "layout-shift", buffered: true });
    const seen = new Set(window.waymarkShifts);
    const late = pending.takeRecords().filter((e) => !e.hadRecentInput).map((e) => e.value);
    pending.disconnect();
    const all = [...window.waymarkShifts, ...late.filter((value) => !seen.has(value))];
    resolve(all.reduce((sum, value) => sum + value, 0));
  }));
})
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_do_not_shift_as_they_load(live_server, browser, width):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": width, "height": 800})
    context.add_init_script(RECORD_SHIFTS)
    page = context.new_page()
    shifts = {}
    for name in PAGES:
        page.goto(live_server.url + reverse(name), wait_until="load")
        # GOV.UK Frontend has started: the navigation is in its final layout.
        expect(page.locator("[data-module='govuk-service-navigation']")).to_have_attribute(
            "data-govuk-service-navigation-init", ""
        )
        shifts[name] = page.evaluate(TOTAL_SHIFT)
    context.close()

    assert all(value <= GOOD_CLS for value in shifts.values()), shifts


def test_the_folded_menu_opens_on_a_phone(live_server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(live_server.url + reverse("core:home"))
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find support")
    ).to_be_hidden()

    menu.click()

    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find support")
    ).to_be_visible()
    context.close()


def test_without_gov_uk_frontend_the_navigation_is_open_on_a_phone(live_server, browser):
    """If GOV.UK Frontend's module cannot load, init.js takes away the class that folds
    the navigation: the links show, as without JavaScript."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.route("**/govuk-frontend.min.js", lambda route: route.abort())
    page.goto(live_server.url + reverse("core:home"))

    expect(page.locator("body")).not_to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    expect(
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find support")
    ).to_be_visible()
    context.close()
