import pytest

from diagnostics import peers
from diagnostics.peers import (
    PeerGroup,
    choose_peer_group,
    median,
    peer_groups_for,
    percentile_from_counts,
    percentile_rank,
)
from portal.lib import disclosure

TEN = [10, 20, 20, 30, 40, 50, 60, 70, 80, 90]


def test_the_threshold_is_the_disclosure_modules():
    assert disclosure.MIN_GROUP == 10
    assert not hasattr(peers, "DISCLOSURE_THRESHOLD")


@pytest.mark.parametrize(
    ("value", "scores", "expected"),
    [
        # 100 × (below + 0.5 × equal) / n, worked by hand (scipy's kind="mean"):
        (20, [10, 20, 20, 30] * 3, 50.0),  # (3 + 0.5 × 6) / 12
        (20, TEN, 20.0),  # (1 + 0.5 × 2) / 10
        (10, TEN, 5.0),  # (0 + 0.5) / 10
        (90, TEN, 95.0),  # (9 + 0.5) / 10
        (5, TEN, 0.0),  # below them all
        (95, TEN, 100.0),  # above them all
        (25, TEN, 30.0),  # between: 3 below, none equal
        (50, [50] * 10, 50.0),  # all tied: mid-rank
        (40, [*TEN[:4], 40, 40, 40, 40, 90, 90], 60.0),  # (4 + 0.5 × 4) / 10
    ],
)
def test_percentile_rank_puts_ties_at_mid_rank(value, scores, expected):
    assert percentile_rank(value, scores) == pytest.approx(expected, abs=1e-12)


def test_percentile_rank_of_the_example_in_the_brief():
    """[10, 20, 20, 30] and 20: (1 below + 0.5 × 2 equal) / 4 = 50%; shown only from 10."""
    assert percentile_from_counts(below=1, equal=2, total=4) is None
    assert percentile_rank(20, [10, 20, 20, 30]) is None
    assert percentile_rank(20, [10, 20, 20, 30] + [20] * 6) == 50.0  # 1 + 0.5 × 8 of 10


def test_percentile_from_counts_agrees_with_percentile_rank():
    scores = [3.5, 7, 7, 7, 12.25, 40, 40, 55, 90, 100, 100]
    for value in [0, 3.5, 7, 8, 40, 100, 101]:
        below = sum(score < value for score in scores)
        equal = sum(score == value for score in scores)
        assert percentile_from_counts(below, equal, len(scores)) == percentile_rank(value, scores)


@pytest.mark.parametrize("total", [0, 1, 9])
def test_no_percentile_from_fewer_than_ten(total):
    assert percentile_from_counts(0, total, total) is None
    assert percentile_rank(50, [50] * total) is None


def test_percentile_from_exactly_ten():
    assert percentile_from_counts(below=4, equal=1, total=10) == 45.0
    assert percentile_rank(50, [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]) == 45.0


@pytest.mark.parametrize(("below", "equal", "total"), [(-1, 0, 10), (0, -1, 10), (6, 5, 10)])
def test_inconsistent_counts_are_refused(below, equal, total):
    with pytest.raises(ValueError, match="inconsistent counts"):
        percentile_from_counts(below, equal, total)


def test_median_needs_ten_scores():
    assert median([50] * 9) is None
    assert median([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]) == 5.5  # even: mean of the middle two
    assert median([*range(1, 11), 1000]) == 6.0
    assert median([]) is None


def test_peer_groups_widen_in_the_specified_order():
    assert peer_groups_for("TLC", "J", "micro") == [
        PeerGroup("TLC", "J", "micro"),  # region, section, size
        PeerGroup("TLC", None, "micro"),  # region, size
        PeerGroup(None, "J", "micro"),  # UK, section, size
        PeerGroup(None, None, "micro"),  # UK, size
        PeerGroup(None, None, None),  # UK
    ]


def test_peer_groups_leave_out_what_the_business_did_not_say():
    assert peer_groups_for(None, "J", "micro") == [
        PeerGroup(None, "J", "micro"),
        PeerGroup(None, None, "micro"),
        PeerGroup(None, None, None),
    ]
    assert peer_groups_for("TLC", None, "micro") == [
        PeerGroup("TLC", None, "micro"),
        PeerGroup(None, None, "micro"),
        PeerGroup(None, None, None),
    ]
    assert peer_groups_for("TLC", "J", None) == [PeerGroup(None, None, None)]


def test_peer_group_is_frozen_and_hashable():
    group = PeerGroup("TLC", "J", "micro")

    with pytest.raises(AttributeError):
        group.size = "small"  # type: ignore[misc]
    assert {group: 1}[PeerGroup("TLC", "J", "micro")] == 1


def test_choose_peer_group_takes_the_first_with_at_least_ten():
    groups = peer_groups_for("TLC", "J", "micro")

    counts = [9, 0, 10, 40, 500]

    assert choose_peer_group(zip(groups, counts, strict=True)) == (groups[2], 10)


def test_choose_peer_group_at_the_boundary():
    groups = peer_groups_for("TLC", "J", "micro")

    assert choose_peer_group([(groups[0], 10)]) == (groups[0], 10)
    assert choose_peer_group([(groups[0], 9), (groups[1], 11)]) == (groups[1], 11)


def test_choose_peer_group_gives_none_when_even_the_uk_has_fewer_than_ten():
    groups = peer_groups_for("TLC", "J", "micro")

    assert choose_peer_group(zip(groups, [1, 2, 3, 4, 9], strict=True)) is None
    assert choose_peer_group([]) is None
