"""A set of choices from one vocabulary, kept in one text column.

Offers and opportunities are for several business sizes, stages, sectors and
dimensions at once. Keeping each set as ``|micro|small|`` in one indexed column lets
every facet be filtered with ``field__has="micro"`` and counted with conditional
aggregates in a single query, the same on PostgreSQL and SQLite, with no join table per
vocabulary. An empty set means "all" wherever the domain says so.
"""

from django.core import checks, exceptions
from django.db import models
from django.db.models import Lookup

SEPARATOR = "|"


class ChoiceSetField(models.CharField):
    description = "A set of choices stored as |a|b|"

    def __init__(self, *args, choices=None, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        self.choice_set = choices
        super().__init__(*args, **kwargs)

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if not self.choice_set:
            errors.append(checks.Error("ChoiceSetField needs choices.", obj=self))
        return errors

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices"] = self.choice_set
        if kwargs.get("max_length") == 500:
            del kwargs["max_length"]
        if kwargs.get("blank") is True:
            del kwargs["blank"]
        if kwargs.get("default") is list:
            del kwargs["default"]
        return name, path, args, kwargs

    @property
    def allowed(self) -> list[str]:
        return [value for value, _label in self.choice_set]

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [item for item in value.split(SEPARATOR) if item]
        return list(value)

    def get_prep_value(self, value):
        values = self.to_python(value)
        if not values:
            return ""
        ordered = [choice for choice in self.allowed if choice in set(values)]
        return SEPARATOR + SEPARATOR.join(ordered) + SEPARATOR

    def validate(self, value, model_instance):
        unknown = [item for item in self.to_python(value) if item not in self.allowed]
        if unknown:
            raise exceptions.ValidationError(
                "%(value)s is not one of the choices.",
                code="invalid_choice",
                params={"value": ", ".join(unknown)},
            )
        if not self.blank and not self.to_python(value):
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def formfield(self, **kwargs):
        from django import forms

        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.choice_set,
            "required": not self.blank,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        defaults.pop("max_length", None)
        defaults.pop("empty_value", None)
        return models.Field.formfield(self, **defaults)


def has_pattern(value: str) -> str:
    """The LIKE pattern (with ``ESCAPE '\\'``) of a set that contains ``value``."""
    escaped = str(value).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{SEPARATOR}{escaped}{SEPARATOR}%"


@ChoiceSetField.register_lookup
class Has(Lookup):
    """``sizes__has="micro"``: the set contains that choice."""

    lookup_name = "has"

    def get_prep_lookup(self):
        return has_pattern(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} LIKE {rhs} ESCAPE '\\'", [*lhs_params, *rhs_params]


class CodeSetField(ChoiceSetField):
    """A set of codes from an open list (CPV codes, say), stored as ``|a|b|`` in sorted
    order. Any value passing ``validator`` is allowed; ``field__has_prefix="72"`` finds
    the rows holding a code that starts with those digits (a CPV division or group)."""

    description = "A set of codes stored as |a|b|"

    def __init__(self, *args, code_validator=None, **kwargs):
        self.code_validator = code_validator
        kwargs.setdefault("choices", None)
        super().__init__(*args, **kwargs)
        self.choices = None

    def check(self, **kwargs):
        return models.CharField.check(self, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        if self.code_validator is not None:
            kwargs["code_validator"] = self.code_validator
        return name, path, args, kwargs

    def get_prep_value(self, value):
        values = sorted(set(self.to_python(value)))
        if not values:
            return ""
        return SEPARATOR + SEPARATOR.join(values) + SEPARATOR

    def validate(self, value, model_instance):
        values = self.to_python(value)
        if self.code_validator is not None:
            for item in values:
                self.code_validator(item)
        if not self.blank and not values:
            raise exceptions.ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        from django import forms

        return models.Field.formfield(self, form_class=forms.CharField, **kwargs)


def has_prefix_pattern(value: str) -> str:
    """The LIKE pattern (with ``ESCAPE '\\'``) of a set with a code starting ``value``."""
    escaped = str(value).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{SEPARATOR}{escaped}%"


@CodeSetField.register_lookup
class HasPrefix(Has):
    """``cpv_codes__has_prefix="72"``: some code in the set starts with "72"."""

    lookup_name = "has_prefix"

    def get_prep_lookup(self):
        return has_prefix_pattern(self.rhs)
