"""What the staff's pages show, worked out in Python (no logic in templates, no query):
what a request is about, the snapshots as summary rows, and the history in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import formats
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from portal.advice.choices import (
    ContactPreference,
    ErasureReason,
    EventKind,
    OutcomeKind,
    RequestStatus,
)
from portal.advice.models import AdviceEvent, AdviceRequest
from portal.lib.vocabularies import (
    BusinessSize,
    Dimension,
    MaturityLevel,
    SicSection,
    Stage,
    SupportKind,
)

# GOV.UK tag colours of the statuses.
STATUS_TAG_CLASSES = {
    RequestStatus.NEW: "govuk-tag--blue",
    RequestStatus.CONTACTED: "govuk-tag--turquoise",
    RequestStatus.IN_PROGRESS: "govuk-tag--yellow",
    RequestStatus.CLOSED: "govuk-tag--grey",
}


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else ""


def about(advice_request: AdviceRequest) -> str:
    """What the request is about, in a few words: the offer asked about (its title as
    the snapshot has it), else the dimension, else ""."""
    recommendations = advice_request.recommendations or []
    if advice_request.offer_id and recommendations:
        first = recommendations[0]
        if first.get("offer_id") == advice_request.offer_id and first.get("title"):
            return first["title"]
    return _label(Dimension, advice_request.dimension)


def staff_name(user) -> str:
    return user.get_full_name() if user is not None else ""


def founder_name(advice_request: AdviceRequest) -> str:
    """The founder's name, or what stands for it once erased."""
    if advice_request.is_erased:
        return _("Erased")
    return advice_request.name or _("No name given")


def business_rows(advice_request: AdviceRequest) -> list[tuple[str, str]]:
    profile = advice_request.profile or {}
    rows = [
        (_("Council"), advice_request.council.name),
        (_("Size"), _label(BusinessSize, profile.get("size", "")) or _("Not given")),
        (_("Stage"), _label(Stage, profile.get("stage", "")) or _("Not given")),
        (_("Sector"), _label(SicSection, profile.get("sector", "")) or _("Not given")),
    ]
    plans = [plan.get("label", "") for plan in profile.get("plans") or [] if plan.get("label")]
    if plans:
        rows.append((_("Plans"), ", ".join(plans)))
    return rows


@dataclass(frozen=True)
class DimensionRow:
    label: str
    score: str
    band: str
    weakest: bool


@dataclass(frozen=True)
class DiagnosticSummary:
    completed: str
    overall_score: str
    overall_band: str
    weakest: str
    dimensions: list[DimensionRow]
    flags: list[str]

    @property
    def sentences(self) -> list[str]:
        """What the snapshot says of the whole, leaving out what it does not have."""
        sentences = []
        if self.completed:
            sentences.append(_("Completed on %(date)s.") % {"date": self.completed})
        if self.overall_score != "—":
            score = _("Overall score: %(score)s out of 100") % {"score": self.overall_score}
            if self.overall_band:
                score += f" ({self.overall_band})"
            sentences.append(score + ".")
        if self.weakest:
            sentences.append(_("Weakest area: %(area)s.") % {"area": self.weakest})
        return sentences


def _score(value) -> str:
    if isinstance(value, int | float):
        return formats.number_format(round(value))
    return "—"


def diagnostic_summary(advice_request: AdviceRequest) -> DiagnosticSummary | None:
    """The diagnostic as it was when asked; None when they asked without one."""
    diagnostic = advice_request.diagnostic or {}
    if not diagnostic:
        return None
    completed = parse_datetime(diagnostic.get("completed") or "")
    weakest = diagnostic.get("weakest", "")
    return DiagnosticSummary(
        completed=formats.date_format(completed, "j F Y") if completed else "",
        overall_score=_score(diagnostic.get("overall_score")),
        overall_band=_label(MaturityLevel, diagnostic.get("overall_band", "")),
        weakest=_label(Dimension, weakest),
        dimensions=[
            DimensionRow(
                label=_label(Dimension, row.get("key", "")) or row.get("key", ""),
                score=_score(row.get("score")),
                band=_label(MaturityLevel, row.get("band", "")) or "—",
                weakest=row.get("key") == weakest,
            )
            for row in diagnostic.get("dimensions") or []
        ],
        flags=[
            flag.get("label", "") for flag in diagnostic.get("flags") or [] if flag.get("label")
        ],
    )


@dataclass(frozen=True)
class SharedRecommendation:
    title: str
    slug: str
    kind: str
    dimensions: str
    reasons: list[str]
    asked_about: bool


def shared_recommendations(advice_request: AdviceRequest) -> list[SharedRecommendation]:
    """The offer asked about and the recommendations the founder chose to share."""
    shared = []
    for item in advice_request.recommendations or []:
        shared.append(
            SharedRecommendation(
                title=item.get("title", ""),
                slug=item.get("slug", ""),
                kind=_label(SupportKind, item.get("kind", "")),
                dimensions=", ".join(
                    _label(Dimension, key) for key in item.get("dimensions") or [] if key
                ),
                reasons=[reason for reason in item.get("reasons") or [] if reason],
                asked_about=bool(advice_request.offer_id)
                and item.get("offer_id") == advice_request.offer_id,
            )
        )
    return shared


def contact_text(advice_request: AdviceRequest) -> str:
    return _label(ContactPreference, advice_request.contact_preference)


def _offer_title(advice_request: AdviceRequest, offer_id) -> str:
    for item in advice_request.recommendations or []:
        if item.get("offer_id") == offer_id:
            return item.get("title", "")
    outcome_offer = advice_request.outcome_offer
    if outcome_offer is not None and outcome_offer.pk == offer_id:
        return outcome_offer.title
    return ""


def outcome_text(advice_request: AdviceRequest) -> str:
    """The recorded outcome in words: its kind, to whom or to what, and the support it
    concerns; "" while there is none."""
    if not advice_request.outcome_kind:
        return ""
    parts = [_label(OutcomeKind, advice_request.outcome_kind)]
    if advice_request.outcome_text:
        parts.append(advice_request.outcome_text)
    if advice_request.outcome_offer_id:
        title = _offer_title(advice_request, advice_request.outcome_offer_id)
        if title:
            parts.append(_("concerns: %(title)s") % {"title": title})
    return " — ".join(parts)


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    what: str
    who: str


def _event_text(event: AdviceEvent, advice_request: AdviceRequest) -> str:
    details = event.details or {}
    kind = event.kind
    if kind == EventKind.ASSIGNED:
        if details.get("assignee"):
            return _("Assigned to %(person)s") % {"person": details["assignee"]}
        return _("No longer assigned to anyone")
    if kind == EventKind.STATUS_CHANGED:
        return _("Status changed from %(from)s to %(to)s") % {
            "from": _label(RequestStatus, details.get("from", "")).lower(),
            "to": _label(RequestStatus, details.get("to", "")).lower(),
        }
    if kind == EventKind.OUTCOME_RECORDED:
        text = _("Outcome recorded: %(outcome)s") % {
            "outcome": _label(OutcomeKind, details.get("kind", "")).lower()
        }
        title = _offer_title(advice_request, details.get("offer_id"))
        if details.get("offer_id") and title:
            text += " " + _("(concerns %(title)s)") % {"title": title}
        return text
    if kind == EventKind.ERASED:
        reason = _label(ErasureReason, details.get("reason", ""))
        return _("Personal details erased: %(reason)s") % {"reason": reason.lower()}
    if kind == EventKind.EMAILED:
        to = {"founder": _("the founder"), "team": _("the team"), "managers": _("the managers")}
        return _("Email sent to %(to)s") % {"to": to.get(details.get("to", ""), _("someone"))}
    return _label(EventKind, kind)


def history(events: list[AdviceEvent], advice_request: AdviceRequest) -> list[HistoryEntry]:
    """The request's history in words, newest first. ``who`` is the member of staff, or
    what stands for the founder or the site."""
    entries = []
    for event in events:
        if event.actor is not None:
            who = staff_name(event.actor)
        elif event.kind in (EventKind.CREATED, EventKind.WITHDRAWN):
            who = _("The founder")
        else:
            who = settings.SERVICE_NAME
        entries.append(
            HistoryEntry(when=event.created, what=_event_text(event, advice_request), who=who)
        )
    entries.reverse()
    return entries
