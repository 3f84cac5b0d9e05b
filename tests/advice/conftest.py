import pytest

from portal.matching import candidates


@pytest.fixture(autouse=True)
def _fresh_candidates():
    """Each test ranks what its own database holds, not what an earlier test built."""
    candidates.forget()
    yield
    candidates.forget()
