"""Every write to the catalogue, split by topic: curation, referrals, imports."""
