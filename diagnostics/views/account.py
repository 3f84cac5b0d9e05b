"""The person's diagnostics on the account page (portal/accounts/panels.py),
registered by DiagnosticsConfig.ready."""

ACCOUNT_PANEL_TEMPLATE = "diagnostics/account_panel.html"


def account_panel_context(*, request, user) -> dict:
    return {"assessments": user.assessments.all()}
