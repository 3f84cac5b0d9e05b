"""The staff's forms: the queue's filters (a GET form), and the actions on a request
(assign, note, status, outcome). Forms validate; portal/advice/casework.py changes."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.advice import queue
from portal.advice.choices import STATUS_TRANSITIONS, OutcomeKind, RequestStatus
from portal.lib.forms import ModelChoiceField


class QueueFilterForm(forms.Form):
    """The queue's filters. A value that is not one of the choices (an old or edited
    link) is set aside for the default, never an error page."""

    status = forms.ChoiceField(
        label=_("Status"), choices=list(queue.STATUS_FILTERS.items()), widget=forms.RadioSelect
    )
    assigned = forms.ChoiceField(
        label=_("Assigned to"),
        choices=list(queue.ASSIGNED_FILTERS.items()),
        required=False,
        widget=forms.RadioSelect,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=list(queue.SORTS.items()))

    DEFAULTS = {"status": queue.OPEN, "assigned": queue.ANYONE, "sort": queue.NEWEST}

    def __init__(self, data, *, counts: dict[str, int]):
        values = {name: data.get(name, default) for name, default in self.DEFAULTS.items()}
        super().__init__(values)
        for name in ("status", "assigned"):
            self.fields[name].label_classes = "govuk-fieldset__legend--s"
            self.fields[name].widget.attrs["class"] = "govuk-radios--small"
        self.fields["status"].choices = [
            (key, f"{label} ({counts.get(key, 0)})") for key, label in queue.STATUS_FILTERS.items()
        ]

    def filters(self) -> dict[str, str]:
        """Each filter's value, or its default where the link's was not a choice."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: cleaned.get(name, default) if name not in self.errors else default
            for name, default in self.DEFAULTS.items()
        }


class AssignForm(forms.Form):
    assignee = ModelChoiceField(
        label=_("Assign to"),
        queryset=None,
        required=False,
        empty_label=_("Nobody (not assigned)"),
    )

    def __init__(self, *args, advice_request, user, **kwargs):
        super().__init__(*args, prefix="assign", **kwargs)
        field = self.fields["assignee"]
        field.queryset = queue.assignable_staff(advice_request.organisation)
        field.initial = advice_request.assigned_to_id
        field.error_messages["invalid_choice"] = gettext(
            "Choose a member of %(organisation)s: only its staff can be given its requests"
        ) % {"organisation": advice_request.organisation.name}

        def label(person):
            name = person.get_full_name()
            return gettext("%(name)s (you)") % {"name": name} if person.pk == user.pk else name

        field.label_from_instance = label


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Add a note"),
        help_text=_("Only your organisation’s staff see notes. The founder can ask for them."),
        max_length=5000,
        error_messages={
            "required": _("Enter the note"),
            "max_length": _("The note must be 5,000 characters or fewer"),
        },
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="note", **kwargs)

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Enter the note"), code="required")
        return text


class StatusForm(forms.Form):
    """The statuses the request may move to next, but closed: closing records the
    outcome (OutcomeForm)."""

    status = forms.ChoiceField(
        label=_("Change the status"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the new status"),
            "invalid_choice": _("Choose one of the statuses listed"),
        },
    )

    def __init__(self, *args, advice_request, **kwargs):
        super().__init__(*args, prefix="status", **kwargs)
        allowed = STATUS_TRANSITIONS.get(advice_request.status, frozenset())
        field = self.fields["status"]
        field.choices = [
            (status.value, status.label)
            for status in RequestStatus
            if status in allowed and status != RequestStatus.CLOSED
        ]
        field.label_classes = "govuk-fieldset__legend--s"


class OutcomeForm(forms.Form):
    """What came of the request, to whom or to what, and which of the recommendations
    it shared (or the offer it asked about) the outcome concerns."""

    NONE = "none"

    outcome_kind = forms.ChoiceField(
        label=_("What came of it?"),
        choices=OutcomeKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what came of the request"),
            "invalid_choice": _("Choose what came of the request"),
        },
    )
    outcome_text = forms.CharField(
        label=_("To whom, or to what?"),
        help_text=_(
            "For example, referred to the Growth Hub’s export adviser, or applied to the "
            "Data basics course"
        ),
        required=False,
        max_length=500,
        error_messages={"max_length": _("This must be 500 characters or fewer")},
    )
    outcome_offer = forms.ChoiceField(
        label=_("Which support does it concern?"),
        widget=forms.RadioSelect,
        required=False,
        error_messages={
            "invalid_choice": _("Choose one of the recommendations listed, or none of them")
        },
    )

    def __init__(self, *args, advice_request, **kwargs):
        super().__init__(*args, prefix="outcome", **kwargs)
        for name in ("outcome_kind", "outcome_offer"):
            self.fields[name].label_classes = "govuk-fieldset__legend--s"
        offers = _shared_offers(advice_request)
        if offers:
            self.fields["outcome_offer"].choices = [
                *offers,
                (self.NONE, gettext("None of these")),
            ]
            self.fields["outcome_offer"].initial = self.NONE
        else:
            del self.fields["outcome_offer"]

    def clean_outcome_text(self):
        return " ".join(self.cleaned_data["outcome_text"].split())

    def clean(self):
        cleaned = super().clean()
        kind, text = cleaned.get("outcome_kind"), cleaned.get("outcome_text")
        offer = cleaned.get("outcome_offer") not in (None, "", self.NONE)
        if "outcome_text" in self.errors or text:
            return cleaned
        if kind == OutcomeKind.REFERRED:
            self.add_error("outcome_text", _("Say whom you referred them to"))
        elif kind == OutcomeKind.APPLIED and not offer:
            self.add_error(
                "outcome_text",
                _("Say what they applied for, or choose it from the recommendations")
                if "outcome_offer" in self.fields
                else _("Say what they applied for"),
            )
        elif kind == OutcomeKind.OTHER:
            self.add_error("outcome_text", _("Say what came of the request"))
        return cleaned

    def outcome(self) -> dict:
        """The arguments of casework.close_request."""
        chosen = self.cleaned_data.get("outcome_offer")
        return {
            "outcome_kind": self.cleaned_data["outcome_kind"],
            "outcome_text": self.cleaned_data["outcome_text"],
            "outcome_offer_id": int(chosen) if chosen not in (None, "", self.NONE) else None,
        }


def _shared_offers(advice_request) -> list[tuple[str, str]]:
    """(offer id, title) of the offer asked about and the recommendations shared, as the
    snapshot has them, each once."""
    offers = {}
    for item in advice_request.recommendations or ():
        offer_id = item.get("offer_id")
        if isinstance(offer_id, int) and offer_id not in offers:
            offers[offer_id] = item.get("title") or gettext("Support %(id)s") % {"id": offer_id}
    return [(str(offer_id), title) for offer_id, title in offers.items()]
