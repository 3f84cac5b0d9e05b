"""OCDS 1.1: the one place where opportunities meet the Open Contracting Data Standard.

Reading (the importer, ``portal/procurement/importing/``), one job a module:
``sources.py`` finds the releases in files, directories and URLs (``files.py`` checks
each file's encoding, depth and shape first, ``nesting.py`` guarding the depth);
``mapping.py`` turns one release into the opportunity fields it states, with
``values.py`` (texts, dates, amounts, codes), ``places.py`` (where the work is) and
``suitability.py`` (SME and VCSE); ``merge.py`` merges an opportunity's releases.
Writing: ``writing.py`` turns opportunities into releases (the export API). Both follow
this table; change it, and both of them, together.

=====================  ========================================================
Opportunity field      OCDS 1.1 (release)
=====================  ========================================================
ocid                   ocid
release_id             id (imports: the latest release's id)
title                  tender.title
description            tender.description
buyer_name             buyer.name (or the party with role "buyer")
buyer_type             parties[buyer].details.classifications / our buyer's kind
                       (no core field: export writes parties[buyer].details.buyerType)
main_category          tender.mainProcurementCategory
cpv_codes              tender.classification + tender.additionalClassifications +
                       tender.items[].classification (scheme "CPV"), 8 digits
value_min              tender.minValue.amount (0 → not stated)
value_max, currency    tender.value.amount / .currency (0 → not stated)
published_at           tender.datePublished, else the release's date
tender_start           tender.tenderPeriod.startDate
deadline               tender.tenderPeriod.endDate
contract_start/end     tender.contractPeriod.startDate / .endDate, else the lots'
                       contractPeriod (earliest start, latest end); the day as
                       written, in the publisher's offset
councils, regions,     tender.items[].deliveryAddresses[].region / .postalCode,
uk_wide, delivery_     tender.deliveryAddresses (location extension), else the
location               buyer's address (region or postcode); a nation named
                       ("England") → its regions; never a NUTS code as the text
sme_suitable           tender.suitability.sme (suitability extension), a lot's
                       suitability.sme, or the older flags some UK publishers used
                       (Contracts Finder: tender.xClassifications.isSuitableForSme)
vcse_suitable          tender.suitability.vcse (Contracts Finder:
                       tender.xClassifications.isSuitableForVco)
procedure              tender.procurementMethod
procedure_details      tender.procurementMethodDetails
stage                  the release's tag: planning / tender / award
status                 tender.status: planning → draft-free "open" for early engagement,
                       active → open, complete → awarded/closed, cancelled,
                       withdrawn, unsuccessful → closed
notice_url, documents  tender.documents[] (documentType "tenderNotice", else
                       "contractNotice" → notice_url)
contact_name/email     parties[buyer].contactPoint.name / .email
lots                   tender.lots[] (lots extension): id, title, description,
                       value, and the items' classifications whose relatedLot is it
source_uri             the package's uri (or the file or URL read)
=====================  ========================================================
"""

OCDS_VERSION = "1.1"

# The extensions our export uses, declared in every package we publish.
EXTENSIONS = {
    "lots": "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    "suitability": "https://raw.githubusercontent.com/open-contracting-extensions/ocds_suitability_extension/master/extension.json",
    "location": "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/master/extension.json",
}
