"""Reading one JSON object of a definition file: `Reader` checks its keys and the type of
each value, naming the key path of the first that is wrong; `JsonObject` remembers the keys
a file gave twice, so that they can be refused."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from diagnostics.definitions.model import (
    KEY_PATTERN,
    MAX_KEY_LENGTH,
    TEXT_KEYS,
    DefinitionError,
    Text,
    same_in_every_language,
)

# The suffix of a text's Welsh twin: "text" → "text_cy".
WELSH = "_cy"


class JsonObject(dict):
    """A JSON object that remembers the keys it was given more than once."""

    duplicates: tuple[str, ...] = ()

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> JsonObject:
        instance = cls(pairs)
        if len(instance) != len(pairs):
            names = [name for name, _ in pairs]
            instance.duplicates = tuple(n for i, n in enumerate(names) if n in names[:i])
        return instance


def reject_constant(name: str) -> None:
    raise DefinitionError("", f"not valid JSON: {name} is not a number")


def element_path(path: str, index: int) -> str:
    return f"{path}[{index}]"


class Reader:
    """One JSON object: checks its keys and the type of each value, naming the key path.

    With `welsh`, each text key (`TEXT_KEYS`) may, and when its English is given must, have
    a Welsh twin beside it (``"text"`` and ``"text_cy"``); `words` reads the pair."""

    def __init__(
        self, value: Any, path: str, required: tuple[str, ...], optional=(), *, welsh=False
    ):
        if not isinstance(value, dict):
            raise DefinitionError(path, "must be an object")
        if getattr(value, "duplicates", ()):
            raise DefinitionError(path, f"duplicate key {value.duplicates[0]!r}")
        allowed = (*required, *optional)
        if welsh:
            allowed += tuple(name + WELSH for name in allowed if name in TEXT_KEYS)
        for name in value:
            if name not in allowed:
                raise DefinitionError(
                    self._join(path, name), f"unknown key (allowed: {', '.join(allowed)})"
                )
        for name in required:
            if name not in value:
                raise DefinitionError(self._join(path, name), "is required")
        self.value = value
        self.path = path
        self.welsh = welsh

    def child(self, value: Any, path: str, required: tuple[str, ...], optional=()) -> Reader:
        """An object inside this one, in the same languages."""
        return Reader(value, path, required, optional, welsh=self.welsh)

    @staticmethod
    def _join(path: str, name: str) -> str:
        return f"{path}.{name}" if path else name

    def at(self, name: str) -> str:
        return self._join(self.path, name)

    def has(self, name: str) -> bool:
        return name in self.value

    def text(self, name: str, *, default: str | None = None) -> str:
        if default is not None and name not in self.value:
            return default
        value = self.value[name]
        if not isinstance(value, str) or not value.strip():
            raise DefinitionError(self.at(name), "must be a non-empty string")
        return value

    def words(self, name: str, *, optional: bool = False) -> Text:
        """A text a person reads, with its Welsh twin when the definition has Welsh: every
        English text needs one, and it must be translated (only names and codes may read
        the same)."""
        if optional and name not in self.value:
            if name + WELSH in self.value:
                raise DefinitionError(self.at(name + WELSH), f"has no English {name} beside it")
            return Text("")
        english = self.text(name)
        if not self.welsh:
            return Text(english)
        twin = name + WELSH
        if twin not in self.value:
            raise DefinitionError(self.at(twin), "is required: the definition is in Welsh too")
        welsh = self.text(twin)
        if welsh.strip() == english.strip() and not same_in_every_language(english):
            raise DefinitionError(
                self.at(twin), "is the English text: translate it (only names and codes stay)"
            )
        return Text(english, welsh)

    def key(self, name: str) -> str:
        return check_key(self.value[name], self.at(name))

    def number(self, name: str) -> Fraction:
        value = self.value[name]
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise DefinitionError(self.at(name), "must be a number")
        # str() keeps 0.6 as 3/5 rather than the nearest binary fraction.
        number = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
        if number < 0:
            raise DefinitionError(self.at(name), "must not be negative")
        return number

    def integer(self, name: str) -> int:
        value = self.value[name]
        if isinstance(value, bool) or not isinstance(value, int):
            raise DefinitionError(self.at(name), "must be a whole number")
        return value

    def boolean(self, name: str, *, default: bool) -> bool:
        value = self.value.get(name, default)
        if not isinstance(value, bool):
            raise DefinitionError(self.at(name), "must be true or false")
        return value

    def items(self, name: str, *, at_least: int = 1) -> list[tuple[str, Any]]:
        """(path, value) for each element of a list."""
        value = self.value[name]
        if not isinstance(value, list):
            raise DefinitionError(self.at(name), "must be a list")
        if len(value) < at_least:
            raise DefinitionError(self.at(name), f"must have at least {at_least} item(s)")
        return [(element_path(self.at(name), i), item) for i, item in enumerate(value)]

    def object(self, name: str, required: tuple[str, ...], optional=()) -> Reader:
        return self.child(self.value[name], self.at(name), required, optional)


def check_key(value: Any, path: str) -> str:
    if not isinstance(value, str):
        raise DefinitionError(path, "must be a string")
    if not KEY_PATTERN.fullmatch(value) or len(value) > MAX_KEY_LENGTH:
        raise DefinitionError(
            path, f"{value!r} is not a valid key (letters and digits joined by single '_')"
        )
    return value


def unique(keys_and_paths: list[tuple[str, str]], what: str) -> None:
    seen: dict[str, str] = {}
    for key, path in keys_and_paths:
        if key in seen:
            raise DefinitionError(path, f"duplicate {what} {key!r} (first at {seen[key]})")
        seen[key] = path
