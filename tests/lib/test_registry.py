"""What the apps offer seed_demo and benchmark through their AppConfig
(portal/lib/registry.py), so that the base names no app above it."""

from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.lib import registry


def test_the_apps_offer_their_demo_data_in_the_declared_order():
    names = [module.__name__ for module in registry.demo_modules()]

    assert names == [
        "diagnostics.demo",
        "portal.catalogue.demo",
        "portal.procurement.demo",
        "portal.advice.demo",
    ]
    assert all(callable(module.seed_demo) for module in registry.demo_modules())


def test_the_apps_offer_their_benchmark_suites():
    assert registry.benchmark_suites() == {
        "pages": "portal.core.benchmarking.pages",
        "catalogue": "portal.catalogue.benchmarks",
        "csv_refusal": "portal.catalogue.refusal_benchmarks",
        "ocds_import": "portal.procurement.benchmarks",
        "matching": "portal.matching.benchmarks",
        "dashboards": "portal.dashboards.benchmarks",
        "http": "portal.dashboards.load",
    }


def fake_configs(*configs):
    return mock.patch.object(registry.apps, "get_app_configs", return_value=list(configs))


def test_demo_order_comes_first_then_the_installed_apps_order():
    configs = [
        SimpleNamespace(demo="portal.procurement.demo", demo_order=30),
        SimpleNamespace(demo="portal.catalogue.demo"),  # no order: 0
        SimpleNamespace(),  # offers no demo
        SimpleNamespace(demo="diagnostics.demo", demo_order=30),
    ]
    with fake_configs(*configs):
        names = [module.__name__ for module in registry.demo_modules()]

    assert names == ["portal.catalogue.demo", "portal.procurement.demo", "diagnostics.demo"]


def test_two_apps_offering_a_suite_of_the_same_name_is_an_error():
    configs = [
        SimpleNamespace(benchmark_suites={"catalogue": "portal.catalogue.benchmarks"}),
        SimpleNamespace(benchmark_suites={"catalogue": "portal.procurement.benchmarks"}),
    ]
    with fake_configs(*configs), pytest.raises(ImproperlyConfigured, match="catalogue"):
        registry.benchmark_suites()
