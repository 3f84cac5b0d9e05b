"""benchmark http's ratio_to_constant: a page kind's throughput alone over the constant
view's alone, both saturated by the same clients (portal/dashboards/load)."""

from django.test import SimpleTestCase

from portal.dashboards.load import ratios_to_constant


class RatioTests(SimpleTestCase):
    def test_each_kind_over_the_constant_views_throughput(self):
        alone = {
            "constant": {"rps": 800.0, "p50_ms": 30.0},
            "home": {"rps": 400.0, "p50_ms": 60.0},
            "api_ocds": {"rps": 20.0, "p50_ms": 1500.0},
        }
        self.assertEqual(ratios_to_constant(alone), {"home": 0.5, "api_ocds": 0.025})

    def test_a_kind_not_measured_is_left_out_and_no_constant_gives_no_ratios(self):
        self.assertEqual(
            ratios_to_constant({"constant": {"rps": 100.0}, "results": {}, "home": {"rps": 0}}),
            {},
        )
        self.assertEqual(ratios_to_constant({"home": {"rps": 10.0}}), {})
