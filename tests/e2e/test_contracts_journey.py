"""The contract portal end to end: a cluster body's editor posts an opportunity, with its
CPV code chosen through the autocomplete, and publishes it; a founder in Gateshead finds
it among those closing within 14 days, saves the search and confirms the alert from the
link in the email; axe checks each page on the way."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.e2e.helpers import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

GATESHEAD = "E08000037"
TITLE = "Quokka cloud hosting for Gateshead libraries"


def test_poster_publishes_and_a_founder_finds_it_and_confirms_an_alert(
    live_server, page, assert_accessible
):
    from playwright.sync_api import expect

    from portal.procurement.models import Opportunity, SavedSearch, Status
    from tests.factories import create_cluster_body_poster, create_opportunity, get_council

    # Something else that closes later, so the filter has work to do.
    create_opportunity(
        title="Regional data platform (closes later)",
        councils=[get_council(gss_code=GATESHEAD)],
        deadline=timezone.now() + timedelta(days=25),
    )

    # The poster (a verified cluster body) posts from the service navigation.
    sign_in(page, live_server, create_cluster_body_poster())
    page.goto(live_server.url + reverse("core:home"))
    page.get_by_role("link", name="Post opportunities").click()
    assert_accessible(page)
    page.get_by_role("button", name="Post an opportunity").click()

    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Description", exact=True).fill(
        "Hosting for the library catalogue and its website, with support."
    )
    page.get_by_label("Services", exact=True).check()
    page.get_by_label("Public sector").check()
    page.get_by_label("Tender", exact=True).check()
    combobox = page.get_by_role("combobox", name="CPV codes", exact=True)
    combobox.fill("software development")
    page.get_by_role("option", name=re.compile(r"^Custom software development services")).click()
    expect(page.locator("textarea[name=cpv_codes]")).to_have_value("72230000")
    page.get_by_label("Value", exact=True).fill("40000")
    deadline = timezone.localtime() + timedelta(days=10)
    # GOV.UK's date input: day, month and year boxes, then the time.
    deadline_boxes = page.get_by_role("group", name="Deadline for tenders")
    deadline_boxes.get_by_label("Day").fill(str(deadline.day))
    deadline_boxes.get_by_label("Month").fill(str(deadline.month))
    deadline_boxes.get_by_label("Year").fill(str(deadline.year))
    deadline_boxes.get_by_label("Time").fill("12:00")
    page.get_by_text("Councils in North East").click()
    page.get_by_label("Gateshead", exact=True).check()
    page.locator("input[name=sme_suitable][value=yes]").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)

    page.get_by_role("button", name="Publish").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    opportunity = Opportunity.objects.get(title=TITLE)
    assert opportunity.status == Status.OPEN
    assert opportunity.cpv_codes == ["72230000"]
    assert page.console_errors == []

    # A founder (signed out) filters to their council and closing within 14 days.
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("procurement:list"))
    assert_accessible(page)
    page.get_by_label(re.compile(r"^Within 14 days")).check()
    page.get_by_label("Where is your business?").select_option(GATESHEAD)
    expect(page).to_have_url(re.compile(rf"council={GATESHEAD}"))
    expect(page).to_have_url(re.compile(r"closing=14"))
    results = page.locator("#search-results")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(results).not_to_contain_text("Regional data platform")
    assert_accessible(page)

    # They save the search and confirm it from the email.
    page.get_by_role("link", name="Get emails about new opportunities like these").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Get emails about new opportunities like these"
    )
    assert_accessible(page)
    page.get_by_label("Email address").fill("founder@example.com")
    page.get_by_label("Weekly").check()
    page.get_by_role("button", name="Send me a confirmation email").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    saved = SavedSearch.objects.get(email="founder@example.com")
    assert saved.confirmed_at is None
    assert f"council={GATESHEAD}" in saved.query and "closing=14" in saved.query
    (message,) = [m for m in mail.outbox if "founder@example.com" in m.to]
    link = re.search(r"https?://\S+/contracts/alerts/confirm/\S+/", message.body).group(0)
    page.goto(live_server.url + link[link.index("/contracts/") :])
    # Opening the link asks; the button confirms.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email alert")
    assert_accessible(page)
    saved.refresh_from_db()
    assert saved.confirmed_at is None
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your email alert is set up")
    assert_accessible(page)
    saved.refresh_from_db()
    assert saved.confirmed_at is not None
    assert page.console_errors == []
