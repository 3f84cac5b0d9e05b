"""Who may see which dashboard: the public summary is everyone's; the fuller dashboard
is for analysts, any member of a local-authority organisation, for the places their
organisation covers, and for moderators everywhere (portal/accounts/permissions.py)."""
