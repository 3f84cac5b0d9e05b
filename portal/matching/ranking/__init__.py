"""Ranking: which offers and opportunities fit a business, in what order, and why.

Pure functions over the compact candidates of portal/matching/columns.py: eligibility
first (hard rules; an offer failing one is excluded, and the first rule it fails is its
reason), then a score (a weighted sum of components, weights in weights.py), then a
diversity re-rank of the top. Every recommendation carries structured reasons, a code
and its parameters, that templates turn into sentences. No ORM, no translation here.

`offers` ranks support offers, `opportunities` contract opportunities; `places` and
`common` hold what both use (places; the `Ranking` they return, the best-first order).
"""
