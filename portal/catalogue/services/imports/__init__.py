"""Imports: offers from a curator's CSV file (``csv_file.py``) and, sharing the checking,
planning and writing here, from an Open Referral UK feed (``services/feed_import.py``).

One job a module: ``reading.py`` turns an uploaded file into a header and rows,
``checking.py`` validates the rows (each column, the rules between columns, the user's
right to list offers in the places a row names), ``writing.py`` plans and saves what
the valid rows change, and ``report.py`` holds what they share and what the curator
reads.

A CSV file is atomic: a file with any bad row saves nothing (the curator fixes the file
and uploads it again), and the report names each bad row's line and column. A feed,
which its publisher keeps, is read service by service: a service that cannot become an
offer is reported and left out, the others are saved, all in one transaction, so a run
saves everything it reports as done or nothing. Rows are keyed by ``external_id`` within
the curating organisation, so importing the same file or feed again changes nothing.
New offers are drafts (archived, from a feed that says a service is not active); an
import never publishes, and only archives an existing offer when its feed says so.

Both imports read everything they need in a bounded number of queries (the curator's
offers, the places) and write with bulk queries, so 10,000 rows take seconds.
"""
