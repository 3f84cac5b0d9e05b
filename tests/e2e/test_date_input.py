"""GOV.UK's date input on the curator's offer form, with and without JavaScript: an
impossible date is named in the error summary, whose link leads to the day box, what
was typed is shown again, and a real date saves; the page passes axe throughout."""

import pytest
from django.urls import reverse

from tests.e2e.helpers import sign_in

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_closing_date_boxes(live_server, request, assert_accessible, javascript):
    from playwright.sync_api import expect

    from tests.factories import council_a, create_council_a_curator, create_offer

    page = request.getfixturevalue("page" if javascript else "page_without_javascript")
    offer = create_offer(curator=council_a(), title="Made in Gateshead")
    sign_in(page, live_server, create_council_a_curator())
    page.goto(live_server.url + reverse("catalogue:offer-edit", args=[offer.public_id]))

    closes = page.get_by_role("group", name="Closes")
    closes.get_by_label("Day").fill("31")
    closes.get_by_label("Month").fill("2")
    closes.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save changes").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Closing date must be a real date")
    closes = page.get_by_role("group", name="Closes")
    expect(closes.get_by_label("Day")).to_have_value("31")
    expect(closes.get_by_label("Month")).to_have_value("2")
    assert_accessible(page)
    summary.get_by_role("link", name="Closing date must be a real date").click()
    expect(closes.get_by_label("Day")).to_be_focused()

    closes.get_by_label("Day").fill("28")
    page.get_by_role("button", name="Save changes").click()

    expect(page.locator(".govuk-notification-banner")).to_contain_text("saved")
    offer.refresh_from_db()
    assert offer.closes.isoformat() == "2027-02-28"
    assert page.console_errors == []
