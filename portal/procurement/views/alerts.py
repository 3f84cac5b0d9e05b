"""Saved searches with email alerts (no account needed) and saved opportunities.

The links in alert emails carry signed tokens, so confirming, managing and
unsubscribing work signed out; a bad, tampered or expired token gets a page that says
so (never a 500). Unsubscribing also takes RFC 8058 one-click POSTs from mail clients,
which carry no CSRF token: the token in the URL is the secret, so that view is exempt.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.procurement import alerts
from portal.procurement.alert_forms import AlertForm, ManageAlertForm
from portal.procurement.models import Opportunity, SavedOpportunity, SavedSearch
from portal.procurement.rules import can_view_opportunity

SENT_EMAIL_SESSION_KEY = "procurement.alert_email"
MANAGE_PAGE_SIZE = 25
SAVED_PAGE_SIZE = 25


def _filters(querydict):
    from portal.procurement.queries import OpportunityFilters

    return OpportunityFilters.from_querydict(querydict)


def _query(filters) -> str:
    return filters.to_querystring().lstrip("?")


def _link_not_working(request, *, expired: bool = False, purpose: str):
    context = {"expired": expired, "purpose": purpose}
    return render(request, "procurement/alerts/link_not_working.html", context, status=404)


@require_http_methods(["GET", "POST"])
@never_cache
def alert_create(request):
    """Save the search in the query string: GET shows it in words, POST saves it."""
    filters = _filters(request.GET)
    query = _query(filters)
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = AlertForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            alerts.create_saved_search(
                email=form.cleaned_data["email"],
                query=query,
                frequency=form.cleaned_data["frequency"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            request.session[SENT_EMAIL_SESSION_KEY] = form.cleaned_data["email"]
            return redirect("procurement:alert-sent")
    list_url = reverse("procurement:list") + (f"?{query}" if query else "")
    context = {
        "form": form,
        "description": filters.describe(),
        "query": query,
        "list_url": list_url,
    }
    return render(request, "procurement/alerts/create.html", context)


@require_GET
@never_cache
def alert_sent(request):
    """Check your email."""
    email = request.session.get(SENT_EMAIL_SESSION_KEY)
    return render(request, "procurement/alerts/sent.html", {"email": email})


@require_GET
@never_cache
def alert_confirm(request, token):
    """The link in the confirmation email. Following it again is harmless."""
    try:
        outcome = alerts.confirm(token)
    except alerts.InvalidToken as error:
        return _link_not_working(request, expired=error.expired, purpose="confirm")
    saved_search = outcome.saved_search
    context = {
        "saved_search": saved_search,
        "newly_confirmed": outcome.changed,
        "description": alerts.describe(saved_search),
        "manage_path": reverse(
            "procurement:alert-manage", args=[alerts.make_manage_token(saved_search.email)]
        ),
        "search_path": reverse("procurement:list")
        + (f"?{saved_search.query}" if saved_search.query else ""),
    }
    return render(request, "procurement/alerts/confirmed.html", context)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def alert_unsubscribe(request, token):
    """GET asks; POST (the button, or a mail client's one-click POST) unsubscribes."""
    try:
        saved_search = alerts.saved_search_for_unsubscribe_token(token)
    except alerts.InvalidToken as error:
        return _link_not_working(request, expired=error.expired, purpose="unsubscribe")
    context = {
        "saved_search": saved_search,
        "description": alerts.describe(saved_search),
        "token": token,
        "manage_path": reverse(
            "procurement:alert-manage", args=[alerts.make_manage_token(saved_search.email)]
        ),
    }
    if request.method == "POST":
        outcome = alerts.unsubscribe_saved_search(saved_search=saved_search)
        context["newly_unsubscribed"] = outcome.changed
        return render(request, "procurement/alerts/unsubscribed.html", context)
    if saved_search.unsubscribed_at is not None:
        context["newly_unsubscribed"] = False
        return render(request, "procurement/alerts/unsubscribed.html", context)
    return render(request, "procurement/alerts/unsubscribe.html", context)


@require_http_methods(["GET", "POST"])
@never_cache
def alert_manage(request, token):
    """Every saved search of the address the token was made for, no sign-in needed."""
    try:
        email = alerts.email_for_manage_token(token)
    except alerts.InvalidToken as error:
        return _link_not_working(request, expired=error.expired, purpose="manage")
    saved_searches = alerts.saved_searches_of(email)
    if request.method == "POST":
        form = ManageAlertForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose how often you want emails, then try again."))
            return redirect("procurement:alert-manage", token=token)
        # Any of the address's saved searches, so that a second click is not a 404.
        saved_search = get_object_or_404(
            SavedSearch.objects.filter(email__iexact=email),
            public_id=form.cleaned_data["saved_search"],
        )
        if saved_search.unsubscribed_at is not None:
            messages.info(request, _("You had already unsubscribed from that alert."))
        elif form.cleaned_data["action"] == "unsubscribe":
            alerts.unsubscribe_saved_search(saved_search=saved_search)
            messages.success(request, _("You have unsubscribed from that alert."))
        else:
            alerts.change_frequency(
                saved_search=saved_search, frequency=form.cleaned_data["frequency"]
            )
            messages.success(request, _("Your alert’s frequency has been changed."))
        return redirect("procurement:alert-manage", token=token)
    page = Paginator(saved_searches, MANAGE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "saved_search": saved_search,
            "description": alerts.describe(saved_search),
            "search_path": reverse("procurement:list")
            + (f"?{saved_search.query}" if saved_search.query else ""),
        }
        for saved_search in page.object_list
    ]
    context = {"email": email, "page_obj": page, "rows": rows, "token": token}
    return render(request, "procurement/alerts/manage.html", context)


def _safe_next(request, fallback: str) -> str:
    next_url = request.POST.get("next") or ""
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return fallback


@require_POST
def opportunity_save(request, public_id):
    """Save or unsave (``action=unsave``) an opportunity. htmx gets the button back."""
    opportunity = get_object_or_404(Opportunity, public_id=public_id)
    if not request.user.is_authenticated:
        # Signed out since the page was shown: sign in, then back to the opportunity.
        detail = opportunity.get_absolute_url()
        if request.htmx:
            sign_in = f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': detail})}"
            return HttpResponse(status=204, headers={"HX-Redirect": sign_in})
        return redirect_to_login(detail)
    if not can_view_opportunity(request.user, opportunity):
        raise Http404("No such opportunity")
    if request.POST.get("action") == "unsave":
        alerts.unsave_opportunity(user=request.user, opportunity=opportunity)
        saved = False
        message = _("Removed from your saved opportunities.")
    else:
        alerts.save_opportunity(user=request.user, opportunity=opportunity)
        saved = True
        message = _("Saved. We will remind you by email when it closes within 7 days.")
    next_url = _safe_next(request, opportunity.get_absolute_url())
    if request.htmx:
        context = {
            "opportunity": opportunity,
            "saved": saved,
            "status_message": message,
            "next_url": next_url,
        }
        return render(request, "procurement/alerts/save_button.html", context)
    messages.success(request, message)
    return redirect(next_url)


@login_required
@require_GET
def saved_opportunities(request):
    saved = (
        SavedOpportunity.objects.filter(user=request.user)
        .select_related("opportunity")
        .order_by(F("opportunity__deadline").asc(nulls_last=True), "-created", "pk")
    )
    page = Paginator(saved, SAVED_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "saved": item,
            "opportunity": item.opportunity,
            "value": alerts.value_text(item.opportunity),
            "deadline": alerts.deadline_text(item.opportunity),
        }
        for item in page.object_list
    ]
    context = {"page_obj": page, "rows": rows}
    return render(request, "procurement/alerts/saved_opportunities.html", context)
