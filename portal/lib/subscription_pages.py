"""The pages every kind of email subscription has besides its form: "check your email",
the confirmation link, and unsubscribing.

Confirming and unsubscribing need only the emailed link (its signed token); a bad,
tampered or expired one gets a page that says so (a 404), never a 500. Following
either link (GET, HEAD) changes nothing: its page has a button that POSTs. Unsubscribing
also takes RFC 8058 one-click POSTs from mail clients, which carry no CSRF token: the
token in the URL is the secret, so that view is exempt.

An app describes its pages once (``SubscriptionPages``) and routes them in its
``urls.py`` with ``page_urls("contracts/alerts/", PAGES)``: "alert-sent",
"alert-confirm" and "alert-unsubscribe" in its namespace.

Each renders ``<templates>/<page>.html`` of the app (they extend the shared layouts in
``templates/includes/subscriptions/``) with ``subscription`` and what the app's
``context`` adds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from portal.lib.subscription_links import InvalidToken
from portal.lib.subscriptions import Mailing, Subscription


def _nothing_more(subscription: Subscription) -> dict:
    return {}


@dataclass(frozen=True)
class SubscriptionPages:
    mailing: Mailing
    # The app's folder of templates: sent, confirm, confirmed, unsubscribe, unsubscribed
    # and link_not_working (.html).
    templates: str
    # The "check your email" page: its URL name, and the session key of the address.
    sent_view: str
    session_key: str
    # What the app's pages show of a subscription besides it (its description, links).
    context: Callable[[Subscription], dict] = field(default=_nothing_more)

    def render(self, request, page: str, context: dict, *, status: int = 200) -> HttpResponse:
        return render(request, f"{self.templates}/{page}.html", context, status=status)

    def link_not_working(self, request, error: InvalidToken, *, purpose: str) -> HttpResponse:
        context = {"expired": error.expired, "purpose": purpose}
        return self.render(request, "link_not_working", context, status=404)


def subscribe_from_form(
    request, pages: SubscriptionPages, form, subscribe: Callable[[str], Any]
) -> HttpResponse | None:
    """Subscribe the address of a valid ``form`` (``subscribe(email)``) and go to "check
    your email"; None, with the reason on the form's email field, when it is refused
    (too many today, or already subscribed)."""
    email = form.cleaned_data["email"]
    try:
        subscribe(email)
    except ValidationError as error:
        form.add_error("email", error)
        return None
    request.session[pages.session_key] = email
    return redirect(pages.sent_view)


@require_safe
@never_cache
def sent(request, *, pages: SubscriptionPages):
    """Check your email."""
    return pages.render(request, "sent", {"email": request.session.get(pages.session_key)})


# GET (and HEAD) only show the page: a mail scanner's or a preview's fetch of the link
# must not confirm. The button POSTs, with the CSRF token, to the same address.
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def confirm(request, token: str, *, pages: SubscriptionPages):
    """The link in the confirmation email: GET asks ("Confirm your email alert", what
    it is for, a Confirm button); POST confirms. Confirming again is harmless."""
    mailing = pages.mailing
    try:
        if request.method == "POST":
            outcome = mailing.confirm(token)
            subscription, newly_confirmed = outcome.subscription, outcome.changed
        else:
            subscription, newly_confirmed = mailing.subscription_for_confirm_token(token), False
    except InvalidToken as error:
        return pages.link_not_working(request, error, purpose="confirm")
    context = {"subscription": subscription, **pages.context(subscription)}
    if request.method == "POST" or subscription.confirmed_at or subscription.unsubscribed_at:
        context["newly_confirmed"] = newly_confirmed
        return pages.render(request, "confirmed", context)
    context["action"] = reverse(mailing.links.confirm_view, args=[token])
    return pages.render(request, "confirm", context)


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def unsubscribe(request, token: str, *, pages: SubscriptionPages):
    """GET asks; POST (the button, or a mail client's one-click POST) unsubscribes."""
    try:
        subscription = pages.mailing.subscription_for_unsubscribe_token(token)
    except InvalidToken as error:
        return pages.link_not_working(request, error, purpose="unsubscribe")
    context = {"subscription": subscription, "token": token, **pages.context(subscription)}
    if request.method == "POST":
        outcome = pages.mailing.unsubscribe(subscription=subscription)
        context["newly_unsubscribed"] = outcome.changed
        return pages.render(request, "unsubscribed", context)
    if subscription.unsubscribed_at is not None:
        context["newly_unsubscribed"] = False
        return pages.render(request, "unsubscribed", context)
    return pages.render(request, "unsubscribe", context)


def page_urls(prefix: str, pages: SubscriptionPages) -> list[URLPattern]:
    """The routes of the three pages under ``prefix`` (with its trailing slash)."""
    given = {"pages": pages}
    return [
        path(f"{prefix}sent/", sent, given, name="alert-sent"),
        path(f"{prefix}confirm/<str:token>/", confirm, given, name="alert-confirm"),
        path(f"{prefix}unsubscribe/<str:token>/", unsubscribe, given, name="alert-unsubscribe"),
    ]
