"""Match alert pages: asking for them (from "Recommended for you" or the results page),
"check your email", the confirmation link and unsubscribing (the last three are the
pages every subscription has: ``portal.lib.subscription_pages``, given ``PAGES`` in
``urls.py``).

Asking needs no account; the business is the one the page ranked for: the completed
assessment the form names (which the visitor must be allowed to open), else the
visitor's latest, else the profile in the query string.
"""

import uuid

from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from diagnostics.access import get_assessment_for_visitor, granted, latest_completed_for_visitor
from portal.lib.subscription_pages import SubscriptionPages, subscribe_from_form
from portal.matching import alerts, rules
from portal.matching.alert_forms import PREFIX, MatchAlertForm
from portal.matching.forms import ProfileForm
from portal.matching.recommendations import business_from_assessment


def _shown_with(subscription) -> dict:
    """What the alert pages show of a match alert besides it: its business, in words."""
    return {"description": alerts.describe(alerts.business_of(subscription))}


PAGES = SubscriptionPages(
    mailing=alerts.ALERTS,
    templates="matching/alerts",
    sent_view="matching:alert-sent",
    session_key="matching.alert_email",
    context=_shown_with,
)
# The recommended page's own parameters, which are not part of a profile.
NOT_PROFILE = ("kind", "dimension", "page")


def profile_query(querydict: QueryDict) -> str:
    """The profile in a "Recommended for you" query string, without its filters."""
    profile = querydict.copy()
    for name in NOT_PROFILE:
        profile.pop(name, None)
    return profile.urlencode()


def signup_context(request, *, assessment=None, query: str = "") -> dict:
    """What templates/matching/includes/alert_signup.html needs, on any page."""
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    if assessment is not None:
        initial["assessment"] = assessment.public_id
    action = reverse("matching:alert-create") + (f"?{query}" if query else "")
    return {"alert_form": MatchAlertForm(initial=initial), "alert_action": action}


def _business_for(request, assessment_id):
    """The business to alert about and where the founder saw its matches; None when the
    page has no business to go on (no assessment and no valid profile)."""
    if assessment_id is not None:
        assessment = get_assessment_for_visitor(request, assessment_id)
        if not assessment.is_completed or not rules.can_ask_for_match_alerts_for(
            request.user, assessment, granted=granted(request)
        ):
            raise Http404("No such assessment")
        return business_from_assessment(assessment), None
    assessment = latest_completed_for_visitor(request)
    if assessment is not None:
        return business_from_assessment(assessment), None
    if not rules.can_ask_for_match_alerts(request.user):
        raise Http404
    profile_form = ProfileForm(request.GET if "council" in request.GET else None)
    if not profile_form.is_valid():
        return None, None
    return profile_form.business(), profile_query(request.GET)


def _uuid_or_none(value) -> uuid.UUID | None:
    """An assessment's public id; a malformed one is none (then the page's profile)."""
    try:
        return uuid.UUID(value) if value else None
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def alert_create(request):
    """GET shows what the alert is for; POST asks for it and sends the confirmation."""
    data = request.POST if request.method == "POST" else None
    if data is not None:
        assessment_id = _uuid_or_none(data.get(f"{PREFIX}-assessment"))
    else:
        assessment_id = _uuid_or_none(request.GET.get("assessment"))
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = MatchAlertForm(
        data, initial={**initial, "assessment": assessment_id}, label_classes="govuk-label--m"
    )
    business, query = _business_for(request, assessment_id)
    if business is None:
        # Nothing to rank for: the page that asks for a profile.
        return redirect("matching:recommended")
    if form.is_bound and form.is_valid():
        sent = subscribe_from_form(
            request,
            PAGES,
            form,
            lambda email: alerts.subscribe_to_matches(email=email, business=business),
        )
        if sent is not None:
            return sent
    back = reverse("matching:recommended") + (f"?{query}" if query else "")
    context = {
        "form": form,
        "description": alerts.describe(business),
        "action": reverse("matching:alert-create") + (f"?{query}" if query else ""),
        "back_url": back,
    }
    return render(request, "matching/alerts/create.html", context)
