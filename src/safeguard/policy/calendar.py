"""England & Wales working days."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales share one bank-holiday calendar ("ENG" in the holidays package covers both).
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


@lru_cache(maxsize=65536)  # pure, and called for every obligation of every case the sweep evaluates
def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (0 gives the next working day on or after start)."""
    current = start
    if days <= 0:
        while not is_working_day(current):
            current += timedelta(days=1)
        return current
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


@lru_cache(maxsize=65536)
def subtract_working_days(end: date, days: int) -> date:
    """The date `days` working days before `end`."""
    current = end
    remaining = days
    while remaining > 0:
        current -= timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when end is before start)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def latest_start_with(end: date, days: int) -> date:
    """The latest `start` with working_days_between(start, end) >= days: a date column compared with it finds the
    rows at least `days` working days old in one query, instead of counting the days of every row. `end` itself
    counts when it is a working day; the rest are the working days before it."""
    return subtract_working_days(end, days - (1 if is_working_day(end) else 0)) - timedelta(days=1)


def add_weeks(start: date, weeks: int) -> date:
    return start + timedelta(weeks=weeks)


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, _days_in_month(year, month))
    return date(year, month, day)


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - timedelta(days=1)).day


@lru_cache(maxsize=8192)  # pure; strftime is slow and the engine writes a date into most reason sentences
def long_date(day: date) -> str:
    """'3 March 2021': the form used in reason sentences."""
    return f"{day.day} {day:%B %Y}"
