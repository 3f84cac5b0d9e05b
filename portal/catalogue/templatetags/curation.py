from django import template

from portal.accounts import permissions

register = template.Library()


@register.filter
def can_curate(user) -> bool:
    """{% if user|can_curate %}: whether to offer the curation pages (header link)."""
    return permissions.can_curate(user)
