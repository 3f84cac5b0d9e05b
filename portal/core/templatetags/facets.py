"""The faceted lists' options (portal.lib.facets), written out in Python.

A list page has some sixty counted options, each a GOV.UK checkbox or radio with its
count; through the template engine, eight variables and two conditions each, they were
most of the page's rendering time (about 1.3 ms of the support list's 3). Django's admin
writes its change list's cells the same way (``items_for_result``). The wrappers, the
fieldsets and legends stay in ``includes/facets.html``.
"""

import html

from django import template
from django.utils.safestring import mark_safe

register = template.Library()

# The GOV.UK markup of one option; {checked} is " checked" or "". Each is followed by
# the whitespace the template's loop left between options, so the page is unchanged.
_ITEM = (
    '<div class="govuk-{kind}__item">\n'
    '    <input class="govuk-{kind}__input" id="{id}" name="{name}" type="{type}"'
    ' value="{value}"{checked}>\n'
    '    <label class="govuk-label govuk-{kind}__label" for="{id}">{label}'
    ' <span id="count-{id}">({count})</span></label>\n'
    "  </div>\n  "
)
_DIVIDER = '<div class="govuk-checkboxes__divider">{}</div>\n  '
_INPUT = {"checkboxes": "checkbox", "radios": "radio"}


def _escape(text) -> str:
    """Django's ``conditional_escape``, without its check for lazy arguments, which
    took longer than the escaping: four texts an option."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


@register.simple_tag
def facet_options(group) -> str:
    """The items of a FacetGroup's checkboxes or radios (a divider only among
    checkboxes), without their wrapper."""
    kind = group.kind
    parts = []
    for option in group.options:
        if option.divider and kind == "checkboxes":
            parts.append(_DIVIDER.format(_escape(option.divider)))
        parts.append(
            _ITEM.format(
                kind=kind,
                type=_INPUT[kind],
                id=_escape(option.id),
                name=_escape(option.name),
                value=_escape(option.value),
                checked=" checked" if option.checked else "",
                label=_escape(option.label),
                count=option.count,
            )
        )
    return mark_safe("".join(parts))


@register.simple_tag
def facet_counts(groups) -> str:
    """Each option's count of ``groups``, swapped in out of band when htmx asks for
    the results alone."""
    return mark_safe(
        "".join(
            f'<span id="count-{_escape(option.id)}" hx-swap-oob="innerHTML">'
            f"({option.count})</span>"
            for group in groups
            for option in group.options
        )
    )
