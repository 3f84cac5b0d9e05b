"""Overdue advice requests: 5 working days, Monday to Friday, bank holidays ignored."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.advice.working_days import (
    add_working_days,
    contact_due,
    is_overdue,
    is_working_day,
    overdue_before,
)

# A week in June 2026: Monday 1st to Sunday 7th.
MON, TUE, WED, THU, FRI, SAT, SUN = (date(2026, 6, day) for day in range(1, 8))
NEXT_MON = date(2026, 6, 8)
NEXT_TUE = date(2026, 6, 9)
NEXT_FRI = date(2026, 6, 12)
NEXT_SAT = date(2026, 6, 13)


def test_weekdays_are_working_days_and_weekends_are_not():
    assert [is_working_day(day) for day in (MON, TUE, WED, THU, FRI, SAT, SUN)] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (MON, 0, MON),
        (MON, 1, TUE),
        (MON, 4, FRI),
        (MON, 5, NEXT_MON),  # over the weekend
        (THU, 2, NEXT_MON),
        (FRI, 1, NEXT_MON),
        (SAT, 1, NEXT_MON),  # a weekend day counts from the Monday
        (SUN, 5, NEXT_FRI),
        (SAT, 0, SAT),
    ],
)
def test_add_working_days_skips_saturdays_and_sundays(day, count, expected):
    assert add_working_days(day, count) == expected


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        add_working_days(MON, -1)


@pytest.mark.parametrize(
    ("asked_on", "due", "first_overdue_day"),
    [
        (MON, NEXT_MON, NEXT_TUE),
        (WED, date(2026, 6, 10), date(2026, 6, 11)),
        (FRI, date(2026, 6, 12), NEXT_SAT),
        # Asked at the weekend: the five days are Monday to Friday.
        (SAT, NEXT_FRI, NEXT_SAT),
        (SUN, NEXT_FRI, NEXT_SAT),
    ],
)
def test_a_request_is_overdue_the_day_after_its_fifth_working_day(
    asked_on, due, first_overdue_day
):
    assert contact_due(asked_on) == due
    assert not is_overdue(asked_on, due)
    assert not is_overdue(asked_on, asked_on)
    assert is_overdue(asked_on, first_overdue_day)
    assert is_overdue(asked_on, first_overdue_day + timedelta(days=30))


def test_overdue_before_is_the_first_day_whose_requests_are_not_overdue():
    # On Tuesday 9 June, Monday 1 June's requests are overdue, Tuesday 2 June's are not.
    assert overdue_before(NEXT_TUE) == TUE
    # On a Saturday, the weekend of the week before is overdue too (due on the Friday).
    assert overdue_before(NEXT_SAT) == NEXT_MON
    # On a Monday, the Friday and the weekend before the week before are overdue.
    assert overdue_before(NEXT_MON) == MON


@given(
    asked_on=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    days_later=st.integers(min_value=-3, max_value=40),
)
def test_overdue_before_says_the_same_as_is_overdue(asked_on, days_later):
    today = asked_on + timedelta(days=days_later)
    assert is_overdue(asked_on, today) == (asked_on < overdue_before(today))


@given(asked_on=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
def test_the_due_day_is_a_working_day_five_working_days_on(asked_on):
    due = contact_due(asked_on)
    assert is_working_day(due)
    between = [asked_on + timedelta(days=n) for n in range(1, (due - asked_on).days + 1)]
    assert sum(is_working_day(day) for day in between) == 5
