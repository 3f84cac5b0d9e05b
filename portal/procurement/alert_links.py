"""Saved-search alert links: the signed tokens that confirm, unsubscribe and manage
saved searches without signing in, and the links that emails and pages carry.

The salt stays "procurement.alerts" whatever the modules are called: links already in
mailboxes must keep working.
"""

from django.urls import reverse

from portal.lib.mail import absolute_url
from portal.lib.subscriptions import SubscriptionLinks
from portal.procurement.models import Opportunity, SavedSearch

LINKS = SubscriptionLinks(
    salt="procurement.alerts",
    confirm_view="procurement:alert-confirm",
    unsubscribe_view="procurement:alert-unsubscribe",
    manage_view="procurement:alert-manage",
)
CONFIRM_MAX_AGE = LINKS.confirm_max_age
MANAGE_MAX_AGE = LINKS.manage_max_age

# Tokens.

make_confirm_token = LINKS.confirm_token
make_unsubscribe_token = LINKS.unsubscribe_token
make_manage_token = LINKS.manage_token
email_for_manage_token = LINKS.email_for_manage_token

# Links, absolute because an email is read away from the site.

confirm_url = LINKS.confirm_url
unsubscribe_url = LINKS.unsubscribe_url
manage_url = LINKS.manage_url


def search_url(saved_search: SavedSearch) -> str:
    return absolute_url("procurement:list", query=saved_search.query)


def opportunity_url(opportunity: Opportunity) -> str:
    return absolute_url("procurement:detail", opportunity.public_id)


# Paths, for the site's own pages.


def search_path(query: str) -> str:
    """The list with a saved search's (normalised) query string."""
    return reverse("procurement:list") + (f"?{query}" if query else "")


def manage_path(email: str) -> str:
    return reverse("procurement:alert-manage", args=[make_manage_token(email)])
