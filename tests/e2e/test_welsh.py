"""Cymraeg in a real browser: a founder takes the whole diagnostic at /cy/diagnostic/ and
reads the results and the recommendations in Welsh (html lang="cy"), axe checking the
pages on the way; the language switcher works, and is remembered, with JavaScript off.

The steps find buttons and links by what they are, not by their words; the test asserts
the Welsh of the start button and the headings, and that the results and recommendations
show none of the English of their headings, dimensions and buttons.
"""

import re

import pytest

from tests.e2e.helpers import SECTIONS, council_combobox

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SWITCHER = "nav.waymark-language-select"
# English a Welsh results or recommendations page must not show: the dimensions'
# names (but "Data", Welsh too), the questionnaire's levels and the pages' own words.
ENGLISH = (
    "Digital strategy and leadership",
    "Digital skills",
    "Digital adoption",
    "Cyber security and infrastructure",
    "Research and innovation",
    "Finance and investment readiness",
    "Trade, markets and procurement readiness",
    "Your results",
    "Recommended for you",
    "Why this",
    "Continue",
)


def expect_no_english(page):
    text = page.locator("main").inner_text()
    assert not [words for words in ENGLISH if words in text], text[:400]


def expect_welsh(page):
    from playwright.sync_api import expect

    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page).to_have_url(re.compile(r"^http://[^/]+/cy/"))


def save_and_continue(page):
    # The flow's main button (the other, secondary, saves and leaves).
    page.locator("main button.govuk-button[type=submit]:not(.govuk-button--secondary)").click()


def answer_profile(page):
    combobox = council_combobox(page)
    combobox.fill("Gates")
    page.get_by_role("option", name=re.compile(r"^Gateshead")).click()
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
    save_and_continue(page)


def answer_section(page):
    seen = set()
    for control in page.locator("main input[type=radio], main input[type=checkbox]").all():
        name = control.get_attribute("name")
        if name in seen or name.endswith("-dont_know"):
            continue
        seen.add(name)
        control.check()
    save_and_continue(page)


def test_a_founder_takes_the_diagnostic_in_welsh(live_server, page, assert_accessible):
    from playwright.sync_api import expect

    page.goto(live_server.url + "/cy/diagnostic/")
    expect_welsh(page)
    start = page.locator("main form button.govuk-button--start")
    expect(start).to_contain_text("Dechrau nawr")
    assert_accessible(page)
    start.click()

    expect(page).to_have_url(re.compile(r"/cy/diagnostic/[0-9a-f-]+/profile/$"))
    expect_welsh(page)
    expect(council_combobox(page)).to_be_visible()
    assert_accessible(page)
    answer_profile(page)
    for number in range(1, SECTIONS + 1):
        expect(page).to_have_url(re.compile(rf"/cy/diagnostic/[0-9a-f-]+/section/{number}/$"))
        if number == 1:
            expect_welsh(page)
            assert_accessible(page)
        answer_section(page)

    expect(page).to_have_url(re.compile(r"/cy/diagnostic/[0-9a-f-]+/check/$"))
    expect_welsh(page)
    assert_accessible(page)
    page.locator("main form button.govuk-button[type=submit]").last.click()

    expect(page).to_have_url(re.compile(r"/cy/diagnostic/[0-9a-f-]+/results/$"))
    expect_welsh(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Eich canlyniadau")
    expect(page).to_have_title(re.compile(r"^Eich canlyniadau aeddfedrwydd digidol"))
    expect(page.locator(".waymark-results__dimension")).to_have_count(8)
    expect_no_english(page)
    expect(page.locator(f"{SWITCHER} [aria-current=true]")).to_have_text("Cymraeg")
    assert_accessible(page)

    page.locator("main a[href='/cy/recommended/']").first.click()
    expect(page).to_have_url(re.compile(r"/cy/recommended/$"))
    expect_welsh(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Wedi’u hargymell i chi")
    expect_no_english(page)
    assert_accessible(page)
    assert page.console_errors == []


def test_the_switcher_works_and_is_remembered_without_javascript(
    live_server, page_without_javascript, assert_accessible
):
    from playwright.sync_api import expect

    page = page_without_javascript
    page.goto(live_server.url + "/support/?q=grant")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    switcher = page.get_by_role("navigation", name="Language switcher")
    expect(switcher.locator("[aria-current=true]")).to_have_text("English")
    welsh = switcher.locator("a[hreflang=cy]")
    expect(welsh).to_have_attribute("lang", "cy")
    assert_accessible(page)

    welsh.click()
    expect(page).to_have_url(live_server.url + "/cy/support/?q=grant")
    expect_welsh(page)
    switcher = page.get_by_role("navigation", name="Dewis iaith")
    expect(switcher.locator("[aria-current=true]")).to_have_text("Cymraeg")
    expect(page.locator("link[rel=alternate][hreflang=en-gb]")).to_have_attribute(
        "href", re.compile(r"/support/\?q=grant$")
    )
    assert_accessible(page)

    # Remembered: the English address of another page opens its Welsh twin.
    page.goto(live_server.url + "/contracts/")
    expect(page).to_have_url(live_server.url + "/cy/contracts/")
    expect_welsh(page)

    page.get_by_role("navigation", name="Dewis iaith").locator("a[hreflang=en-gb]").click()
    expect(page).to_have_url(live_server.url + "/contracts/")
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    page.goto(live_server.url + "/support/")
    expect(page).to_have_url(live_server.url + "/support/")
    assert page.console_errors == []
