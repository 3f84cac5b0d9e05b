"""The CPV picker in a real browser: the autocomplete (GOV.UK's accessible-autocomplete)
from the keyboard and the mouse, the chosen list with its "Remove" buttons, and, without
JavaScript, the text box and the CPV search page.

The widget is shown here in a small form of this module's own (a CpvCodesField in a
GOV.UK form, on a page that loads the picker's script as any page using it must), so
the test depends on nothing but the widget; the posting form's journey is covered by
its own e2e test. The arrow keys move the focus onto the options themselves, so keys
pressed there go to the page's focus (page.keyboard), not back to the combobox.
"""

import re

import pytest
from django import forms
from django.http import HttpResponse
from django.template import engines
from django.test import override_settings
from django.urls import path, reverse

from portal.procurement.cpv import CpvCodesField
from portal.urls import urlpatterns as portal_urlpatterns
from tests.e2e.helpers import announced, sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PICKER_PATH = "/e2e/cpv-picker/"

PICKER_PAGE = """{% extends "base.html" %}
{% block page_title %}CPV picker{% endblock %}
{% block content %}
  {% include "includes/error_summary.html" with form=form %}
  <h1 class="govuk-heading-l">What is the contract for?</h1>
  {% if codes %}<p class="govuk-body" id="saved">Saved: {{ codes|join:", " }}</p>{% endif %}
  <form method="post" novalidate>
    {% csrf_token %}
    {{ form }}
    <button type="submit" class="govuk-button" data-module="govuk-button">Continue</button>
  </form>
{% endblock %}
{% block body_end %}
  {{ block.super }}
  {% include "includes/picker_script.html" %}
{% endblock %}
"""


class ContractForm(forms.Form):
    cpv_codes = CpvCodesField()


def picker_page(request):
    form = ContractForm(request.POST or None, initial={"cpv_codes": ["48000000"]})
    codes = form.cleaned_data["cpv_codes"] if form.is_bound and form.is_valid() else []
    template = engines["django"].from_string(PICKER_PAGE)
    return HttpResponse(template.render({"form": form, "codes": codes}, request))


urlpatterns = [path(PICKER_PATH.strip("/") + "/", picker_page), *portal_urlpatterns]

use_picker_page = override_settings(ROOT_URLCONF=__name__)


@use_picker_page
def test_words_then_arrow_keys_and_enter_add_a_code(live_server, page):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}{PICKER_PATH}")
    combobox = page.get_by_role("combobox", name="CPV codes")
    codes = page.locator("textarea[name=cpv_codes]")
    expect(codes).to_be_hidden()
    expect(codes).to_have_value("48000000")
    expect(page.get_by_role("list").filter(has_text="48000000")).to_contain_text(
        "Software package and information systems"
    )
    expect(combobox).to_have_attribute("aria-expanded", "false")

    combobox.fill("software development")

    expect(combobox).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("option")).to_have_count(20)
    expect(announced(page, "20 results available")).to_have_count(1)
    combobox.press("ArrowDown")
    expect(combobox).to_have_attribute("aria-activedescendant", re.compile("__option--0$"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("option", selected=True)).to_contain_text(
        "Custom software development services"
    )
    page.keyboard.press("Enter")

    expect(combobox).to_have_value("")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    expect(codes).to_have_value("48000000\n72230000")
    expect(announced(page, "72230000 added")).to_have_count(1)
    expect(page.get_by_role("button", name=re.compile("^Remove 72230000"))).to_be_visible()

    # A whole code typed in is added as it is, with its check digit dropped.
    combobox.fill("72212211-1")
    combobox.press("Enter")
    expect(codes).to_have_value("48000000\n72230000\n72212211")
    expect(page.get_by_text("72212211 Platform interconnectivity software")).to_be_visible()

    page.get_by_role("button", name="Continue").click()

    expect(page.locator("#saved")).to_have_text("Saved: 48000000, 72212211, 72230000")
    assert page.console_errors == []


@use_picker_page
def test_choosing_with_the_mouse_and_removing_a_code(live_server, page):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}{PICKER_PATH}")
    combobox = page.get_by_role("combobox", name="CPV codes")
    codes = page.locator("textarea[name=cpv_codes]")

    combobox.fill("722")
    page.get_by_role("option", name=re.compile(r"^Software programming and consultancy")).click()
    expect(codes).to_have_value("48000000\n72200000")
    expect(combobox).to_be_focused()

    # Choosing a code twice keeps it once.
    combobox.fill("72200000")
    expect(page.get_by_role("option")).to_have_count(1)
    combobox.press("Enter")
    expect(announced(page, "72200000 is already chosen")).to_have_count(1)
    expect(codes).to_have_value("48000000\n72200000")

    page.get_by_role("button", name=re.compile("^Remove 48000000")).click()

    expect(codes).to_have_value("72200000")
    expect(announced(page, "48000000 removed")).to_have_count(1)
    expect(page.get_by_role("button", name=re.compile("^Remove 72200000"))).to_be_focused()
    page.get_by_role("button", name=re.compile("^Remove 72200000")).press("Enter")
    expect(codes).to_have_value("")
    expect(combobox).to_be_focused()

    page.get_by_role("button", name="Continue").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter at least one CPV code, for example 72212000"
    )
    expect(page.get_by_role("combobox", name="CPV codes")).to_have_attribute(
        "aria-invalid", "true"
    )
    assert page.console_errors == []


@use_picker_page
def test_typing_on_while_a_typed_code_is_looked_up_keeps_the_new_search(live_server, page):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}{PICKER_PATH}")
    combobox = page.get_by_role("combobox", name="CPV codes")

    combobox.fill("72212000")
    combobox.press("Enter")
    combobox.fill("data")

    expect(page.locator("textarea[name=cpv_codes]")).to_have_value("48000000\n72212000")
    expect(
        page.get_by_text("72212000 Programming services of application software")
    ).to_be_visible()
    expect(combobox).to_have_value("data")
    expect(combobox).to_have_attribute("aria-expanded", "true")
    assert page.console_errors == []


@use_picker_page
def test_escape_closes_the_list_then_clears_the_search_and_words_never_send_the_form(
    live_server, page
):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}{PICKER_PATH}")
    combobox = page.get_by_role("combobox", name="CPV codes")

    combobox.fill("zzzz nothing")
    expect(announced(page, "No CPV codes found")).to_have_count(1)
    combobox.press("Enter")
    expect(page).to_have_url(f"{live_server.url}{PICKER_PATH}")
    expect(page.locator("#saved")).to_have_count(0)

    combobox.fill("network")
    expect(combobox).to_have_attribute("aria-expanded", "true")
    combobox.press("Escape")
    expect(combobox).to_have_attribute("aria-expanded", "false")
    combobox.press("Escape")
    expect(combobox).to_have_value("")
    assert page.console_errors == []


@use_picker_page
def test_a_form_sent_back_keeps_what_was_not_a_code_in_the_search_box(live_server, page):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}{PICKER_PATH}")
    # What a browser without the script would have sent.
    page.locator("textarea[name=cpv_codes]").evaluate(
        "(textarea) => { textarea.value = '72212000, 7221'; textarea.form.submit(); }"
    )

    expect(page.locator(".govuk-error-summary")).to_contain_text("“7221” is not a CPV code")
    combobox = page.get_by_role("combobox", name="CPV codes")
    expect(combobox).to_have_value("7221")
    expect(page.locator("textarea[name=cpv_codes]")).to_have_value("72212000")
    expect(page.get_by_role("button", name=re.compile("^Remove 72212000"))).to_be_visible()

    # Sent again as it is: what the search box still says is checked again.
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("“7221” is not a CPV code")

    page.get_by_role("combobox", name="CPV codes").fill("")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("#saved")).to_have_text("Saved: 72212000")


@use_picker_page
def test_without_javascript_codes_are_typed_in_and_looked_up_on_the_search_page(
    live_server, page_without_javascript
):
    from playwright.sync_api import expect

    page = page_without_javascript
    page.goto(f"{live_server.url}{PICKER_PATH}")
    codes = page.get_by_label("CPV codes")

    with page.expect_popup() as popup:
        page.get_by_role("link", name="Find CPV codes (opens in new tab)").click()
    search = popup.value
    search.get_by_label("Words or the first digits of a code").fill("helpdesk")
    search.get_by_role("button", name="Search").click()
    expect(search.locator("#cpv-results-count")).to_have_text("2 CPV codes match ‘helpdesk’")
    expect(search.get_by_role("row", name=re.compile("72253100"))).to_contain_text(
        "Helpdesk services"
    )

    codes.fill("48000000\n72253100-4")
    page.get_by_role("button", name="Continue").click()

    expect(page.locator("#saved")).to_have_text("Saved: 48000000, 72253100")


def test_search_page_pages_through_a_division_without_javascript(
    live_server, page_without_javascript
):
    from playwright.sync_api import expect

    page = page_without_javascript
    page.goto(f"{live_server.url}/contracts/cpv/")
    page.get_by_role("link", name="72000000 codes").click()

    expect(page.locator("#cpv-results-count")).to_contain_text("CPV codes match ‘72’")
    expect(page.locator("tbody tr")).to_have_count(50)
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"\?q=72&page=2$"))
    expect(page.locator("tbody tr").first).to_be_visible()


@use_picker_page
def test_picker_and_search_page_are_accessible(live_server, page, assert_accessible):
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}{PICKER_PATH}")
    combobox = page.get_by_role("combobox", name="CPV codes")
    combobox.fill("data")
    expect(combobox).to_have_attribute("aria-expanded", "true")
    combobox.press("ArrowDown")
    assert_accessible(page)

    page.goto(f"{live_server.url}/contracts/cpv/?q=software")
    assert_accessible(page)


@use_picker_page
@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_picker_with_an_error_is_accessible(live_server, request, assert_accessible, javascript):
    from playwright.sync_api import expect

    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    page.goto(f"{live_server.url}{PICKER_PATH}")
    if javascript:
        combobox = page.get_by_role("combobox", name="CPV codes")
        combobox.fill("7221")
        expect(combobox).to_have_attribute("aria-expanded", "true")
        combobox.press("Escape")
    else:
        page.get_by_label("CPV codes").fill("48000000 7221")
    page.get_by_role("button", name="Continue").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("“7221” is not a CPV code")
    assert_accessible(page)


def test_the_posting_form_and_a_lot_added_by_htmx_get_pickers(live_server, page):
    """The real posting form: its CPV codes and, once "Add a lot" has swapped the lots
    in, the lot's own CPV codes are both autocompletes."""
    from playwright.sync_api import expect

    from tests.factories import create_cluster_body_poster

    sign_in(page, live_server, create_cluster_body_poster())
    page.goto(live_server.url + reverse("procurement:opportunity-create"))
    combobox = page.get_by_role("combobox", name="CPV codes", exact=True)
    combobox.fill("cloud")
    combobox.fill("software development")
    page.get_by_role("option", name=re.compile(r"^Custom software development services")).click()
    expect(page.locator("textarea[name=cpv_codes]")).to_have_value("72230000")

    page.get_by_role("button", name="Add a lot").click()

    lot_combobox = page.get_by_role("combobox", name="Lot CPV codes (optional)")
    expect(lot_combobox).to_be_visible()
    lot_combobox.fill("helpdesk")
    page.get_by_role("option", name=re.compile(r"^Helpdesk services")).click()
    expect(page.locator("textarea[name='lots-0-cpv_codes']")).to_have_value("72253100")
    expect(page.locator("textarea[name=cpv_codes]")).to_have_value("72230000")
    assert page.console_errors == []
