"""How "Is this for me?" lists what an offer is open to: "micro, small or medium"."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def or_list(values) -> str:
    labels = [str(value) for value in values]
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(first)s or %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}
