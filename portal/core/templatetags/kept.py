"""``{% kept key ... %}...{% endkept %}``: a fragment rendered once per process for each
key, then repeated.

For the page's frame (header, footer), whose markup changes only with the code, the
settings, the language, the URLconf and the keys given (the current page, say): every
page rendered it again, a quarter of the support list's rendering time. Nothing that
differs between requests of the same key may be inside (a user, a CSRF token, a nonce).
Kept in the process, not the shared cache: a fetch from Redis would cost more than the
rendering, and a new release starts new processes, so no fragment outlives its code.
"""

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

# Enough for every page of every language; past it, a node starts again.
MOST_KEPT = 1000


class KeptNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist = nodelist
        self.keys = keys
        self.rendered: dict[tuple, str] = {}

    def render(self, context):
        key = (
            get_language(),
            get_urlconf(settings.ROOT_URLCONF),
            get_script_prefix(),
            *(key.resolve(context) for key in self.keys),
        )
        rendered = self.rendered.get(key)
        if rendered is None:
            rendered = self.nodelist.render(context)
            if len(self.rendered) >= MOST_KEPT:
                self.rendered.clear()
            self.rendered[key] = rendered
        return rendered


@register.tag
def kept(parser, token):
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endkept",))
    parser.delete_first_token()
    return KeptNode(nodelist, keys)
