"""The words a founder agrees to when asking for advice, and their version.

The version is stored with each request (``consent_version``), so what each person
agreed to can be shown later. Change the wording only together with a new version.
"""

from django.utils.translation import gettext as _

CONSENT_VERSION = "2025-06"


def consent_label(organisation_name: str) -> str:
    """The consent checkbox's label, naming the organisation."""
    return _(
        "I agree to share my contact details, what I want help with, my business "
        "profile, my diagnostic answers and scores, and the recommendations I chose "
        "with %(organisation)s, so that its business support team can contact me "
        "about them."
    ) % {"organisation": organisation_name}


def consent_refused_message(organisation_name: str) -> str:
    return _(
        "Tick the box to agree to share your details with %(organisation)s. "
        "Without it we cannot send your request."
    ) % {"organisation": organisation_name}
