import pytest

from portal.matching import candidates


@pytest.fixture(autouse=True)
def _fresh_candidates():
    """Each test ranks what its own database holds, not what an earlier test built."""
    candidates.forget()
    yield
    candidates.forget()


def pytest_terminal_summary(terminalreporter):
    """The evaluation figures, whenever tests/matching/test_evaluation.py ran."""
    from tests.matching.test_evaluation import FIGURES

    if not FIGURES:
        return
    terminalreporter.section("matching: adviser cases")
    for key in ("cases", "precision_at_5", "ndcg_at_10"):
        terminalreporter.write_line(f"{key}: {FIGURES[key]}")
    terminalreporter.write_line(
        f"baseline (covers the 3 weakest dimensions): precision_at_5 "
        f"{FIGURES['baseline_precision_at_5']}, ndcg_at_10 {FIGURES['baseline_ndcg_at_10']}"
    )
    for case_id, (precision, base, top) in FIGURES["weakest_cases"].items():
        terminalreporter.write_line(
            f"  weakest: {case_id} p@5 {precision} (baseline {base}): {top}"
        )
