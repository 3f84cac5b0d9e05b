import re

import pytest
from django.urls import reverse

from tests.e2e.helpers import sign_in

# The councils come from a data migration, which a transactional test's flush would
# empty for the tests after it; serialized_rollback puts them back.
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_home_page_loads_with_its_styles_and_scripts(live_server, page, assert_accessible):
    from playwright.sync_api import expect

    response = page.goto(live_server.url + reverse("core:home"))

    assert response.status == 200
    expect(page).to_have_title("Find support and opportunities for your business – Waymark")
    expect(page.locator(".govuk-generic-header")).to_contain_text("Waymark")
    # The stylesheet loaded: GOV.UK Frontend's font (Arial, not GDS Transport) on the
    # heading and the header's black background.
    stylesheets = page.evaluate("Array.from(document.styleSheets, (sheet) => sheet.href)")
    assert any(href and href.endswith("/static/build/app.css") for href in stylesheets)
    heading_font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert heading_font.lower().startswith("arial")
    header_background = page.evaluate(
        "getComputedStyle(document.querySelector('.govuk-generic-header')).backgroundColor"
    )
    assert header_background == "rgb(11, 12, 12)"
    # init.js ran and GOV.UK Frontend started its components.
    expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    expect(page.locator("[data-module='govuk-service-navigation']")).to_have_attribute(
        "data-govuk-service-navigation-init", ""
    )
    # htmx loaded from our static files and read its configuration.
    assert page.evaluate("htmx.config.includeIndicatorCSS") is False
    assert page.console_errors == []
    assert_accessible(page)


def test_skip_link_moves_to_the_main_content(live_server, page):
    page.goto(live_server.url + reverse("core:home"))

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    assert skip_link.evaluate("link => link === document.activeElement")
    skip_link.press("Enter")

    assert page.evaluate("document.activeElement.id") == "main-content"


@pytest.mark.parametrize("name", ["core:accessibility", "core:privacy", "core:cookies"])
def test_information_pages_are_accessible(live_server, page, assert_accessible, name):
    response = page.goto(live_server.url + reverse(name))

    assert response.status == 200
    assert page.console_errors == []
    assert_accessible(page)


def test_sign_in_page_loads(live_server, page, assert_accessible):
    from playwright.sync_api import expect

    response = page.goto(live_server.url + reverse("accounts:sign-in"))

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("input.govuk-input").first).to_be_visible()
    assert page.console_errors == []
    assert_accessible(page)


def test_unknown_address_gets_page_not_found(live_server, page, assert_accessible):
    from playwright.sync_api import expect

    response = page.goto(live_server.url + "/no-such-page/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator(".govuk-footer")).to_be_visible()
    # The only console error is the browser reporting the 404 itself.
    assert [error for error in page.console_errors if "404" not in error] == []
    assert_accessible(page)


def test_signed_in_user_can_sign_out_from_the_header(live_server, page, assert_accessible):
    from playwright.sync_api import expect

    from tests.factories import create_user

    sign_in(page, live_server, create_user(full_name="Ada Founder"))
    page.goto(live_server.url + reverse("core:home"))
    sign_out = page.get_by_role("button", name="Sign out")

    expect(page.get_by_role("link", name="Your account")).to_be_visible()
    # Styled as a link like its neighbours, not as a grey form button.
    assert sign_out.evaluate("button => getComputedStyle(button).backgroundColor") == (
        "rgba(0, 0, 0, 0)"
    )
    assert_accessible(page)
    sign_out.click()

    expect(page).to_have_url(live_server.url + reverse("core:home"))
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_htmx_requests_send_the_csrf_token_from_the_body(live_server, page):
    page.goto(live_server.url + reverse("core:home"))
    page.evaluate(
        """() => {
            const main = document.querySelector("main");
            main.insertAdjacentHTML(
                "beforeend",
                '<button type="button" id="probe" hx-post="/healthz" hx-swap="none">Probe</button>'
            );
            htmx.process(main);
        }"""
    )

    with page.expect_request("**/healthz") as request_info:
        page.locator("#probe").click()

    headers = request_info.value.headers
    assert headers["hx-request"] == "true"
    assert len(headers.get("x-csrftoken", "")) == 64
