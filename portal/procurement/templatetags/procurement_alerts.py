"""{% opportunity_saved opportunity as saved %}: whether the signed-in user saved it."""

from django import template

from portal.procurement.services.alerts import is_saved

register = template.Library()


@register.simple_tag(takes_context=True)
def opportunity_saved(context, opportunity) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return is_saved(user=user, opportunity=opportunity)
