"""Columns that apps above procurement add to the posting dashboard's table of
opportunities, so procurement never imports them: "Page views" (portal/dashboards).

An app registers its column from its ``AppConfig.ready`` (portal/lib/panels.py);
``figures_function(opportunity_ids)`` returns each opportunity's figure by its id, in
one query whatever the number of rows shown.
"""

from portal.lib.panels import ColumnRegistry

POSTING_COLUMNS = ColumnRegistry("posting dashboard")

register_posting_column = POSTING_COLUMNS.register
unregister_posting_column = POSTING_COLUMNS.unregister
posting_table = POSTING_COLUMNS.table
