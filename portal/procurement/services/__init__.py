"""Writes to contract opportunities: posting (``posting.py``), and saved searches, their
alerts and saved opportunities (``alerts.py``). Each module's functions run in a
transaction and re-check the permission rules, whatever the view allowed."""
