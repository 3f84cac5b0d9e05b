"""What a business supplies, as CPV codes: the diagnostic's "What do you supply?" profile
field (its kind, ``cpv``, is registered with diagnostics from ``MatchingConfig.ready``, since
the vocabulary is procurement's), and the one check of the codes that the profile form and
``manage.py recommend`` share (``portal.procurement.cpv.known_codes``)."""

from collections.abc import Sequence

from diagnostics.profile_kinds import ProfileKind
from portal.procurement.cpv import KnownCpvCodesField, describe_codes

# Enough for a business that does several kinds of work; a bound on what is stored.
MOST_SUPPLIES = 20


def supplies_field(**kwargs) -> KnownCpvCodesField:
    return KnownCpvCodesField(max_codes=MOST_SUPPLIES, **kwargs)


def clean_supplies(value) -> list[str]:
    """The codes as the profile form cleans them, for callers without a form (``manage.py
    recommend``); raises ValidationError with the form's messages."""
    return supplies_field().clean(value)


def supply_lines(codes: Sequence[str]) -> list[str]:
    """Each code with its description ("72000000 IT services: ..."): one query."""
    return [
        f"{code} {description}" if description else code
        for code, description in describe_codes(codes)
    ]


SUPPLIES_KIND = ProfileKind(
    form_field=supplies_field,
    describe=supply_lines,
    script_templates=("includes/picker_script.html",),
)
