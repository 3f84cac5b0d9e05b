"""The extension point through which an app above diagnostics provides a profile field
kind whose vocabulary is not diagnostics' own (the CPV codes of "What do you supply?")."""

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured

from diagnostics.profile_kinds import ProfileKind, profile_kind, register_profile_kind


def test_matching_provides_the_cpv_kind():
    provider = profile_kind("cpv")

    assert provider.script_templates == ("includes/picker_script.html",)
    field = provider.form_field(label="What do you supply?", help_text="", required=False)
    assert not field.required


def test_a_kind_nobody_provides_says_so():
    with pytest.raises(ImproperlyConfigured, match="provides the profile field kind 'postcode'"):
        profile_kind("postcode")


def test_a_kind_is_provided_once():
    other = ProfileKind(form_field=forms.CharField, describe=list)

    register_profile_kind("cpv", profile_kind("cpv"))  # the same provider again: no change
    with pytest.raises(ValueError, match="'cpv' is provided already"):
        register_profile_kind("cpv", other)
