"""What the asking pages show, worked out in Python: the back link, and "what we will
share" as summary-list rows."""

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from portal.advice.asking import Asking, Recommended
from portal.advice.choices import AskedFrom
from portal.core.visitor import VisitorBusiness
from portal.lib.bilingual import Localised, welsh_active
from portal.lib.vocabularies import MaturityLevel


def back_link(asking: Asking) -> tuple[str, str]:
    """(URL, text) of the page the founder came from."""
    if asking.asked_from == AskedFrom.OFFER and asking.offer is not None:
        return reverse("catalogue:offer", args=[asking.offer.slug]), _("Back to the support")
    if asking.asked_from == AskedFrom.RESULTS and asking.assessment is not None:
        return (
            reverse("diagnostics:results", args=[asking.assessment.public_id]),
            _("Back to your results"),
        )
    return reverse("matching:recommended"), _("Back to your recommendations")


def _business_words(asking: Asking) -> str:
    profile = asking.profile
    business = VisitorBusiness(
        council=asking.council.code if asking.council else "",
        size=profile.get("size", ""),
        stage=profile.get("stage", ""),
        sector=profile.get("sector", ""),
    )
    words = business.description()
    return words[:1].upper() + words[1:]


def shared_rows(asking: Asking, asked_about: Recommended | None) -> list[tuple[str, str]]:
    """(what, its value) for each thing the request will copy, besides the form."""
    rows = [(_("Your business"), _business_words(asking))]
    plans = [plan["label"] for plan in asking.profile.get("plans", [])]
    if plans:
        rows.append((_("Your plans"), ", ".join(plans)))
    diagnostic = asking.diagnostic
    if diagnostic:
        assessment = asking.assessment
        band = diagnostic.get("overall_band", "")
        band_label = str(MaturityLevel(band).label) if band in MaturityLevel.values else ""
        completed = formats.date_format(assessment.completed, "j F Y") if assessment else ""
        rows.append(
            (
                _("Your diagnostic"),
                _(
                    "Your answers, scores and flags from the check you completed on "
                    "%(date)s (overall: %(band)s)"
                )
                % {"date": completed, "band": band_label},
            )
        )
    if asked_about is not None:
        # The matcher's English title: marked as English on a Welsh page.
        title = Localised(asked_about.title, fell_back=welsh_active()).html()
        rows.append((_("The support you are asking about"), title))
    return rows
