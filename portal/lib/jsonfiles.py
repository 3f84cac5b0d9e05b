"""Reading the JSON document a management command is given: a file, or "-" for standard
input. Every problem is a CommandError naming the source; NaN and Infinity are refused."""

import json
import sys
from typing import Any

from django.core.management.base import CommandError


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def read_json_argument(file: str, *, returncode: int = 1) -> Any:
    name = "standard input" if file == "-" else file
    try:
        if file == "-":
            text = sys.stdin.read()
        else:
            with open(file, encoding="utf-8") as handle:
                text = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"cannot read {name}: {error}", returncode=returncode) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        raise CommandError(f"{name} is not valid JSON: {error}", returncode=returncode) from None
