"""The whole hand-off in one browser: a founder asks for help from the results page
(tests/e2e/test_ask_an_adviser.py), then a member of the council's organisation finds
the request in their queue, assigns it to a colleague and records what came of it. axe
on every page on the way."""

import re

import pytest
from django.urls import reverse

from portal.advice.choices import OutcomeKind, RequestStatus
from portal.advice.models import AdviceRequest
from tests.e2e.helpers import sign_in
from tests.e2e.test_ask_an_adviser import _fresh_candidates, ask  # noqa: F401 (fixture)
from tests.factories import create_council_a_curator, create_council_a_manager

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_founder_asks_and_the_council_officer_works_the_request(
    live_server, page, assert_accessible
):
    from playwright.sync_api import expect

    ask(page, live_server, assert_accessible)
    officer = create_council_a_curator()
    create_council_a_manager()

    sign_in(page, live_server, officer)
    page.goto(live_server.url + reverse("accounts:account"))
    page.get_by_role("link", name="Advice requests to Gateshead Council").click()
    expect(page.locator("#queue-count")).to_have_text("1 request: open")
    page.get_by_role("link", name=re.compile("^Fay Founder")).click()
    expect(page.locator("main")).to_contain_text("Which programme should I apply for?")
    expect(page.locator("main")).to_contain_text("Data basics course")
    assert_accessible(page)

    page.get_by_label("Assign to").select_option(label="Carol Manager")
    page.get_by_role("button", name="Assign").click()
    expect(page.locator("#case-assignee")).to_have_text("Carol Manager")

    page.get_by_label("No further help wanted").check()
    page.get_by_role("button", name="Record outcome and close").click()
    expect(page.locator("#case-status")).to_have_text("Closed")
    assert_accessible(page)

    advice_request = AdviceRequest.objects.get()
    assert advice_request.status == RequestStatus.CLOSED
    assert advice_request.outcome_kind == OutcomeKind.NO_FURTHER_HELP
    assert advice_request.assigned_to.full_name == "Carol Manager"
    assert page.console_errors == []
