"""Signals procurement sends for the apps above it, which must not be imported here.

``opportunity_viewed`` (sender: the Opportunity class, ``opportunity``: the one shown)
is sent when an opportunity's public page is shown; the dashboards count the views per
day, anonymously (portal/dashboards/apps.py)."""

from django.dispatch import Signal

opportunity_viewed = Signal()
