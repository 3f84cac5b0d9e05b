"""Panels that apps above matching add to the "Recommended for you" page, so matching
never imports them: "Ask an adviser about this" (portal/advice).

An app registers its panel from its ``AppConfig.ready`` (portal/lib/panels.py);
``context_function(*, request, assessment, business)`` (the visitor's completed
assessment or None when ranked from a profile alone, and the matcher's Business) returns
the template's context, or None to leave the panel out. The page shows them in
``order`` below the lists, on the full page only (not in the fragment the filters swap
in). A panel's context function runs on every view of the page: it should not query.
"""

from django.utils.safestring import SafeString

from portal.lib.panels import PanelRegistry

RECOMMENDED_PANELS = PanelRegistry("recommended")


register_recommended_panel = RECOMMENDED_PANELS.register
unregister_recommended_panel = RECOMMENDED_PANELS.unregister
recommended_panels = RECOMMENDED_PANELS.panels


def render_recommended_panels(*, request, assessment, business) -> list[SafeString]:
    return RECOMMENDED_PANELS.render(request=request, assessment=assessment, business=business)
