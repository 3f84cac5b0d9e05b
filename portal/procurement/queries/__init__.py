"""Reads for the public contract opportunities, one module a concern:

- ``filters``: ``OpportunityFilters``, what a list URL asks for, its normalised query
  string (what a saved search stores) and its words (what an email shows);
- ``facets``: what each filter option means in the database (value bands, closing
  dates, CPV prefixes) and the options the list counts;
- ``search``: the list's opportunities, its page with the facet counts in a fixed
  number of queries, the word search, and one opportunity's page.
"""
