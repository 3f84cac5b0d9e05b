"""When an advice request is overdue: pure functions over dates, no ORM.

The team promises to contact a founder within 5 working days. Working days are Monday
to Friday; bank holidays are not taken out (they differ between the four nations and
the rule must stay one that a founder and an adviser can both work out). A request is
due by the end of the fifth working day after the day it was asked, and overdue from
the next day on while nobody has contacted the founder: asked on a Monday, it is due
by the following Monday and overdue on the Tuesday; asked on a Saturday or a Sunday,
the days count from the Monday, so it is due by the Friday and overdue on the Saturday.
"""

from datetime import date, timedelta

RESPONSE_WORKING_DAYS = 5

_ONE_DAY = timedelta(days=1)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself for 0)."""
    if count < 0:
        raise ValueError("count must not be negative")
    while count:
        day += _ONE_DAY
        if is_working_day(day):
            count -= 1
    return day


def contact_due(asked_on: date) -> date:
    """The last day on which a request asked on ``asked_on`` is not yet overdue."""
    return add_working_days(asked_on, RESPONSE_WORKING_DAYS)


def is_overdue(asked_on: date, today: date) -> bool:
    """Whether a request asked on ``asked_on``, and not contacted yet, is overdue today."""
    return today > contact_due(asked_on)


def overdue_before(today: date) -> date:
    """The first day whose requests are not overdue today: every request asked on an
    earlier day and not contacted yet is overdue (``is_overdue`` as one comparison, for
    a query on the day asked)."""
    first = today
    while contact_due(first - _ONE_DAY) >= today:
        first -= _ONE_DAY
    return first
