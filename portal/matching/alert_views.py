"""Match alert pages: asking for them (from "Recommended for you" or the results page),
"check your email", the confirmation link and unsubscribing.

Asking needs no account; the business is the one the page ranked for: the completed
assessment the form names (which the visitor must be allowed to open), else the
visitor's latest, else the profile in the query string. Confirming and unsubscribing
need only the emailed link (its signed token); a bad, tampered or expired one gets a
page that says so, never a 500. Unsubscribing also takes RFC 8058 one-click POSTs from
mail clients, which carry no CSRF token: the token in the URL is the secret, so that
view is exempt.
"""

import uuid

from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from diagnostics.access import get_assessment_for_visitor, granted, latest_completed_for_visitor
from portal.matching import alerts, rules
from portal.matching.alert_forms import PREFIX, MatchAlertForm
from portal.matching.forms import ProfileForm
from portal.matching.recommendations import business_from_assessment

SENT_EMAIL_SESSION_KEY = "matching.alert_email"
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


def _link_not_working(request, *, expired: bool = False, purpose: str):
    context = {"expired": expired, "purpose": purpose}
    return render(request, "matching/alerts/link_not_working.html", context, status=404)


@require_http_methods(["GET", "POST"])
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
        try:
            alerts.subscribe_to_matches(email=form.cleaned_data["email"], business=business)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            request.session[SENT_EMAIL_SESSION_KEY] = form.cleaned_data["email"]
            return redirect("matching:alert-sent")
    back = reverse("matching:recommended") + (f"?{query}" if query else "")
    context = {
        "form": form,
        "description": alerts.describe(business),
        "action": reverse("matching:alert-create") + (f"?{query}" if query else ""),
        "back_url": back,
    }
    return render(request, "matching/alerts/create.html", context)


@require_GET
@never_cache
def alert_sent(request):
    """Check your email."""
    email = request.session.get(SENT_EMAIL_SESSION_KEY)
    return render(request, "matching/alerts/sent.html", {"email": email})


@require_GET
@never_cache
def alert_confirm(request, token):
    """The link in the confirmation email. Following it again is harmless."""
    try:
        outcome = alerts.confirm(token)
    except alerts.InvalidToken as error:
        return _link_not_working(request, expired=error.expired, purpose="confirm")
    context = {"subscription": outcome.subscription, "newly_confirmed": outcome.changed}
    return render(request, "matching/alerts/confirmed.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def alert_unsubscribe(request, token):
    """GET asks; POST (the button, or a mail client's one-click POST) unsubscribes."""
    try:
        subscription = alerts.subscription_for_unsubscribe_token(token)
    except alerts.InvalidToken as error:
        return _link_not_working(request, expired=error.expired, purpose="unsubscribe")
    context = {"subscription": subscription, "token": token}
    if request.method == "POST":
        outcome = alerts.unsubscribe(subscription=subscription)
        context["newly_unsubscribed"] = outcome.changed
        return render(request, "matching/alerts/unsubscribed.html", context)
    if subscription.unsubscribed_at is not None:
        context["newly_unsubscribed"] = False
        return render(request, "matching/alerts/unsubscribed.html", context)
    return render(request, "matching/alerts/unsubscribe.html", context)
