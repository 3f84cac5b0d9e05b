"""templates/includes/status_tag.html: a status as a GOV.UK tag, in the colour its
choices keep beside it, for offers and opportunities alike."""

import pytest
from django.template.loader import render_to_string

from portal.catalogue.models import Offer, OfferStatus
from portal.procurement.models import Opportunity, Status


def tag(status) -> str:
    return render_to_string("includes/status_tag.html", {"status": status}).strip()


@pytest.mark.parametrize(
    ("status", "colour"),
    [
        (OfferStatus.DRAFT, "yellow"),
        (OfferStatus.IN_REVIEW, "blue"),
        (OfferStatus.PUBLISHED, "green"),
        (OfferStatus.ARCHIVED, "grey"),
        (Status.DRAFT, "yellow"),
        (Status.PENDING, "blue"),
        (Status.OPEN, "green"),
        (Status.CLOSED, "grey"),
        (Status.AWARDED, "grey"),
        (Status.CANCELLED, "red"),
        (Status.WITHDRAWN, "red"),
    ],
)
def test_each_status_shows_in_its_colour_with_its_label(status, colour):
    assert status.tag_colour == colour
    assert tag(status) == (
        f'<strong class="govuk-tag govuk-tag--{colour}">{status.label}</strong>'
    )


def test_a_status_read_from_the_database_as_text_finds_its_choice():
    assert Offer(status="in_review").status_choice is OfferStatus.IN_REVIEW
    assert Opportunity(status="withdrawn").status_choice is Status.WITHDRAWN
