"""Open Referral UK (HSDS 3.0, UK profile): the one place where offers meet the standard.

``writing.py`` turns offers into services (the read API, api.py), ``reading.py`` turns
a feed's services into offer fields (the importer, services/feed_import.py), ``feeds.py``
fetches a feed's pages and ``openapi.py`` describes the API as implemented. Both
directions follow this table, so an offer exported and imported again comes back the
same; change a row, and both of them, together.

- ``public_id``: ``id`` (an offer from a feed keeps the service's id as ``external_id``)
- ``title``: ``name``
- ``summary``, ``description``, ``eligibility_note``: ``description``, as paragraphs, the
  note the last one, after "Who can apply:" (formats.py)
- ``application_url``: ``url``; importing, the organisation's website when it has none
- ``contact_email``: ``email``
- ``contact_phone``: ``contacts[0].phones[0].number`` (the profile puts phones on contacts)
- ``cost``, ``cost_note``: ``cost_options[0]``, its ``option`` the cost, its
  ``amount_description`` the note, its ``amount`` 0 when free
- ``funding_min``, ``funding_max``, ``currency``: ``funding[0].source``, as "Amounts from
  £1,000 to £25,000" (formats.py)
- ``delivery``: a term of the "delivery" taxonomy; in person, or online and in person,
  also a physical ``service_at_locations`` entry
- ``uk_wide``, ``regions``, ``councils``: ``service_areas``, each with its GSS or ONS code
  at the end of its ``uri``
- ``kind``, ``dimensions``, ``sizes``, ``stages``, ``sic_sections``, ``maturity_levels``:
  ``attributes``, one taxonomy per vocabulary (taxonomies.py)
- ``provider_name`` (and the provider's website): ``organization``, its id derived from
  the name
- ``status``, ``closes``: ``status``, active when published and open; importing, any
  other status is imported archived
- ``last_reviewed``, ``updated``: ``assured_date``, ``last_modified``

Identifiers are UUIDs: an offer's is its ``public_id``; everything else gets one derived
by ``uuid5`` (taxonomies.derived_id), the same on every request and every deployment.
"""
