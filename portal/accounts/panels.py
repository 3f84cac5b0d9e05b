"""Panels that apps above accounts add to the account page, so accounts never imports
them: the contract pages (procurement), the person's diagnostics.

An app registers its panel from its ``AppConfig.ready`` (portal/lib/panels.py);
``context_function(*, request, user)`` returns the template's context, or None to
leave the panel out for this person. The page shows them in ``order`` below the
membership requests.
"""

from django.utils.safestring import SafeString

from portal.lib.panels import PanelRegistry

ACCOUNT_PANELS = PanelRegistry("account")


register_account_panel = ACCOUNT_PANELS.register
unregister_account_panel = ACCOUNT_PANELS.unregister
account_panels = ACCOUNT_PANELS.panels


def render_account_panels(*, request, user) -> list[SafeString]:
    return ACCOUNT_PANELS.render(request=request, user=user)
