"""Working days by the official PRC calendar (法定节假日 and 调休 make-up days).

chinesecalendar knows the years the State Council has announced. For any other year we fall
back to Monday–Friday and say so: every result carries `estimated`, which the UI shows.
"""

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar


@dataclass(frozen=True)
class WorkingDay:
    """A date computed in working days; `estimated` when a year outside the official data was used."""

    date: date
    estimated: bool = False


def _workday(day: date) -> tuple[bool, bool]:
    """(is a working day, estimated)."""
    try:
        return bool(chinese_calendar.is_workday(day)), False
    except NotImplementedError:
        return day.weekday() < 5, True


def is_working_day(day: date) -> bool:
    """Whether `day` is a working day (Monday–Friday guess for years without official data)."""
    return _workday(day)[0]


def add_working_days(start: date, n: int) -> WorkingDay:
    """The date `n` working days after `start` (before it when n < 0); n = 0 gives `start`.

    Counting starts the day after `start`, as a deadline "within 10 working days" does.
    """
    step = 1 if n >= 0 else -1
    remaining = abs(n)
    day = start
    estimated = False
    while remaining:
        day += timedelta(days=step)
        workday, guessed = _workday(day)
        estimated = estimated or guessed
        if workday:
            remaining -= 1
    return WorkingDay(day, estimated)


def working_days_between(start: date, end: date) -> tuple[int, bool]:
    """Working days in (start, end]; negative when end is before start. Returns (count, estimated)."""
    if end < start:
        count, estimated = working_days_between(end, start)
        return -count, estimated
    count, estimated = 0, False
    day = start
    while day < end:
        day += timedelta(days=1)
        workday, guessed = _workday(day)
        estimated = estimated or guessed
        count += workday
    return count, estimated


def add_months(start: date, months: int) -> date:
    """Calendar months later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def period_last_day(start: date, months: int) -> date:
    """The last day of a period of `months` counted from `start` (rules P11, S2): from 15
    January for 12 months, the 14 January of the next year. When the month reached has no day
    of `start`'s number the period runs to that month's last day (from 31 August for 6 months,
    28 February, not the 27th)."""
    same_day = add_months(start, months)
    if same_day.day < start.day:  # clamped: the period ends with the month
        return same_day
    return same_day - timedelta(days=1)


def add_years(start: date, years: int) -> date:
    return add_months(start, 12 * years)
