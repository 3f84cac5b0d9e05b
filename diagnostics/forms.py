"""The diagnostic's forms, built from the questionnaire definition.

Forms validate and turn what was posted into answers as `scoring.score` reads them (an
option key, a list of option keys, a mapping of rows to columns, or "dont_know");
services store them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from diagnostics.definitions import (
    DONT_KNOW,
    Count,
    Definition,
    Grid,
    Ladder,
    Option,
    ProfileField,
    Question,
    StageScale,
    TickList,
)
from diagnostics.profile_kinds import profile_kind
from portal.lib.forms import EmailAddressField
from portal.places.forms import CouncilChoiceField

CHOICES_TEMPLATE = "diagnostics/fields/choices.html"

# The posted value of a tick-list's "None of these" when the definition has no exclusive
# option of its own; stored as an empty list. Definition keys cannot start with "_".
NONE_OF_THESE = "_none"

# More options than this and a single choice is a select rather than radios.
MOST_RADIOS = 12

PROFILE_REQUIRED_MESSAGES = {
    "council": _("Select the council area your business is in"),
    "size": _("Select how many people work in your business"),
    "stage": _("Select what stage your business is at"),
    "sic_section": _("Select the industry your business is mainly in"),
    "turnover": _("Select your turnover in the last 12 months"),
    "role": _("Select your role in the business"),
}


class _GroupMixin:
    """Radios or checkboxes that can show a hint per option, an "or" divider, and mark
    options exclusive (GOV.UK Frontend unticks the others when one is ticked)."""

    def __init__(self, *args, hints=None, exclusive=(), divider_before=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = dict(hints or {})
        self.exclusive = frozenset(exclusive)
        self.divider_before = divider_before

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["hint"] = self.hints.get(value, "")
        if option["hint"]:
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}-hint"
        if value in self.exclusive:
            option["attrs"]["data-behaviour"] = "exclusive"
        option["divider_before"] = value == self.divider_before
        return option


class GroupRadioSelect(_GroupMixin, forms.RadioSelect):
    pass


class GroupCheckboxSelectMultiple(_GroupMixin, forms.CheckboxSelectMultiple):
    pass


def _hints(options: tuple[Option, ...]) -> dict[str, str]:
    return {option.key: option.hint for option in options if option.hint}


class DraftMixin:
    """A page saved unfinished: what was posted for the form's fields, kept as it was
    (`draft_values`), and shown again as the form's initial values (`show_draft`), so that
    nothing is marked as an error until the person continues."""

    def draft_values(self) -> dict[str, list[str]]:
        """The posted values of each field, by the name they were posted under."""
        return {
            self.add_prefix(name): self.data.getlist(self.add_prefix(name)) for name in self.fields
        }

    def show_draft(self, draft: Mapping[str, list[str]]) -> None:
        """Show `draft` (from `draft_values`) in place of the stored answers: each widget reads
        its value from the draft as it would from a post, and a field not in it is empty.
        Call before the form is rendered."""
        data = MultiValueDict({name: list(values) for name, values in draft.items()})
        files = MultiValueDict()
        self.initial = {
            **self.initial,
            **{
                name: field.widget.value_from_datadict(data, files, self.add_prefix(name))
                for name, field in self.fields.items()
            },
        }


# Profile -----------------------------------------------------------------------------------


def _profile_field(definition_field: ProfileField) -> forms.Field:
    label = definition_field.text
    hint = definition_field.hint
    required_message = PROFILE_REQUIRED_MESSAGES.get(
        definition_field.key, _("Answer the question: %(question)s") % {"question": label}
    )
    messages = {"required": required_message, "invalid_choice": required_message}
    if definition_field.kind == "cpv":
        # Optional, and checked against a vocabulary another app provides.
        return profile_kind("cpv").form_field(label=label, help_text=hint, required=False)
    if definition_field.kind == "council":
        return CouncilChoiceField(label=label, help_text=hint, error_messages=messages)
    choices = [(option.key, option.label) for option in definition_field.options]
    if definition_field.kind == "multi":
        return forms.MultipleChoiceField(
            label=label,
            help_text=hint,
            choices=choices,
            required=False,
            widget=GroupCheckboxSelectMultiple(hints=_hints(definition_field.options)),
            template_name=CHOICES_TEMPLATE,
            error_messages=messages,
        )
    if len(choices) > MOST_RADIOS:
        return forms.ChoiceField(
            label=label,
            help_text=hint,
            choices=[("", _("Choose an option")), *choices],
            widget=forms.Select,
            error_messages=messages,
        )
    return forms.ChoiceField(
        label=label,
        help_text=hint,
        choices=choices,
        widget=GroupRadioSelect(hints=_hints(definition_field.options)),
        template_name=CHOICES_TEMPLATE,
        error_messages=messages,
    )


class ProfileForm(DraftMixin, forms.Form):
    """About the business: every profile field of the definition, in its order."""

    def __init__(self, definition: Definition, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        for definition_field in definition.profile:
            form_field = _profile_field(definition_field)
            # Radios and checkboxes have a fieldset legend; a select or a text box a label.
            in_fieldset = isinstance(form_field.widget, forms.RadioSelect)
            form_field.label_classes = (
                "govuk-fieldset__legend--m" if in_fieldset else "govuk-label--m"
            )
            self.fields[definition_field.key] = form_field

    @staticmethod
    def initial_from(profile: Mapping[str, Any]) -> dict[str, Any]:
        return dict(profile)

    @property
    def script_templates(self) -> list[str]:
        """The templates the page includes at its end for the fields of other apps'
        kinds (the CPV picker's script), each once."""
        templates: list[str] = []
        for definition_field in self.definition.profile:
            if definition_field.kind == "cpv":
                for template in profile_kind(definition_field.kind).script_templates:
                    if template not in templates:
                        templates.append(template)
        return templates

    def council(self):
        return self.cleaned_data["council"]

    def profile_answers(self) -> dict[str, Any]:
        """The profile as scoring reads it, without the council (the service adds it)."""
        answers = {}
        for definition_field in self.definition.profile:
            if definition_field.kind == "council":
                continue
            value = self.cleaned_data.get(definition_field.key)
            if definition_field.kind == "multi":
                chosen = set(value or ())
                value = [o.key for o in definition_field.options if o.key in chosen]
            elif definition_field.kind == "cpv":
                if not value:
                    continue  # optional: left out rather than stored empty
                value = list(value)
            answers[definition_field.key] = value
        return answers


# Sections ----------------------------------------------------------------------------------


@dataclass
class QuestionBlock:
    """One question as the section template renders it: a field for a ladder, tick-list or
    count; for a grid or stage scale a field per row and a "don't know" checkbox."""

    question: Question
    kind: str
    fields: list = field(default_factory=list)
    dont_know: Any = None

    @property
    def has_errors(self) -> bool:
        return any(bound.errors for bound in self.fields) or bool(
            self.dont_know is not None and self.dont_know.errors
        )


def _row_name(question: Question, row: Option) -> str:
    return f"{question.key}-{row.key}"


def _dont_know_name(question: Question) -> str:
    return f"{question.key}-{DONT_KNOW}"


def _rows_and_columns(question: Grid | StageScale):
    if isinstance(question, Grid):
        return question.rows, question.columns
    return question.items, question.stages


class SectionForm(DraftMixin, forms.Form):
    """The questions of one dimension that apply; those that do not are left out."""

    def __init__(
        self,
        definition: Definition,
        number: int,
        *args,
        not_applicable: frozenset[str] = frozenset(),
        answers: Mapping[str, Any] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.dimension = definition.dimensions[number - 1]
        self.applicable = [q for q in self.dimension.questions if q.key not in not_applicable]
        self.not_applicable = [q for q in self.dimension.questions if q.key in not_applicable]
        answers = answers or {}
        for question in self.applicable:
            self._add_fields(question, answers.get(question.key))

    # Building -----------------------------------------------------------------------------

    def _add_fields(self, question: Question, answer: Any) -> None:
        dont_know = self.definition.dont_know_label
        required = _("Select an answer to: %(question)s") % {"question": question.text}
        match question:
            case Ladder():
                choices = [(o.key, o.label) for o in question.options]
                self.fields[question.key] = forms.ChoiceField(
                    label=question.text,
                    help_text=question.hint,
                    choices=[*choices, (DONT_KNOW, dont_know)],
                    widget=GroupRadioSelect(
                        hints=_hints(question.options), divider_before=DONT_KNOW
                    ),
                    template_name=CHOICES_TEMPLATE,
                    error_messages={"required": required, "invalid_choice": required},
                    initial=answer,
                )
                self.fields[question.key].label_classes = "govuk-fieldset__legend--m"
            case TickList() | Count():
                exclusive = [o for o in question.options if getattr(o, "exclusive", False)]
                scoring = [o for o in question.options if o not in exclusive]
                nones = [(o.key, o.label) for o in exclusive] or [
                    (NONE_OF_THESE, _("None of these"))
                ]
                tick_required = _(
                    "Select all that apply to: %(question)s, or select ‘None of these’"
                ) % {"question": question.text}
                self.fields[question.key] = forms.MultipleChoiceField(
                    label=question.text,
                    help_text=question.hint,
                    choices=[(o.key, o.label) for o in scoring] + nones + [(DONT_KNOW, dont_know)],
                    widget=GroupCheckboxSelectMultiple(
                        hints=_hints(question.options),
                        exclusive=[key for key, _label in nones] + [DONT_KNOW],
                        divider_before=nones[0][0],
                    ),
                    template_name=CHOICES_TEMPLATE,
                    error_messages={"required": tick_required, "invalid_choice": tick_required},
                    initial=self._ticked_initial(answer, nones),
                )
                self.fields[question.key].label_classes = "govuk-fieldset__legend--m"
            case Grid() | StageScale():
                rows, columns = _rows_and_columns(question)
                chosen = answer if isinstance(answer, Mapping) else {}
                for row in rows:
                    row_message = _("Select an answer for %(row)s") % {"row": row.label}
                    self.fields[_row_name(question, row)] = forms.ChoiceField(
                        label=row.label,
                        required=False,
                        choices=[(c.key, c.label) for c in columns],
                        widget=GroupRadioSelect(
                            hints=_hints(columns), attrs={"class": "govuk-radios--small"}
                        ),
                        template_name=CHOICES_TEMPLATE,
                        error_messages={"invalid_choice": row_message},
                        initial=chosen.get(row.key),
                    )
                    self.fields[
                        _row_name(question, row)
                    ].label_classes = "govuk-fieldset__legend--s"
                self.fields[_dont_know_name(question)] = forms.BooleanField(
                    label=dont_know, required=False, initial=answer == DONT_KNOW
                )
            case _:
                raise TypeError(f"no form field for {type(question).__name__}")

    @staticmethod
    def _ticked_initial(answer: Any, nones: list[tuple[str, str]]):
        if answer == DONT_KNOW:
            return [DONT_KNOW]
        if isinstance(answer, list):
            return answer or [nones[0][0]]
        return None

    @property
    def blocks(self) -> list[QuestionBlock]:
        blocks = []
        for question in self.applicable:
            if isinstance(question, Grid | StageScale):
                rows, _columns = _rows_and_columns(question)
                blocks.append(
                    QuestionBlock(
                        question=question,
                        kind="rows",
                        fields=[self[_row_name(question, row)] for row in rows],
                        dont_know=self[_dont_know_name(question)],
                    )
                )
            else:
                blocks.append(
                    QuestionBlock(question=question, kind="choice", fields=[self[question.key]])
                )
        return blocks

    # Validating ---------------------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        for question in self.applicable:
            if isinstance(question, Grid | StageScale):
                self._clean_rows(question, cleaned)
            elif isinstance(question, TickList | Count):
                self._clean_ticks(question, cleaned)
        return cleaned

    def _clean_rows(self, question: Grid | StageScale, cleaned: dict) -> None:
        rows, _columns = _rows_and_columns(question)
        dont_know = cleaned.get(_dont_know_name(question))
        answered = [row for row in rows if cleaned.get(_row_name(question, row))]
        if dont_know and answered:
            self.add_error(
                _dont_know_name(question),
                _("Answer every row of: %(question)s, or select ‘%(dont_know)s’, not both")
                % {"question": question.text, "dont_know": self.definition.dont_know_label},
            )
        elif not dont_know:
            for row in rows:
                name = _row_name(question, row)
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("Select an answer for %(row)s") % {"row": row.label})

    def _clean_ticks(self, question: TickList | Count, cleaned: dict) -> None:
        ticked = cleaned.get(question.key)
        if not ticked:
            return
        exclusive = {o.key for o in question.options if getattr(o, "exclusive", False)}
        exclusive |= {NONE_OF_THESE, DONT_KNOW}
        if len(ticked) > 1 and set(ticked) & exclusive:
            self.add_error(
                question.key,
                _(
                    "Select the answers that apply to: %(question)s, or one of the answers "
                    "after ‘or’, not both"
                )
                % {"question": question.text},
            )

    def answers(self) -> dict[str, Any]:
        """The validated answers by question key, as `scoring.score` reads them."""
        answers: dict[str, Any] = {}
        for question in self.applicable:
            if isinstance(question, Grid | StageScale):
                if self.cleaned_data.get(_dont_know_name(question)):
                    answers[question.key] = DONT_KNOW
                else:
                    rows, _columns = _rows_and_columns(question)
                    answers[question.key] = {
                        row.key: self.cleaned_data[_row_name(question, row)] for row in rows
                    }
            elif isinstance(question, Ladder):
                answers[question.key] = self.cleaned_data[question.key]
            else:
                ticked = set(self.cleaned_data[question.key])
                if ticked == {DONT_KNOW}:
                    answers[question.key] = DONT_KNOW
                else:
                    answers[question.key] = [o.key for o in question.options if o.key in ticked]
        return answers

    def answers_so_far(self) -> dict[str, Any]:
        """What has been posted that makes sense, unvalidated: for re-rendering the page as
        answers change (questions that show only for some answers of this section)."""
        answers: dict[str, Any] = {}
        for question in self.applicable:
            if isinstance(question, Ladder):
                value = self.data.get(self.add_prefix(question.key))
                if value:
                    answers[question.key] = value
            elif isinstance(question, TickList | Count):
                ticked = set(self.data.getlist(self.add_prefix(question.key)))
                if ticked == {DONT_KNOW}:
                    answers[question.key] = DONT_KNOW
                elif ticked:
                    answers[question.key] = [o.key for o in question.options if o.key in ticked]
            else:
                rows, _columns = _rows_and_columns(question)
                chosen = {
                    row.key: self.data.get(self.add_prefix(_row_name(question, row)))
                    for row in rows
                }
                chosen = {row: column for row, column in chosen.items() if column}
                if chosen:
                    answers[question.key] = chosen
        return answers


class EmailLinkForm(forms.Form):
    """An email address to send a link to; each kind of link says what it is for."""

    help_text = ""
    label_classes = ""

    email = EmailAddressField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = self.help_text
        self.fields["email"].label_classes = self.label_classes


class ResumeEmailForm(EmailLinkForm):
    help_text = _("We will only use it to send you this link.")
    label_classes = "govuk-label--m"


class EmailResultsForm(EmailLinkForm):
    help_text = _("We will send you a link to these results.")
