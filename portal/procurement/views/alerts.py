"""Saved searches with email alerts (no account needed) and saved opportunities.

The links in alert emails carry signed tokens, so confirming, managing and
unsubscribing work signed out; a bad, tampered or expired token gets a page that says
so (never a 500). "Check your email", confirming and unsubscribing are the pages every
subscription has (``portal.lib.subscription_pages``, given ``PAGES`` in ``urls.py``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.lib.links import local_path
from portal.lib.subscription_pages import SubscriptionPages, subscribe_from_form
from portal.procurement.alert_forms import AlertForm, ManageAlertForm
from portal.procurement.alert_links import email_for_manage_token, manage_path, search_path
from portal.procurement.models import Opportunity, SavedOpportunity, SavedSearch
from portal.procurement.queries.filters import OpportunityFilters
from portal.procurement.rules import can_view_opportunity
from portal.procurement.services import alerts

MANAGE_PAGE_SIZE = 25
SAVED_PAGE_SIZE = 25


def _shown_with(saved_search: SavedSearch) -> dict:
    """What the alert pages show of a saved search besides it."""
    return {
        "saved_search": saved_search,
        "description": alerts.describe(saved_search),
        "manage_path": manage_path(saved_search.email),
        "search_path": search_path(saved_search.query),
    }


PAGES = SubscriptionPages(
    mailing=alerts.ALERTS,
    templates="procurement/alerts",
    sent_view="procurement:alert-sent",
    session_key="procurement.alert_email",
    context=_shown_with,
)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def alert_create(request):
    """Save the search in the query string: GET shows it in words, POST saves it."""
    filters = OpportunityFilters.from_querydict(request.GET)
    query = filters.to_querystring()
    initial = {"email": request.user.email} if request.user.is_authenticated else {}
    form = AlertForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_bound and form.is_valid():
        sent = subscribe_from_form(
            request,
            PAGES,
            form,
            lambda email: alerts.create_saved_search(
                email=email,
                query=query,
                frequency=form.cleaned_data["frequency"],
                user=request.user,
            ),
        )
        if sent is not None:
            return sent
    context = {
        "form": form,
        "description": filters.describe(),
        "query": query,
        "list_url": search_path(query),
    }
    return render(request, "procurement/alerts/create.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def alert_manage(request, token):
    """Every saved search of the address the token was made for, no sign-in needed."""
    try:
        email = email_for_manage_token(token)
    except alerts.InvalidToken as error:
        return PAGES.link_not_working(request, error, purpose="manage")
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
            "search_path": search_path(saved_search.query),
        }
        for saved_search in page.object_list
    ]
    context = {"email": email, "page_obj": page, "rows": rows, "token": token}
    return render(request, "procurement/alerts/manage.html", context)


def _safe_next(request, fallback: str) -> str:
    return local_path(request, request.POST.get("next") or "") or fallback


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
@require_safe
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
