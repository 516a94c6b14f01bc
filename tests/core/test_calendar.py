"""Working days by the official calendar, with real 2025 and 2026 holidays and make-up days."""

from datetime import date

import pytest

from baomi.core.calendar import add_months, add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize("start, n, expected", [
    (date(2025, 9, 30), 1, date(2025, 10, 9)),   # National Day week 2025: 1–8 October off
    (date(2025, 9, 27), 1, date(2025, 9, 28)),   # Sunday 28 September 2025 is a make-up day
    (date(2025, 10, 9), 2, date(2025, 10, 11)),  # so is Saturday 11 October 2025
    (date(2026, 9, 19), 1, date(2026, 9, 20)),   # Sunday 20 September 2026 is a make-up day
    (date(2026, 9, 30), 1, date(2026, 10, 8)),   # National Day 2026: 1–7 October off
    (date(2026, 9, 25), 10, date(2026, 10, 15)),  # ten working days across the holiday
    (date(2026, 2, 13), 1, date(2026, 2, 14)),   # Saturday 14 February 2026: Spring Festival make-up
    (date(2026, 10, 9), 0, date(2026, 10, 9)),
    (date(2026, 10, 8), -1, date(2026, 9, 30)),
])
def test_add_working_days_follows_the_official_calendar(start, n, expected):
    result = add_working_days(start, n)
    assert result.date == expected
    assert result.estimated is False


def test_make_up_days_and_holidays():
    assert is_working_day(date(2025, 9, 28)) is True  # Sunday, make-up
    assert is_working_day(date(2025, 10, 1)) is False  # Wednesday, holiday
    assert is_working_day(date(2026, 10, 10)) is True  # Saturday, make-up


def test_unknown_year_falls_back_to_weekdays_and_says_so():
    result = add_working_days(date(2026, 12, 31), 1)
    assert result.date == date(2027, 1, 1)  # a Friday: the weekday guess
    assert result.estimated is True
    later = add_working_days(date(2027, 3, 5), 1)  # Friday → Monday
    assert later.date == date(2027, 3, 8) and later.estimated


def test_working_days_between_counts_the_interval():
    assert working_days_between(date(2025, 9, 30), date(2025, 10, 9)) == (1, False)
    assert working_days_between(date(2025, 10, 9), date(2025, 9, 30)) == (-1, False)
    assert working_days_between(date(2026, 12, 30), date(2027, 1, 4))[1] is True


@pytest.mark.parametrize("start, months, expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),
    (date(2026, 11, 24), 6, date(2027, 5, 24)),
    (date(2026, 3, 31), -1, date(2026, 2, 28)),
])
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected
