"""Every parameter of the OCDS export API, given any text: never a 500, never an HTML
page; a 200 is a valid release package, an error is JSON with a message."""

import base64
from urllib.parse import quote

from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.factories import create_opportunity
from tests.procurement.schemas import errors

API = "/api/ocds"


def cursor(position: str) -> str:
    return base64.urlsafe_b64encode(position.encode()).decode().rstrip("=")


TRICKY = [
    "",
    "0",
    "²",
    "9" * 40,
    "\x00",
    cursor("2026-01-01T00:00:00+00:00|1"),
    cursor("9999-12-31T23:59:59-05:00|1"),
    cursor("0001-01-01T00:00:00+05:00|1"),
    cursor("2026-01-01T00:00:00+00:00|" + "9" * 30),
    cursor("2026-01-01T00:00:00+00:00|²"),
    cursor("2026-02-30T25:00:00+99:00|1"),
    "ocds-test01-" + "0" * 32,
]
values = st.one_of(st.sampled_from(TRICKY), st.text(max_size=60))
EXAMPLES = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@override_settings(OCDS_OCID_PREFIX="ocds-test01")
class ParameterTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        create_opportunity(title="Website", ocid="ocds-test01-website")
        create_opportunity(title="Cloud hosting")

    def check(self, response):
        self.assertIn(response.status_code, (200, 400, 404), response.content[:300])
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        body = response.json()
        if response.status_code == 200:
            self.assertEqual(errors(body), [])
        else:
            self.assertEqual(body["status"], response.status_code)
            self.assertTrue(body["message"])

    @EXAMPLES
    @given(query=st.dictionaries(st.sampled_from(["per_page", "cursor"]), values, max_size=2))
    def test_any_text_in_the_parameters_of_the_list(self, query):
        self.check(self.client.get(f"{API}/releases", query))

    @EXAMPLES
    @given(ocid=values)
    def test_any_text_as_an_ocid(self, ocid):
        self.check(self.client.get(f"{API}/releases/{quote(ocid, safe='')}"))
