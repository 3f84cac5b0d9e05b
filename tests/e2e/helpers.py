"""What several browser tests do the same way."""

import re

from django.conf import settings
from django.test import Client
from django.urls import reverse


def sign_in(page, live_server, user):
    """Sign ``user`` in to the browser page's context (a session made by the test
    client, its cookie handed to the browser), replacing any earlier session."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def announced(page, text):
    """The live region saying exactly ``text``. GOV.UK's accessible-autocomplete speaks
    through two that take turns (so a repeated message is heard again), and the CPV
    picker has one of its own: expect this to have a count of 1."""
    return page.get_by_role("status").filter(has_text=re.compile(rf"^{re.escape(text)}$"))


# The diagnostic, as a founder takes it (the diagnostic and matching journeys).

SECTIONS = 8


def council_combobox(page):
    """The council picker's text box: the input the script builds, not the <select> it
    hides. Both have the combobox role, and a locator that found the select before the
    deferred script ran would wait on it, hidden, for ever."""
    return page.locator("input[role='combobox'][id='id_council']")


def choose_council(page, *, javascript: bool):
    if javascript:
        combobox = council_combobox(page)
        combobox.fill("Gates")
        page.get_by_role("option", name=re.compile(r"^Gateshead")).click()
    else:
        page.locator("select[name=council]").select_option(label="Gateshead")


# What the business supplies (questionnaire 1.1.0), as "Check your answers" names it.
SUPPLIES = {
    True: "72200000 Software programming and consultancy services",
    False: "72000000 IT services: consulting, software development, Internet and support",
}


def choose_supplies(page, *, javascript: bool):
    if javascript:
        combobox = page.get_by_role("combobox", name="What do you supply? (optional)")
        combobox.fill("722")
        page.get_by_role("option", name=re.compile(r"^Software programming and consult")).click()
    else:
        page.locator("textarea[name=supplies]").fill("72")


def answer_profile(page, *, javascript: bool):
    choose_council(page, javascript=javascript)
    choose_supplies(page, javascript=javascript)
    for name, value in [
        ("size", "micro"),
        ("stage", "growing"),
        ("turnover", "under_50k"),
        ("role", "owner"),
        ("customer_types", "consumers"),
        ("plans", "bid_public_contracts"),
    ]:
        page.locator(f"input[name='{name}'][value='{value}']").check()
    page.locator("select[name=sic_section]").select_option("G")
    page.get_by_role("button", name="Save and continue").click()


def answer_section(page):
    """The first option of every radio group and every tick-list (so every question is
    answered, with a mix of low and high scores)."""
    seen = set()
    for control in page.locator("main input[type=radio], main input[type=checkbox]").all():
        name = control.get_attribute("name")
        if name in seen or name.endswith("-dont_know"):
            continue
        seen.add(name)
        control.check()
    page.get_by_role("button", name="Save and continue").click()


def start(page, live_server):
    page.goto(live_server.url + reverse("diagnostics:start"))
    page.get_by_role("button", name="Start now").click()


def take_the_whole_diagnostic(page, live_server, *, javascript: bool, check=None):
    from playwright.sync_api import expect

    start(page, live_server)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if check:
        check(page)  # the profile page, with the council and CPV pickers
    answer_profile(page, javascript=javascript)
    for number in range(1, SECTIONS + 1):
        expect(page).to_have_url(re.compile(rf"/section/{number}/$"))
        if check and number == 1:
            check(page)
        answer_section(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    expect(page.locator(".govuk-summary-list").first).to_contain_text(SUPPLIES[javascript])
    if check:
        check(page)
    page.get_by_role("button", name="Accept and see results").click()
    expect(page).to_have_url(re.compile(r"/results/$"))
