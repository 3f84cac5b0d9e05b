"""What each filter option of the contracts list means in the database: the value
bands, closing dates, CPV prefixes and suitability as ``portal.lib.facets`` conditions,
and every option the list counts."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import DecimalField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy

from portal.lib import facets
from portal.procurement.models import BuyerType, NoticeStage

CLOSING_WITHIN_DAYS = (7, 14, 30)


@dataclass(frozen=True)
class ValueBand:
    key: str
    label: Any
    low: int | None  # inclusive, in pounds
    high: int | None  # exclusive


# An opportunity is in a band when its value range (lowest to highest stated value)
# overlaps the band. Amounts are compared as they are, whatever the currency.
VALUE_BANDS = (
    ValueBand("under_25k", gettext_lazy("Under £25,000"), None, 25_000),
    ValueBand("25k_100k", gettext_lazy("£25,000 to £100,000"), 25_000, 100_000),
    ValueBand("100k_500k", gettext_lazy("£100,000 to £500,000"), 100_000, 500_000),
    ValueBand("500k_2m", gettext_lazy("£500,000 to £2 million"), 500_000, 2_000_000),
    ValueBand("over_2m", gettext_lazy("Over £2 million"), 2_000_000, None),
)
VALUE_BANDS_BY_KEY = {band.key: band for band in VALUE_BANDS}
NOT_STATED = "not_stated"


def value_range(queryset):
    """Annotate ``value_low`` and ``value_high``: the stated range (an amount of 0 is
    "not stated", like none), either end standing in for the other when only one is."""
    decimal = DecimalField(max_digits=16, decimal_places=2)
    value_min = NullIf(F("value_min"), Value(0, output_field=decimal))
    value_max = NullIf(F("value_max"), Value(0, output_field=decimal))
    return queryset.annotate(
        value_low=Coalesce(value_min, value_max, output_field=decimal),
        value_high=Coalesce(value_max, value_min, output_field=decimal),
    )


def band_condition(band: ValueBand) -> facets.Condition:
    parts = [facets.IsNull("value_high", null=False)]
    if band.low is not None:
        parts.append(facets.at_least("value_high", band.low))
    if band.high is not None:
        parts.append(facets.below("value_low", band.high))
    return facets.AllOf(tuple(parts))


def cpv_condition(prefix: str) -> facets.Condition:
    return facets.Has("cpv_codes", prefix, prefix=True)


def closing_condition(now: datetime, days: int) -> facets.Condition:
    return facets.IsNull("deadline", null=False) & facets.at_most(
        "deadline", now + timedelta(days=days)
    )


VALUE_NOT_STATED = facets.IsNull("value_high")
SME_SUITABLE = facets.equals("sme_suitable", True)
VCSE_SUITABLE = facets.equals("vcse_suitable", True)


def counted_options(
    divisions: list[str], groups: list[str], now: datetime
) -> list[facets.Counted]:
    """Every option the page counts; "closing" also counts "any" (no closing filter)."""
    counted = [
        facets.Counted("division", code, cpv_condition(code), facet="cpv") for code in divisions
    ]
    counted += [facets.Counted("group", code, cpv_condition(code), facet="cpv") for code in groups]
    counted += [facets.Counted("value", band.key, band_condition(band)) for band in VALUE_BANDS]
    counted.append(facets.Counted("value", NOT_STATED, VALUE_NOT_STATED))
    counted.append(facets.Counted("closing", "any", facets.Everything()))
    counted += [
        facets.Counted("closing", str(days), closing_condition(now, days))
        for days in CLOSING_WITHIN_DAYS
    ]
    counted.append(facets.Counted("sme", "1", SME_SUITABLE))
    counted.append(facets.Counted("vcse", "1", VCSE_SUITABLE))
    counted += [
        facets.Counted("buyer", value, facets.equals("buyer_type", value))
        for value in BuyerType.values
    ]
    counted += [
        facets.Counted("stage", value, facets.equals("stage", value))
        for value in NoticeStage.values
    ]
    return counted
