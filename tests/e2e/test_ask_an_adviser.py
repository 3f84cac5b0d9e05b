"""A founder asks their council's business support team for help from the results page:
refused without consent, then sent; the confirmation page, the confirmation email and
the signed link it carries. With JavaScript and without; axe on every page on the way."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from diagnostics.emails import resume_path
from portal.advice.models import AdviceRequest
from portal.matching import candidates
from tests.advice.factories import create_advice_team
from tests.diagnostics.examples import TRADING_PUBLIC
from tests.diagnostics.peer_data import complete_assessment
from tests.factories import create_offer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GATESHEAD = "E08000037"
TEAM_EMAIL = "business@gateshead.example"


@pytest.fixture(autouse=True)
def _fresh_candidates():
    """The live server runs in this process: rank what this test's database holds."""
    candidates.forget()
    yield
    candidates.forget()


def make_world():
    create_advice_team(team_email=TEAM_EMAIL)
    create_offer(
        title="Investment readiness programme",
        kind="accelerator",
        dimensions=["finance"],
        status="published",
        uk_wide=True,
    )
    create_offer(
        title="Data basics course",
        kind="training_course",
        dimensions=["data"],
        status="published",
        uk_wide=True,
    )
    return complete_assessment(profile={**TRADING_PUBLIC, "council": GATESHEAD})


def ask(page, live_server, assert_accessible):
    from playwright.sync_api import expect

    assessment = make_world()
    # The results link, as the founder's email gives it.
    page.goto(live_server.url + resume_path(assessment))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your results")
    panel = page.get_by_role("region", name="Talk to a business adviser")
    expect(panel).to_be_visible()
    panel.get_by_role("link", name="Ask an adviser about this").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ask an adviser")
    expect(page.locator("main")).to_contain_text("Gateshead Council")
    assert_accessible(page)

    page.get_by_label("Your name").fill("Fay Founder")
    page.get_by_label("Email address").fill("fay@example.com")
    page.get_by_label("What do you want help with?").fill("Which programme should I apply for?")
    page.get_by_label("Data basics course").check()

    # Without consent: refused, with the reason, and nothing saved.
    page.get_by_role("button", name="Send request").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Tick the box to agree to share your details with Gateshead")
    assert not AdviceRequest.objects.exists()
    assert_accessible(page)

    # What was typed is kept; consent given, it goes.
    expect(page.get_by_label("Your name")).to_have_value("Fay Founder")
    page.get_by_label(re.compile("I agree to share my contact details")).check()
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    expect(page.locator(".govuk-panel__body")).to_have_text(
        "We have sent your request to Gateshead Council"
    )
    assert_accessible(page)

    advice_request = AdviceRequest.objects.get()
    assert advice_request.email == "fay@example.com"
    assert [item["title"] for item in advice_request.recommendations] == ["Data basics course"]
    assert sorted(message.to[0] for message in mail.outbox) == [TEAM_EMAIL, "fay@example.com"]
    [confirmation] = [message for message in mail.outbox if message.to == ["fay@example.com"]]
    assert "Gateshead Council" in confirmation.subject
    link = next(url for url in re.findall(r"http://\S+", confirmation.body) if "/advice/" in url)

    # The link in the email opens the request (it is on SITE_URL; the server is elsewhere).
    page.goto(live_server.url + urlsplit(link).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your request for advice")
    expect(page.locator("main")).to_contain_text("Which programme should I apply for?")
    assert_accessible(page)


def test_a_founder_asks_an_adviser_from_the_results_page(live_server, page, assert_accessible):
    ask(page, live_server, assert_accessible)
    assert page.console_errors == []


def test_the_same_without_javascript(live_server, page_without_javascript, assert_accessible):
    ask(page_without_javascript, live_server, assert_accessible)
