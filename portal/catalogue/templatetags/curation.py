from django import template

from portal.catalogue import rules

register = template.Library()


@register.filter
def can_curate(user) -> bool:
    """{% if user|can_curate %}: whether to offer the curation pages (header link)."""
    return rules.can_curate(user)
