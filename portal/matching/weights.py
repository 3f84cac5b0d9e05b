"""The matcher's tuning: every weight and threshold, named, with why it is what it is.

Scores are sums of components, each in [0, 1], times the weight beside it here; a test
(tests/matching/test_weights.py) pins the effect of each weight, so a change to one is a
deliberate change to the ranking. Vocabulary keys are those of portal/lib/vocabularies.py
and of the questionnaire's flags.
"""

# --- Hard rules -------------------------------------------------------------------------
# An opportunity must leave a business at least this long to bid.
OPPORTUNITY_MIN_DAYS_LEFT = 3
# An offer whose review is more than this many days overdue is not recommended: its facts
# may no longer hold (the catalogue still shows it, marked "may be out of date").
OFFER_MAX_DAYS_OVERDUE = 60

# --- Offers: score components -----------------------------------------------------------
# How much the offer's dimensions cover the business's gaps (100 − score, over 100). The
# strongest reason to recommend anything, so the largest weight.
W_GAP = 4.0
# Within the gap component: the share taken by the offer's most-needed dimension; the rest
# is the mean over all its dimensions, so a focused offer beats one that lists every
# dimension (generic advice) for the same top gap.
GAP_TOP_SHARE = 0.7
# A critical flag lifts its dimension above every gap (its gap counts as 1 + this).
FLAG_LIFT = 0.5
# An offer that fixes a critical flag the business has (its dimension, and its kind or
# its words match the flag's recommendation).
W_FLAG_FIX = 3.0
# The offer's kind suits the business's band in that dimension (QUESTIONNAIRE.md's gap
# table, KIND_FIT below).
W_KIND_FIT = 1.2
# The offer helps with something the business plans to do in the next 12 months.
W_PLAN = 1.5
# Local over regional over national: a council's own offer, then the region's.
W_PLACE = 0.8
PLACE_COUNCIL = 1.0
PLACE_REGION = 0.6
PLACE_UK = 0.0
# Free first for micro and pre-start businesses; a little for everyone else.
W_COST_SMALL = 1.0
W_COST_OTHER = 0.2
COST_VALUE = {"free": 1.0, "subsidised": 0.5, "paid": 0.0}
# Closing soon: a round that closes within this many days is worth seeing now.
CLOSING_SOON_DAYS = 30
W_CLOSING = 0.3
# Reviewed by a curator in the last 6 months.
FRESH_DAYS = 183
W_FRESH = 0.3

# --- Diversity --------------------------------------------------------------------------
# In the top DIVERSE_TOP, never three of one kind in a row while an offer of another kind
# scores within DIVERSITY_TOLERANCE of the one it would displace.
DIVERSE_TOP = 10
DIVERSITY_TOLERANCE = 0.10

# --- Opportunities: score components ----------------------------------------------------
# What the business supplies, against the opportunity's CPV codes: the same class or finer,
# the same group, the same division.
W_SUPPLIES = 4.0
SUPPLIES_EXACT = 1.0
SUPPLIES_GROUP = 0.7
SUPPLIES_DIVISION = 0.4
# The business's sector usually supplies these CPV divisions (SECTOR_DIVISIONS below).
W_SECTOR = 1.0
W_OPPORTUNITY_PLACE = 1.0
# Suitable for SMEs, for a business that is one; "not suitable" counts against.
W_SME = 0.8
# A contract whose yearly value is over half the top of the business's turnover band:
# buyers commonly ask for a yearly turnover of twice the contract's yearly value.
W_VALUE_TOO_LARGE = 2.0
# Procurement readiness (the trade dimension's score over 100) makes every contract a
# little more reachable.
W_READINESS = 0.5
# Public IT contracts (CPV divisions in CYBER_ESSENTIALS_DIVISIONS) for a business flagged
# without Cyber Essentials: ranked down a little and told why.
W_NO_CYBER_ESSENTIALS = 0.5
CYBER_ESSENTIALS_DIVISIONS = ("48", "72")
W_OPPORTUNITY_CLOSING = 0.2
# The plan to bid for public contracts lifts public buyers' opportunities.
W_BID_PLAN = 0.5

# --- Tables -----------------------------------------------------------------------------
LOW, ESTABLISHED, ADVANCED = "low", "established", "advanced"
BAND_GROUP = {
    "starting": LOW,
    "developing": LOW,
    "established": ESTABLISHED,
    "advanced": ADVANCED,
}
# QUESTIONNAIRE.md, "Gap → support kind": which kinds suit a business at each band.
KIND_FIT = {
    "strategy": {
        LOW: {"advice_and_mentoring", "event"},
        ESTABLISHED: {"training_course", "network_or_peer_group"},
        ADVANCED: {"accelerator", "network_or_peer_group"},
    },
    "skills": {
        LOW: {"training_course", "event"},
        ESTABLISHED: {"training_course", "voucher"},
        ADVANCED: {"network_or_peer_group"},
    },
    "adoption": {
        LOW: {"training_course", "advice_and_mentoring", "voucher"},
        ESTABLISHED: {"grant", "voucher"},
        ADVANCED: {"accelerator", "network_or_peer_group"},
    },
    "data": {
        LOW: {"advice_and_mentoring", "training_course"},
        ESTABLISHED: {"grant", "voucher"},
        ADVANCED: {"grant", "advice_and_mentoring"},
    },
    "cyber": {
        LOW: {"advice_and_mentoring", "voucher", "grant"},
        ESTABLISHED: {"advice_and_mentoring"},
        ADVANCED: set(),
    },
    "innovation": {
        LOW: {"event", "advice_and_mentoring"},
        ESTABLISHED: {"grant", "voucher"},
        ADVANCED: {"accelerator", "incubator", "equity_investment"},
    },
    "finance": {
        LOW: {"advice_and_mentoring"},
        ESTABLISHED: {"loan", "training_course"},
        ADVANCED: {"equity_investment", "accelerator"},
    },
    "trade": {
        LOW: {"event", "training_course"},
        ESTABLISHED: {"advice_and_mentoring", "network_or_peer_group"},
        ADVANCED: {"accelerator"},
    },
}
# The profile's plans for the next 12 months, and the dimensions that serve each.
PLAN_DIMENSIONS = {
    "raise_finance": {"finance"},
    "hire": {"skills"},
    "export": {"trade"},
    "bid_public_contracts": {"trade", "cyber"},
    "adopt_software": {"adoption"},
    "research_development": {"innovation"},
}
# The kinds of support that serve each plan outright (a loan for a business raising
# finance); with the plan's dimension, they make the plan's component whole.
PLAN_KINDS = {
    "raise_finance": {"loan", "equity_investment", "grant"},
    "hire": {"training_course"},
    "export": {"advice_and_mentoring", "training_course", "accelerator", "loan"},
    "bid_public_contracts": {"training_course", "event", "advice_and_mentoring"},
    "adopt_software": {"voucher", "grant", "training_course", "advice_and_mentoring"},
    "research_development": {"grant", "voucher", "accelerator", "incubator"},
}
# Within the plan component: the plan's dimension, its kinds (with the dimension), and
# its words.
PLAN_BY_DIMENSION = 0.5
PLAN_BY_KIND = 0.25
PLAN_BY_WORDS = 0.25
# An offer whose words show it serves a specialised plan the business does not have (an
# export loan for a business that does not plan to export) is ranked down.
SPECIALISED_PLANS = ("export", "bid_public_contracts")
W_UNPLANNED = 1.0
# Words in an offer's title or summary that show it serves a plan outright (an export
# programme for exporters), whatever dimensions the curator ticked.
PLAN_WORDS = {
    "raise_finance": ("finance", "investment", "investor", "loan", "funding"),
    "hire": ("recruit", "hiring", "apprentice", "kickstart"),
    "export": ("export", "international", "overseas"),
    "bid_public_contracts": ("tender", "procurement", "public sector", "bid "),
    "adopt_software": ("software", "digital adoption", "technology adoption"),
    "research_development": ("r&d", "research", "innovation", "innovate"),
}
# Critical flags: the kinds and the words of the offers that fix each (the questionnaire's
# own "recommend" list, turned into rules). An offer fixes a flag when it has the flag's
# dimension and either a word or (with no words given) one of the kinds.
FLAG_FIXES = {
    "no_offsite_backup": {
        "kinds": {"advice_and_mentoring", "voucher", "training_course"},
        "words": ("backup", "back-up", "ransomware", "resilien", "cyber"),
    },
    "no_cyber_essentials_for_public_contracts": {
        "kinds": {"advice_and_mentoring", "voucher", "grant"},
        "words": ("cyber essentials",),
    },
    "no_accounting_software": {
        "kinds": {"advice_and_mentoring", "training_course", "voucher"},
        "words": ("accounting", "bookkeeping", "making tax digital", "software"),
    },
    "not_registered_on_central_digital_platform": {
        "kinds": {"training_course", "event", "advice_and_mentoring"},
        "words": ("tender", "procurement", "bid", "public sector", "supplier"),
    },
    "finances_not_ready_to_raise": {
        "kinds": {"advice_and_mentoring", "training_course"},
        "words": ("financ", "investment readiness", "investor", "cash"),
    },
    "low_essential_digital_skills": {
        "kinds": {"training_course"},
        "words": ("skills", "training", "course", "bootcamp"),
    },
    "personal_data_duties_not_met": {
        "kinds": {"advice_and_mentoring", "training_course"},
        "words": ("gdpr", "data protection", "personal data", "privacy"),
    },
    "slow_connection": {
        "kinds": {"voucher", "grant", "advice_and_mentoring"},
        "words": ("broadband", "gigabit", "connectivity", "full fibre", "5g"),
    },
}
# SIC 2007 sections and the CPV divisions their businesses usually supply.
SECTOR_DIVISIONS = {
    "A": ("03", "77"),
    "B": ("14",),
    "C": (
        "15",
        "18",
        "19",
        "22",
        "24",
        "30",
        "31",
        "32",
        "33",
        "34",
        "35",
        "37",
        "39",
        "42",
        "43",
        "44",
    ),
    "D": ("09", "65"),
    "E": ("41", "90"),
    "F": ("44", "45", "71"),
    "G": ("03", "15", "18", "22", "30", "33", "39", "44"),
    "H": ("60", "63", "64"),
    "I": ("55",),
    "J": ("22", "30", "32", "48", "64", "72", "79", "92"),
    "K": ("66",),
    "L": ("70",),
    "M": ("71", "72", "73", "79"),
    "N": ("50", "79", "90", "98"),
    "O": ("75",),
    "P": ("80",),
    "Q": ("85",),
    "R": ("92",),
    "S": ("98",),
    "T": (),
    "U": (),
}
# The top of each turnover band, in pounds (None: not known or no ceiling used).
TURNOVER_TOP = {
    "none_yet": 0,
    "under_50k": 50_000,
    "50k_to_100k": 100_000,
    "100k_to_250k": 250_000,
    "250k_to_500k": 500_000,
    "500k_to_1m": 1_000_000,
    "1m_to_2m": 2_000_000,
    "2m_to_5m": 5_000_000,
    "5m_to_10m": 10_000_000,
    "10m_to_50m": 50_000_000,
    "50m_or_more": None,
    "prefer_not_to_say": None,
}
SME_SIZES = ("micro", "small", "medium")
SMALL_SIZES = ("micro",)
SMALL_STAGES = ("pre_start",)
