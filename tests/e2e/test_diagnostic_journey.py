"""A founder takes the whole diagnostic in a real browser, with JavaScript and without, and
reads the results; axe checks the pages on the way."""

import re

import pytest
from django.urls import reverse

# The councils come from a data migration, which a transactional test's flush would
# empty for the tests after it; serialized_rollback puts them back.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SECTIONS = 8


def choose_council(page, *, javascript: bool):
    if javascript:
        # The input the script builds, not the <select> it hides: after a click that
        # navigates, the select can be found before the deferred script has run.
        combobox = page.locator("input[role='combobox'][id='id_council']")
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


def assert_results(page):
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    radar = page.get_by_role("img", name=re.compile("Your scores in the 8 areas"))
    expect(radar).to_be_visible()
    expect(page.locator("svg.waymark-radar desc")).to_contain_text("Digital skills")
    table = page.get_by_role("table", name=re.compile("Your scores and the peer median"))
    expect(table.locator("tbody tr")).to_have_count(8)
    expect(page.locator("#weakest")).to_contain_text("Your weakest area")
    expect(page.get_by_role("heading", name="Your action plan")).to_be_visible()
    expect(page.locator(".waymark-results__dimension")).to_have_count(8)
    expect(page.get_by_text("Next steps").first).to_be_visible()
    # Nobody else has used Waymark in this test database.
    expect(page.get_by_text("Not enough businesses have used Waymark yet")).to_be_visible()


def test_founder_completes_the_diagnostic_with_javascript(live_server, page, assert_accessible):
    checked = []

    def check(current):
        assert_accessible(current)
        checked.append(current.url)

    take_the_whole_diagnostic(page, live_server, javascript=True, check=check)
    assert_results(page)
    assert_accessible(page)
    assert len(checked) == 3  # the profile, the first question page and check your answers
    assert page.console_errors == []


def test_founder_completes_the_diagnostic_without_javascript(live_server, page_without_javascript):
    page = page_without_javascript
    take_the_whole_diagnostic(page, live_server, javascript=False)
    assert_results(page)


def test_error_state_is_accessible(live_server, page, assert_accessible):
    from playwright.sync_api import expect

    start(page, live_server)
    answer_profile(page, javascript=True)
    expect(page).to_have_url(re.compile(r"/section/1/$"))
    page.get_by_role("button", name="Save and continue").click()  # nothing answered

    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error:")
    assert_accessible(page)
