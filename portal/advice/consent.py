"""The words a founder agrees to when asking for advice, and their version.

The version is stored with each request (``consent_version``), so what each person
agreed to can be shown later (with a diagnostic or without: the request's snapshot says
which). Change the wording only together with a new version.
"""

from django.utils.translation import gettext as _

CONSENT_VERSION = "2025-06"


def consent_label(organisation_name: str, *, with_diagnostic: bool) -> str:
    """The consent checkbox's label, naming the organisation; the diagnostic is named
    only when the request will carry its answers and scores."""
    if with_diagnostic:
        text = _(
            "I agree to share my contact details, what I want help with, my business "
            "profile, my diagnostic answers and scores, and the recommendations I chose "
            "with %(organisation)s, so that its business support team can contact me "
            "about them."
        )
    else:
        text = _(
            "I agree to share my contact details, what I want help with, my business "
            "profile and the support I chose with %(organisation)s, so that its "
            "business support team can contact me about them."
        )
    return text % {"organisation": organisation_name}


def consent_refused_message(organisation_name: str) -> str:
    return _(
        "Tick the box to agree to share your details with %(organisation)s. "
        "Without it we cannot send your request."
    ) % {"organisation": organisation_name}
