"""Every parameter of the Open Referral UK read API, given any text: never a 500, never
an HTML page; a 200 is valid against the profile's schema, any error against the served
description's."""

from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from portal.catalogue.api import PARAMETERS
from portal.catalogue.openreferral.taxonomies import TAXONOMIES
from tests.catalogue.oruk_schema import profile_openapi, response_errors, served_response_errors
from tests.factories import create_offer

API = "/api/openreferral"
# Every query parameter the profile names, implemented or not.
ALL_PARAMETERS = sorted(
    set(profile_openapi()["components"]["parameters"])
    | {name for names in PARAMETERS.values() for name in names}
)
TRICKY = [
    "",
    " ",
    "0",
    "-1",
    "²",
    "١٢",
    "9" * 40,
    "1e3",
    "2026-13-45",
    "2026-02-30T25:00:00Z",
    "2026-01-01T00:00:00+99:00",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-05:00",
    "\x00",
    "%",
    "'; drop table catalogue_offer; --",
    TAXONOMIES[0].id,
    TAXONOMIES[0].term_id("grant"),
    "00000000-0000-4000-8000-000000000000",
]
values = st.one_of(st.sampled_from(TRICKY), st.text(max_size=60))
queries = st.dictionaries(st.sampled_from(ALL_PARAMETERS), values, max_size=4)
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


class ParameterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_offer(title="Workshop", status="published", delivery="in_person")
        create_offer(title="Grant", status="published", dimensions=["data"])

    def check(self, response, path: str):
        self.assertIn(response.status_code, (200, 400, 404), response.content[:300])
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        body = response.json()
        if response.status_code == 200:
            self.assertEqual(response_errors(path, body), [])
        else:
            served = self.client.get(f"{API}/openapi.json").json()
            self.assertEqual(served_response_errors(served, path, response.status_code, body), [])

    @EXAMPLES
    @given(path=st.sampled_from(sorted(PARAMETERS)), query=queries)
    def test_any_text_in_any_parameter_of_a_list(self, path, query):
        self.check(self.client.get(API + path, query), path)

    @EXAMPLES
    @given(
        path=st.sampled_from(
            [
                "/services/{id}",
                "/service_at_locations/{id}",
                "/taxonomies/{id}",
                "/taxonomy_terms/{id}",
            ]
        ),
        given_id=values,
    )
    def test_any_text_as_an_id(self, path, given_id):
        response = self.client.get(API + path.replace("{id}", quote(given_id, safe="")))
        # An id holding "/" is another path: a 404 all the same.
        self.check(response, path)

    @EXAMPLES
    @given(query=queries)
    def test_any_text_at_the_root(self, query):
        self.check(self.client.get(f"{API}/", query), "/")
