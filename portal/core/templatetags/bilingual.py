"""A listing's text in the page's language (portal/lib/bilingual.py), for templates:

- ``{{ offer|localised:"title" }}``: the text; English on a Welsh page, for want of a
  Welsh text, comes in ``<span lang="en">``;
- ``{{ offer|localised_text:"title" }}``: the text alone, for a ``<title>``, an
  attribute or a plain-text email;
- ``{{ offer|localised_lang:"description" }}``: `` lang="en"`` when the text fell back
  to English, for a block a span cannot wrap:
  ``<div{{ o|localised_lang:"description" }}>{{ o|localised_text:"description"|linebreaks }}``.

On English pages each gives the English field as it is, with no wrapping.
"""

from django import template
from django.utils.html import format_html

from portal.lib.bilingual import localised as localised_text_of
from portal.lib.bilingual import welsh_active

register = template.Library()


def _english(listing, field: str):
    if isinstance(listing, dict):
        return listing.get(field, "")
    return getattr(listing, field, "")


@register.filter
def localised(listing, field: str):
    if not welsh_active():
        return _english(listing, field)
    return localised_text_of(listing, field, welsh=True).html()


@register.filter
def localised_text(listing, field: str) -> str:
    if not welsh_active():
        return _english(listing, field)
    return localised_text_of(listing, field, welsh=True).text


@register.filter
def localised_lang(listing, field: str) -> str:
    if not welsh_active():
        return ""
    text = localised_text_of(listing, field, welsh=True)
    return format_html(' lang="{}"', text.lang) if text.fell_back else ""
