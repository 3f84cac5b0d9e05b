"""A taxonomy term as the Open Referral API writes it: written once per process and
language, yet each caller gets its own copy, in the active language."""

from django.test import SimpleTestCase
from django.utils import translation

from portal.catalogue.openreferral.taxonomies import (
    TAXONOMIES,
    derived_id,
    taxonomy_term_json,
)


class TermTests(SimpleTestCase):
    def test_a_term_is_the_same_each_time_and_a_copy(self):
        taxonomy = TAXONOMIES[0]
        value = taxonomy.choices.values[0]
        first = taxonomy_term_json(taxonomy, value)
        first["name"] = "changed by a caller"
        second = taxonomy_term_json(taxonomy, value)
        self.assertEqual(second["name"], str(taxonomy.choices(value).label))
        self.assertEqual(second["id"], derived_id("taxonomy", taxonomy.key, value))
        self.assertEqual(second["taxonomy_id"], derived_id("taxonomy", taxonomy.key))

    def test_a_term_follows_the_active_language(self):
        for taxonomy in TAXONOMIES:
            value = taxonomy.choices.values[-1]
            for language in ("en", "cy"):
                with (
                    self.subTest(taxonomy=taxonomy.key, language=language),
                    translation.override(language),
                ):
                    term = taxonomy_term_json(taxonomy, value)
                    self.assertEqual(term["name"], str(taxonomy.choices(value).label))
                    self.assertEqual(term["taxonomy"], str(taxonomy.name))
