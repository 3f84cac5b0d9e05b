"""What each app offers the commands of the base without being imported by it: demo
data for ``seed_demo`` and benchmark suites for ``benchmark``, declared on its AppConfig.

An app's AppConfig may say::

    demo = "portal.catalogue.demo"  # a module with seed_demo(options) -> str
    demo_order = 20  # lower first; then INSTALLED_APPS order
    benchmark_suites = {"catalogue": "portal.catalogue.benchmarks"}

A demo module has ``seed_demo(options) -> str`` (it creates its demo rows and returns
the line to print) and may have ``add_arguments(parser)``; a benchmark suite module has
``add_arguments(parser)`` and ``run(options) -> (report, figures)``. The base names the
apps only through these strings, so an app below never imports one above it.
"""

from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


def demo_modules() -> list[ModuleType]:
    """The apps' demo modules, by ``demo_order`` (then INSTALLED_APPS order)."""
    configs = [config for config in apps.get_app_configs() if getattr(config, "demo", None)]
    ordered = sorted(
        enumerate(configs), key=lambda pair: (getattr(pair[1], "demo_order", 0), pair[0])
    )
    return [import_module(config.demo) for _position, config in ordered]


def benchmark_suites() -> dict[str, str]:
    """Suite name → module path, from every app, in INSTALLED_APPS order."""
    suites = {}
    for config in apps.get_app_configs():
        for name, module in getattr(config, "benchmark_suites", {}).items():
            if name in suites:
                raise ImproperlyConfigured(
                    f"Two apps offer a benchmark suite named {name!r}: {suites[name]} "
                    f"and {module}."
                )
            suites[name] = module
    return suites
