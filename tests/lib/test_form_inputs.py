"""The GOV.UK form renderer writes Django's input templates out in Python: the same
characters as the templates, for every kind of input and every odd value."""

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.template import engines
from django.utils.safestring import mark_safe

from portal.lib.forms import (
    INPUT_TEMPLATES,
    SELECT_OPTION_TEMPLATE,
    SELECT_TEMPLATE,
    GovukFormRenderer,
)


def both_ways(template_name, widget):
    context = {"widget": widget}
    fast = GovukFormRenderer().render(template_name, context)
    usual = TemplatesSetting.render(GovukFormRenderer(), template_name, context)
    return fast, usual


def widget_context(**changes):
    widget = {
        "name": "colour",
        "type": "text",
        "value": None,
        "attrs": {"id": "id_colour", "class": "govuk-input"},
        "is_hidden": False,
        "required": False,
        "template_name": "django/forms/widgets/text.html",
    }
    return {**widget, **changes}


CASES = {
    "no value": widget_context(),
    "a value to escape": widget_context(value='<b>"Tom" & Jerry\'s</b>'),
    "a number": widget_context(type="number", value=12.5),
    "a safe value": widget_context(value=mark_safe("<i>kept</i>")),
    "true, false and none attributes": widget_context(
        attrs={"id": "id_x", "required": True, "disabled": False, "data-x": None}
    ),
    "attributes to escape": widget_context(
        attrs={"id": "id_x", "aria-describedby": 'a"b <c>', "data-label": "R&D"}
    ),
    "radio checked": widget_context(
        type="radio", value="micro", attrs={"id": "id_size_0", "checked": True}
    ),
    "radio wrapped in its label": widget_context(
        type="radio",
        value="small",
        attrs={"id": "id_size_1"},
        wrap_label=True,
        label="Small <10–49>",
    ),
    "checkbox wrapped, no id": widget_context(
        type="checkbox", value="J", attrs={}, wrap_label=True, label="Information & comms"
    ),
}


@pytest.mark.parametrize("template_name", sorted(INPUT_TEMPLATES))
@pytest.mark.parametrize("case", sorted(CASES))
def test_renders_exactly_what_the_template_would(template_name, case):
    fast, usual = both_ways(template_name, CASES[case])

    assert fast == usual


SELECTS = {
    "ungrouped, one selected": forms.Select(
        choices=[("", "Choose an option"), ("J", "Information & <comms>"), ("M", "M")]
    ),
    "grouped": forms.Select(
        choices=[("North East", [("a", "Gateshead"), ("b", "Sunderland")]), ("c", "Elsewhere")]
    ),
    "multiple": forms.SelectMultiple(choices=[("1", "One"), ("2", "Two"), ("3", "Three")]),
    "no choices": forms.Select(choices=[]),
}


@pytest.mark.parametrize("case", sorted(SELECTS))
def test_renders_a_select_exactly_as_the_template_would(case):
    widget = SELECTS[case]
    context = widget.get_context("choice", ["J", "b", "2", "3"], {"id": "id_choice", "x": True})
    fast = GovukFormRenderer().render("django/forms/widgets/select.html", context)
    usual = TemplatesSetting.render(
        GovukFormRenderer(), "django/forms/widgets/select.html", context
    )

    assert fast == usual


def test_the_templates_written_out_are_djangos_own():
    """One the project overrides would be skipped by the renderer: take it out of
    INPUT_TEMPLATES first."""
    engine = engines["django"]
    for name in {*INPUT_TEMPLATES, SELECT_TEMPLATE, SELECT_OPTION_TEMPLATE}:
        origin = engine.get_template(name).origin.name
        assert "/django/forms/templates/" in origin, origin


class Sizes(forms.Form):
    size = forms.ChoiceField(
        choices=[("micro", "Micro"), ("small", "Small & <growing>")], widget=forms.RadioSelect
    )
    sectors = forms.MultipleChoiceField(
        choices=[("J", "J"), ("M", "M")], widget=forms.CheckboxSelectMultiple
    )
    name = forms.CharField()


def test_a_whole_form_renders_the_same_as_through_the_templates(monkeypatch):
    form = Sizes({"size": "small", "sectors": ["M"], "name": '"quoted"'})
    fast = str(form)
    monkeypatch.setattr(GovukFormRenderer, "render", TemplatesSetting.render)
    usual = str(Sizes({"size": "small", "sectors": ["M"], "name": '"quoted"'}))

    assert fast == usual
    assert 'value="small" id="id_size_1" required class="govuk-radios__input" checked>' in fast
