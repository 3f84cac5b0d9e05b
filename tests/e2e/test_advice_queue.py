"""A member of the council's organisation works an advice request: finds the queue from
their account page, filters it, opens the request, assigns it to a colleague and records
what came of it. With JavaScript (htmx swaps the results and the case panel) and
without; axe on every page on the way."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.advice.choices import EventKind, OutcomeKind, RequestStatus
from portal.advice.models import AdviceEvent, AdviceRequest
from tests.advice.factories import create_advice_request, create_advice_team
from tests.e2e.helpers import sign_in
from tests.factories import create_council_a_curator, create_council_a_manager, create_offer

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def make_world():
    create_advice_team()
    curator = create_council_a_curator()
    manager = create_council_a_manager()
    offer = create_offer(title="Export voucher", kind="voucher", status="published", uk_wide=True)
    create_advice_request(name="Older Founder", status="contacted", created=timezone.now())
    advice_request = create_advice_request(
        name="Fay Founder",
        email="fay@example.com",
        help_wanted="Which export support should I apply for?",
        offer=offer,
        asked_from="offer",
        offer_kind="voucher",
        recommendations=[
            {
                "offer_id": offer.pk,
                "slug": offer.slug,
                "title": "Export voucher",
                "kind": "voucher",
                "dimensions": ["trade"],
                "reasons": ["Open to micro businesses in Gateshead"],
                "rank": 1,
            }
        ],
    )
    return curator, manager, offer, advice_request


def work_a_request(page, live_server, assert_accessible, *, javascript: bool):
    from playwright.sync_api import expect

    curator, manager, offer, advice_request = make_world()
    sign_in(page, live_server, curator)

    # From the account page to the queue.
    page.goto(live_server.url + reverse("accounts:account"))
    page.get_by_role("link", name="Advice requests to Gateshead Council").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Advice requests")
    expect(page.locator("#queue-count")).to_have_text("2 requests: open")
    assert_accessible(page)

    # Only the new ones: with JavaScript htmx asks for the results as the filter changes.
    if javascript:
        with page.expect_request(re.compile(r"status=new")) as filtered:
            page.get_by_label("New (1)").check()
        assert filtered.value.headers.get("hx-request") == "true"
    else:
        page.get_by_label("New (1)").check()
        page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("#queue-count")).to_have_text("1 request: new")
    expect(page).to_have_url(re.compile(r"status=new"))
    expect(page.get_by_role("link", name="Older Founder")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("^Fay Founder")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fay Founder")
    expect(page.locator("main")).to_contain_text("Which export support should I apply for?")
    expect(page.locator("main")).to_contain_text("Open to micro businesses in Gateshead")
    assert_accessible(page)

    # Assign it to a colleague.
    page.get_by_label("Assign to").select_option(label="Carol Manager")
    with page.expect_request(re.compile(r"/assign/$")) as assigned:
        page.get_by_role("button", name="Assign").click()
    # With JavaScript the case panel is swapped in place; without, the page comes back.
    assert (assigned.value.headers.get("hx-request") == "true") == javascript
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Request assigned to Carol Manager."
    )
    expect(page.locator("#case-assignee")).to_have_text("Carol Manager")
    assert_accessible(page)

    # Record what came of it: they applied for the voucher.
    page.get_by_label("Applied for support").check()
    page.get_by_label("To whom, or to what?").fill("Applied in the June round")
    page.get_by_role("group", name="Which support does it concern?").get_by_label(
        "Export voucher"
    ).check()
    page.get_by_role("button", name="Record outcome and close").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Outcome recorded and request closed."
    )
    expect(page.locator("#case-status")).to_have_text("Closed")
    expect(page.locator("#case-outcome")).to_have_text(
        "Applied for support — Applied in the June round — concerns: Export voucher"
    )
    expect(page.locator("#case-history")).to_contain_text("Outcome recorded: applied for support")
    expect(page.get_by_role("button", name="Record outcome and close")).to_have_count(0)
    assert_accessible(page)

    advice_request.refresh_from_db()
    assert advice_request.assigned_to == manager
    assert advice_request.status == RequestStatus.CLOSED
    assert advice_request.outcome_kind == OutcomeKind.APPLIED
    assert advice_request.outcome_offer == offer
    kinds = list(
        AdviceEvent.objects.filter(request=advice_request)
        .order_by("pk")
        .values_list("kind", flat=True)
    )
    assert kinds == [EventKind.ASSIGNED, EventKind.STATUS_CHANGED, EventKind.OUTCOME_RECORDED]
    assert AdviceRequest.objects.filter(status=RequestStatus.NEW).count() == 0


def test_a_council_officer_assigns_a_request_and_records_its_outcome(
    live_server, page, assert_accessible
):
    work_a_request(page, live_server, assert_accessible, javascript=True)
    assert page.console_errors == []


def test_the_same_without_javascript(live_server, page_without_javascript, assert_accessible):
    work_a_request(page_without_javascript, live_server, assert_accessible, javascript=False)
