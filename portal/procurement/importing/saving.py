"""Saving a chunk's merged opportunities: new ones with bulk_create, changed ones with
the fields that changed, their places and lots replaced; the whole chunk and the run's
figures in one transaction, else each opportunity in its own, the one that fails
rejected."""

import logging

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from portal.lib import versions
from portal.procurement.importing.merging import LOT_FIELDS, SIMPLE_FIELDS, Pending
from portal.procurement.importing.recording import RunRecorder
from portal.procurement.models import Lot, Opportunity
from portal.procurement.ocds.places import PlaceLookup

logger = logging.getLogger(__name__)


def save_chunk(pending: list[Pending], *, recorder: RunRecorder, places: PlaceLookup) -> None:
    """Save the chunk and the run's figures in one transaction; should that fail,
    each opportunity in its own, the one that fails rejected."""
    if not pending:
        recorder.save_progress()
        return
    before = recorder.counters()
    try:
        with transaction.atomic():
            save_opportunities(pending, places)
            for unit in pending:
                recorder.count(unit.outcomes)
            recorder.save_progress()
        return
    except Exception:  # noqa: BLE001 - retried one by one, which says what failed
        recorder.restore(before)
        logger.warning(
            "OCDS import %s: a chunk failed, saving one by one", recorder.run.pk, exc_info=True
        )
    for unit in pending:
        if unit.is_new:
            unit.opportunity.pk = None
            unit.opportunity._state.adding = True
        try:
            with transaction.atomic():
                save_opportunities([unit], places)
        except Exception as error:  # noqa: BLE001 - one opportunity, whatever broke
            if not connection.is_usable():
                raise  # not this opportunity's fault: the run cannot go on
            for item, _outcome in unit.outcomes:
                reason = (
                    f"({error})"
                    if isinstance(error, DatabaseError)
                    else f"(an unexpected {type(error).__name__}: {error})"
                )
                recorder.reject(item, f"Rejected: it could not be saved {reason}.")
            continue
        recorder.count(unit.outcomes)
    recorder.save_progress()


def save_opportunities(units: list[Pending], places: PlaceLookup) -> None:
    shown = [unit for unit in units if not unit.hashes_only]
    if shown:
        # Bulk writes record no change one by one: the data version rises here.
        versions.bump(Opportunity.DATA_VERSION)
    now = timezone.now()
    new = [unit for unit in shown if unit.is_new]
    for unit in new:
        unit.opportunity.created = now
        unit.opportunity.last_changed = now
    if new:
        Opportunity.objects.bulk_create([unit.opportunity for unit in new])
    for unit in shown:
        if unit.is_new:
            continue
        opportunity = unit.opportunity
        opportunity.last_changed = now
        opportunity.version = unit.base_version + 1
        fields = {"field_dates", "imported_releases", "last_changed", "version", "buyer"}
        fields |= unit.changed & set(SIMPLE_FIELDS)
        if "value" in unit.changed:
            fields |= {"value_max", "currency"}
        if "places" in unit.changed:
            fields.add("uk_wide")
        opportunity.save(update_fields=sorted(fields))
    recorded = [unit.opportunity for unit in units if unit.hashes_only]
    if recorded:
        Opportunity.objects.bulk_update(recorded, ["imported_releases"])
    _save_places(shown, places)
    _save_lots(shown)


def _save_places(units: list[Pending], places: PlaceLookup) -> None:
    regions_through = Opportunity.regions.through
    councils_through = Opportunity.councils.through
    replaced = [unit.opportunity.pk for unit in units if unit.places and not unit.is_new]
    if replaced:
        regions_through.objects.filter(opportunity_id__in=replaced).delete()
        councils_through.objects.filter(opportunity_id__in=replaced).delete()
    region_rows, council_rows = [], []
    for unit in units:
        if not unit.places:
            continue
        _uk_wide, regions, councils = unit.places
        region_rows += [
            regions_through(opportunity_id=unit.opportunity.pk, region_id=places.region_ids[code])
            for code in regions
            if code in places.region_ids
        ]
        council_rows += [
            councils_through(
                opportunity_id=unit.opportunity.pk, council_id=places.council_ids[code]
            )
            for code in councils
            if code in places.council_ids
        ]
    regions_through.objects.bulk_create(region_rows)
    councils_through.objects.bulk_create(council_rows)


def _save_lots(units: list[Pending]) -> None:
    replaced = [unit.opportunity.pk for unit in units if unit.lots is not None and not unit.is_new]
    if replaced:
        Lot.objects.filter(opportunity_id__in=replaced).delete()
    rows = []
    for unit in units:
        for lot in unit.lots or ():
            values = dict(zip(LOT_FIELDS, lot, strict=True))
            values["cpv_codes"] = list(values["cpv_codes"])
            rows.append(Lot(opportunity_id=unit.opportunity.pk, **values))
    Lot.objects.bulk_create(rows)
