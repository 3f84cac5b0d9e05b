"""Whether an opportunity suits small businesses (SME) and the voluntary and community
sector (VCSE), from whichever of the many ways publishers say so comes first.

First found wins: ``tender.suitability.sme`` / ``.vcse`` (suitability extension); then
any lot's ``suitability.sme`` / ``.vcse`` (true if any lot says so); then the older UK
flags, these keys of ``tender``, of the release, or of their ``xClassifications``
object (Contracts Finder's ``{"isSuitableForSme": true, "isSuitableForVco": false}``),
compared without case: ``suitableForSME``, ``isSuitableForSme``, ``suitableForSmes``,
``smeSuitable``, ``isSmeSuitable`` (and the same with VCSE, or with VCO, the voluntary
and community organisations VCSE names), as JSON booleans or the strings
"true"/"yes"/"false"/"no"; then ``tender.additionalClassifications`` and the
``xClassifications`` lists of ``tender`` and of the release, entries whose ``scheme`` or
``id`` mentions "SME" (or "VCSE", "VCO") (true, unless the entry's id or description is
"false", "no" or starts with "not").
"""

from portal.procurement.ocds.values import FALSE_WORDS, as_list, flag_of

FLAG_KEYS = {
    "sme": {
        "suitableforsme",
        "issuitableforsme",
        "suitableforsmes",
        "smesuitable",
        "issmesuitable",
    },
    # Contracts Finder says "Vco" (voluntary and community organisation) for VCSE.
    "vcse": {
        "suitableforvcse",
        "issuitableforvcse",
        "suitableforvcses",
        "vcsesuitable",
        "isvcsesuitable",
        "suitableforvco",
        "issuitableforvco",
        "suitableforvcos",
        "vcosuitable",
        "isvcosuitable",
    },
}
# The words a classification's scheme or id may use for each.
FLAG_WORDS = {"sme": ("SME",), "vcse": ("VCSE", "VCO")}


def suitable_for(release: dict, tender: dict, lots: list, kind: str) -> bool | None:
    """What a release says of its suitability for ``kind`` ("sme" or "vcse"), first found
    wins (see the module's docstring); None when it says nothing."""
    suitability = tender.get("suitability")
    if isinstance(suitability, dict) and flag_of(suitability.get(kind)) is not None:
        return flag_of(suitability.get(kind))
    lot_flags = [
        flag_of(lot["suitability"].get(kind))
        for lot in lots
        if isinstance(lot, dict) and isinstance(lot.get("suitability"), dict)
    ]
    lot_flags = [flag for flag in lot_flags if flag is not None]
    if lot_flags:
        return any(lot_flags)
    # Contracts Finder: tender.xClassifications is an object of flags,
    # {"isSuitableForSme": true, "isSuitableForVco": false}.
    holders = [tender, release]
    for holder in (tender, release):
        if isinstance(holder.get("xClassifications"), dict):
            holders.append(holder["xClassifications"])
    for holder in holders:
        for key, value in holder.items():
            if key.lower() in FLAG_KEYS[kind] and flag_of(value) is not None:
                return flag_of(value)
    entries = list(as_list(tender.get("additionalClassifications")))
    for holder in (tender, release):
        if isinstance(holder.get("xClassifications"), list):
            entries += holder["xClassifications"]
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        scheme = str(entry.get("scheme", "")).upper()
        identifier = str(entry.get("id", "")).upper()
        if not any(word in scheme or word in identifier for word in FLAG_WORDS[kind]):
            continue
        for text in (identifier, str(entry.get("description", "")).upper()):
            word = text.strip().lower()
            if word in FALSE_WORDS or word.startswith("not"):
                return False
        return True
    return None
