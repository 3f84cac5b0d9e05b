"""The contract pages' panel on the account page (portal/accounts/panels.py),
registered by ProcurementConfig.ready."""

from portal.procurement.rules import can_post_opportunities

ACCOUNT_PANEL_TEMPLATE = "procurement/account_panel.html"


def account_panel_context(*, request, user) -> dict:
    return {"can_post": can_post_opportunities(user)}
