"""Panels that apps above catalogue add to an offer's public page, so catalogue never
imports them: "Ask an adviser about this" (portal/advice).

An app registers its panel from its ``AppConfig.ready`` (portal/lib/panels.py);
``context_function(*, request, offer)`` returns the template's context, or None to
leave the panel out for this offer. The page shows them in ``order`` below "How to
apply". A panel's context function runs on every view of the page: it should not query.
"""

from django.utils.safestring import SafeString

from portal.lib.panels import PanelRegistry

OFFER_PANELS = PanelRegistry("offer")


register_offer_panel = OFFER_PANELS.register
unregister_offer_panel = OFFER_PANELS.unregister
offer_panels = OFFER_PANELS.panels


def render_offer_panels(*, request, offer) -> list[SafeString]:
    return OFFER_PANELS.render(request=request, offer=offer)
