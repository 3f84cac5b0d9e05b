"""Model choice fields that refuse ids too large for the database."""

from django.core.exceptions import ValidationError
from django.test import TestCase

from portal.lib.forms import ModelChoiceField, ModelMultipleChoiceField
from portal.places.models import Council, Region


class ModelChoiceIdRangeTests(TestCase):
    """An id too large for a database integer is an invalid choice, not a query that
    fails (a 500): the fuzzing of tests/core/test_fuzz_inputs.py found one."""

    def test_one_choice(self):

        field = ModelChoiceField(queryset=Region.objects.all())
        for value in ("9" * 40, "-" + "9" * 40, str(2**63)):
            with self.subTest(value), self.assertRaises(ValidationError):
                field.clean(value)

    def test_several_choices(self):

        field = ModelMultipleChoiceField(queryset=Council.objects.all())
        with self.assertRaises(ValidationError):
            field.clean(["1", "9" * 40])
