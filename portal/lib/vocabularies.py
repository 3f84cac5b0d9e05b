"""The fixed vocabularies every app shares (DESIGN.md, "Vocabularies").

One source of truth: models, forms, filters, the matcher and the APIs use these, and
the questionnaire definitions' profile options carry the same keys (a test checks).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessSize(models.TextChoices):
    MICRO = "micro", _("Micro (0 to 9 staff)")
    SMALL = "small", _("Small (10 to 49 staff)")
    MEDIUM = "medium", _("Medium (50 to 249 staff)")
    LARGE = "large", _("Large (250 staff or more)")


# Each size as the adjective a sentence uses: "open to micro businesses", "35 medium-sized
# businesses in Wales".
SIZE_ADJECTIVES = {
    BusinessSize.MICRO: _("micro"),
    BusinessSize.SMALL: _("small"),
    BusinessSize.MEDIUM: _("medium-sized"),
    BusinessSize.LARGE: _("large"),
}


class Stage(models.TextChoices):
    PRE_START = "pre_start", _("Pre-start")
    START_UP = "start_up", _("Start-up (trading under 3 years)")
    GROWING = "growing", _("Growing")
    ESTABLISHED = "established", _("Established")
    SCALING = "scaling", _("Scaling")


class SicSection(models.TextChoices):
    """The 21 sections of the UK Standard Industrial Classification 2007."""

    A = "A", _("Agriculture, forestry and fishing")
    B = "B", _("Mining and quarrying")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, gas, steam and air conditioning supply")
    E = "E", _("Water supply, sewerage, waste management and remediation")
    F = "F", _("Construction")
    G = "G", _("Wholesale and retail trade; repair of motor vehicles")
    H = "H", _("Transportation and storage")
    I = "I", _("Accommodation and food services")  # noqa: E741
    J = "J", _("Information and communication")
    K = "K", _("Financial and insurance activities")
    L = "L", _("Real estate activities")
    M = "M", _("Professional, scientific and technical activities")
    N = "N", _("Administrative and support services")
    O = "O", _("Public administration and defence")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Human health and social work")
    R = "R", _("Arts, entertainment and recreation")
    S = "S", _("Other service activities")
    T = "T", _("Households as employers")
    U = "U", _("Extraterritorial organisations and bodies")


class SupportKind(models.TextChoices):
    ACCELERATOR = "accelerator", _("Accelerator")
    INCUBATOR = "incubator", _("Incubator")
    GRANT = "grant", _("Grant")
    LOAN = "loan", _("Loan")
    EQUITY_INVESTMENT = "equity_investment", _("Equity investment")
    VOUCHER = "voucher", _("Voucher")
    TRAINING_COURSE = "training_course", _("Training course")
    ADVICE_AND_MENTORING = "advice_and_mentoring", _("Advice and mentoring")
    NETWORK_OR_PEER_GROUP = "network_or_peer_group", _("Network or peer group")
    EVENT = "event", _("Event")


class Dimension(models.TextChoices):
    """The eight dimensions of the digital maturity diagnostic."""

    STRATEGY = "strategy", _("Digital strategy and leadership")
    SKILLS = "skills", _("Digital skills")
    ADOPTION = "adoption", _("Digital adoption")
    DATA = "data", _("Data")
    CYBER = "cyber", _("Cyber security and infrastructure")
    INNOVATION = "innovation", _("Research and innovation")
    FINANCE = "finance", _("Finance and investment readiness")
    TRADE = "trade", _("Trade, markets and procurement readiness")


class MaturityLevel(models.TextChoices):
    STARTING = "starting", _("Starting")
    DEVELOPING = "developing", _("Developing")
    ESTABLISHED = "established", _("Established")
    ADVANCED = "advanced", _("Advanced")
