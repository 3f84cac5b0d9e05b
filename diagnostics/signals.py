"""Signals the diagnostics send for the apps above them, which must not be imported here.

``assessment_completed`` (sender: the Assessment class, ``assessment``: the one
completed) is sent once the transaction that completed an assessment commits; the
dashboards refresh their figures on it (portal/dashboards/apps.py)."""

from django.dispatch import Signal

assessment_completed = Signal()
