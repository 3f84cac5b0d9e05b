"""The Python dependencies are locked with hashes, and setup installs from the lock.

`make lock` writes requirements.lock (production) and requirements-dev.lock (with the
test and lint tools) from pyproject.toml; these tests fail when pyproject.toml names a
package that a lock does not pin, when a pinned version falls outside what
pyproject.toml allows, or when a pin has no hash.
"""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def _pins(lock: Path) -> dict[str, tuple[str, list[str]]]:
    """Each pinned package's version and the hashes that follow it."""
    pins: dict[str, tuple[str, list[str]]] = {}
    name = None
    for line in lock.read_text().splitlines():
        if match := PIN.match(line):
            name = canonicalize_name(match[1])
            pins[name] = (match[2], [])
        elif name and (hashed := re.search(r"--hash=sha256:([0-9a-f]{64})", line)):
            pins[name][1].append(hashed[1])
    return pins


def _requirements(*, dev: bool) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = list(project["dependencies"])
    if dev:
        names += project["optional-dependencies"]["dev"]
    return [Requirement(name) for name in names]


@pytest.mark.parametrize(
    ("lock", "dev"), [("requirements.lock", False), ("requirements-dev.lock", True)]
)
def test_every_dependency_is_pinned_within_its_range_with_hashes(lock, dev):
    pins = _pins(ROOT / lock)
    assert pins, f"{lock} pins nothing"
    for requirement in _requirements(dev=dev):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{lock} does not pin {requirement.name}: run make lock"
        version, _ = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{lock} pins {requirement.name}=={version}, outside {requirement.specifier}: "
            "run make lock"
        )
    unhashed = sorted(name for name, (_, hashes) in pins.items() if not hashes)
    assert not unhashed, f"{lock} pins these without a hash: {unhashed}"


def test_the_production_lock_holds_no_development_tool():
    production = _pins(ROOT / "requirements.lock")
    runtime = {canonicalize_name(r.name) for r in _requirements(dev=False)}
    for requirement in _requirements(dev=True):
        name = canonicalize_name(requirement.name)
        if name not in runtime:
            assert name not in production, f"requirements.lock pins the dev tool {name}"


def test_setup_installs_from_the_lock_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "--require-hashes --requirement requirements-dev.lock" in makefile
    assert "--no-deps --editable ." in makefile
