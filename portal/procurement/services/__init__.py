"""Writes to contract opportunities: posting (``posting.py``). Each module's functions
run in a transaction and re-check the permission rules, whatever the view allowed."""
