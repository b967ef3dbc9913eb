"""When things fall due: the local send days of a window, the first working day of a month,
and how long a reminder stays useful (the rules of docs/reminders.md, as plain functions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["first_working_day", "month_code", "next_month", "reminder_expiry", "send_days"]


def first_working_day(year: int, month: int) -> date:
    """The first Monday–Friday of a month (public holidays are not known to the bot)."""
    day = date(year, month, 1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def send_days(
    tz: ZoneInfo, start: datetime, end: datetime, hour: int
) -> list[tuple[date, datetime]]:
    """Local days whose ``hour``:00 in ``tz`` falls in ``(start, end]``, with that instant."""
    found = []
    day = start.astimezone(tz).date() - timedelta(days=1)
    last = end.astimezone(tz).date()
    while day <= last:
        at = datetime.combine(day, time(hour), tz)
        if start < at <= end:
            found.append((day, at))
        day += timedelta(days=1)
    return found


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def month_code(day: date) -> str:
    """``day``'s month as the outbox writes it (``2019-06``)."""
    return f"{day.year:04d}-{day.month:02d}"


def reminder_expiry(
    start: date, days: int, rules: Sequence[int], tz: ZoneInfo, send_hour: int
) -> datetime:
    """Until when the ``days``-before reminder of an event on ``start`` is worth sending.

    A reminder is useful until the next, closer reminder of the same event is due (``rules``
    are all the lead times), and the last one until the end of the event's first day.
    """
    closer = [r for r in rules if 0 <= r < days]
    if closer:
        return datetime.combine(start - timedelta(days=max(closer)), time(send_hour), tz)
    return datetime.combine(start + timedelta(days=1), time(0), tz)
