from django import template

from portal.procurement import rules

register = template.Library()


@register.filter
def can_post_opportunities(user) -> bool:
    """{% if user|can_post_opportunities %}: whether to offer the posting pages."""
    return rules.can_post_opportunities(user)
