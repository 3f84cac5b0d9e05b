from django import template

from portal.accounts import permissions

register = template.Library()


@register.filter
def can_post_opportunities(user) -> bool:
    """{% if user|can_post_opportunities %}: whether to offer the posting pages."""
    return permissions.can_post_opportunities(user)
