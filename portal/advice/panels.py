""" "Ask an adviser about this" on the results page (diagnostics' panel registry), the
"Recommended for you" page (matching's) and each offer page (catalogue's). Each panel is
a link to the asking page saying what it is about; none queries the database."""

from django.urls import reverse
from django.utils.http import urlencode

from portal.advice.choices import AskedFrom

TEMPLATE = "advice/ask_panel.html"


def _link(**query) -> dict:
    return {"ask_url": reverse("advice:ask") + "?" + urlencode(query)}


def results_panel_context(*, request, assessment):
    return _link(**{"from": AskedFrom.RESULTS.value, "assessment": str(assessment.public_id)})


def recommended_panel_context(*, request, assessment, business):
    query = {"from": AskedFrom.RECOMMENDED.value}
    if assessment is not None:
        query["assessment"] = str(assessment.public_id)
    return _link(**query)


def offer_panel_context(*, request, offer):
    return {**_link(**{"from": AskedFrom.OFFER.value, "offer": offer.slug}), "offer": offer}
