"""Periods of time (:class:`Period`: a month, a quarter, "next week", "this winter") and how
one is said back ("third quarter of 2019 (July–September)", "next week (10–16 June 2019)").

Dates themselves are written by :mod:`bot.i18n.dates` (CLDR, one style per language), whose
functions are re-exported here for the readers of periods; reading periods from what members
write is the understanding stage's job (:mod:`bot.understanding.periods`).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from bot.i18n.dates import format_day, format_month, format_span, format_when, month_name

__all__ = [
    "Period",
    "add_months",
    "format_day",
    "format_month",
    "format_period",
    "format_span",
    "format_when",
    "half_period",
    "month_name",
    "month_period",
    "parse_code",
    "plan_in_force",
    "quarter_period",
    "year_period",
]

LANGUAGES = ("es", "en", "fr")

# --- Saying periods back ------------------------------------------------------------------

_ORDINALS = {
    "es": ("primer", "segundo", "tercer", "cuarto"),
    "en": ("first", "second", "third", "fourth"),
    "fr": ("premier", "deuxième", "troisième", "quatrième"),
}
_QUARTER = {
    "es": "{ordinal} trimestre de {year}",
    "en": "{ordinal} quarter of {year}",
    "fr": "{ordinal} trimestre {year}",
}
_HALF = {
    "es": ("primer semestre de {year}", "segundo semestre de {year}"),
    "en": ("first half of {year}", "second half of {year}"),
    "fr": ("premier semestre {year}", "second semestre {year}"),
}
_RELATIVE = {
    "today": {"es": "hoy", "en": "today", "fr": "aujourd'hui"},
    "tomorrow": {"es": "mañana", "en": "tomorrow", "fr": "demain"},
    "day_after_tomorrow": {
        "es": "pasado mañana", "en": "the day after tomorrow", "fr": "après-demain"
    },
    "yesterday": {"es": "ayer", "en": "yesterday", "fr": "hier"},
    "this_week": {"es": "esta semana", "en": "this week", "fr": "cette semaine"},
    "next_week": {"es": "la semana que viene", "en": "next week", "fr": "la semaine prochaine"},
    "last_week": {"es": "la semana pasada", "en": "last week", "fr": "la semaine dernière"},
    "this_month": {"es": "este mes", "en": "this month", "fr": "ce mois-ci"},
    "next_month": {"es": "el mes que viene", "en": "next month", "fr": "le mois prochain"},
    "last_month": {"es": "el mes pasado", "en": "last month", "fr": "le mois dernier"},
    "this_quarter": {"es": "este trimestre", "en": "this quarter", "fr": "ce trimestre"},
    "next_quarter": {
        "es": "el próximo trimestre", "en": "next quarter", "fr": "le trimestre prochain"
    },
    "this_year": {"es": "este año", "en": "this year", "fr": "cette année"},
    "next_year": {"es": "el año que viene", "en": "next year", "fr": "l'année prochaine"},
    "last_year": {"es": "el año pasado", "en": "last year", "fr": "l'année dernière"},
    "rest_of_year": {
        "es": "el resto del año", "en": "the rest of the year", "fr": "le reste de l'année"
    },
}  # fmt: skip
_SEASONS = {
    "spring": {"es": "primavera", "en": "spring", "fr": "printemps"},
    "summer": {"es": "verano", "en": "summer", "fr": "été"},
    "autumn": {"es": "otoño", "en": "autumn", "fr": "automne"},
    "winter": {"es": "invierno", "en": "winter", "fr": "hiver"},
}


def _month_aligned(start: date, end: date) -> bool:
    return start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]


# --- Periods ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """A stretch of days someone asked about.

    Attributes:
        start: The first day.
        end: The last day (inclusive).
        precision: ``day``, ``week``, ``month``, ``quarter``, ``half``, ``year`` or ``period``
            (anything else, such as a month range).
        label: How it was named, to say it back: ``("relative", "next_week")``,
            ``("quarter", 3)``, ``("half", 1)``, or ``()`` when the dates say it all.
    """

    start: date
    end: date
    precision: str
    label: tuple[str | int, ...] = ()

    def contains(self, day: date) -> bool:
        """Whether ``day`` falls in the period."""
        return self.start <= day <= self.end

    def code(self) -> str:
        """A compact form for buttons, read back by :func:`parse_code`:
        ``2019-06``, ``2019-06-08``, ``2019``, ``2019-Q3``, ``2019-H1``, ``2019-06-10/2019-06-16``.
        """
        if self.precision == "day":
            return self.start.isoformat()
        if self.precision == "month":
            return _year_month(self.start)
        if self.precision == "year":
            return str(self.start.year)
        if self.precision == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.precision == "half":
            return f"{self.start.year}-H{1 if self.start.month == 1 else 2}"
        if _month_aligned(self.start, self.end):
            return f"{_year_month(self.start)}/{_year_month(self.end)}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    def shifted(self, months: int) -> Period:
        """The period of the same kind ``months`` calendar months earlier (negative) or later,
        for navigation buttons: the month before, the next quarter…"""
        first = add_months(date(self.start.year, self.start.month, 1), months)
        if self.precision == "month":
            return month_period(first.year, first.month)
        if self.precision == "quarter":
            return quarter_period(first.year, (first.month - 1) // 3 + 1)
        if self.precision == "half":
            return half_period(first.year, 1 if first.month <= 6 else 2)
        if self.precision == "year":
            return year_period(first.year)
        last = add_months(date(self.end.year, self.end.month, 1), months)
        end = date(last.year, last.month, calendar.monthrange(last.year, last.month)[1])
        return Period(first, end, "period")


def _year_month(day: date) -> str:
    # What f"{day:%Y-%m}" writes (years are never zero-padded there), without strftime.
    return f"{day.year}-{day.month:02d}"


def month_period(year: int, month: int) -> Period:
    """The whole of one month."""
    return Period(
        date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
    )


def year_period(year: int) -> Period:
    """The whole of one year."""
    return Period(date(year, 1, 1), date(year, 12, 31), "year")


def quarter_period(year: int, quarter: int) -> Period:
    """One quarter (1..4) of ``year``."""
    first = 3 * (quarter - 1) + 1
    end = date(year, first + 2, calendar.monthrange(year, first + 2)[1])
    return Period(date(year, first, 1), end, "quarter", ("quarter", quarter))


def half_period(year: int, half: int) -> Period:
    """One half (1 or 2) of ``year``."""
    if half == 1:
        return Period(date(year, 1, 1), date(year, 6, 30), "half", ("half", 1))
    return Period(date(year, 7, 1), date(year, 12, 31), "half", ("half", 2))


def plan_in_force(years: Iterable[int], today: date) -> int:
    """The year of the work plan in force on ``today``, among the plans of ``years``: this
    year's plan if there is one, else the next one published, else the latest (``today``'s
    year when there is no plan at all)."""
    known = sorted(set(years))
    if not known or today.year in known:
        return today.year
    later = [year for year in known if year > today.year]
    return later[0] if later else known[-1]


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` calendar months after ``day``'s (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@lru_cache(maxsize=1024)
def format_period(period: Period, language: str) -> str:
    """The period said back: "junio de 2019", "tercer trimestre de 2019 (julio–septiembre)",
    "la semana que viene (10–16 de junio de 2019)"."""
    span = format_span(period.start, period.end, language)
    label = period.label
    if label and label[0] == "quarter":
        ordinal = _ORDINALS[language][int(label[1]) - 1]
        named = _QUARTER[language].format(ordinal=ordinal, year=period.start.year)
        return f"{named} ({_month_span(period, language)})"
    if label and label[0] == "half":
        return _HALF[language][int(label[1]) - 1].format(year=period.start.year)
    if label and label[0] == "relative":
        words = _RELATIVE.get(str(label[1]), {}).get(language)
        if words:
            return f"{words} ({span})"
    if label and label[0] == "season":
        name = _SEASONS[str(label[1])][language]
        return f"{name} {_season_year(period)} ({_month_span(period, language)})"
    return span


def _month_span(period: Period, language: str) -> str:
    return f"{month_name(period.start.month, language)}–{month_name(period.end.month, language)}"


def _season_year(period: Period) -> str:
    # A winter runs over the new year: "winter 2019–2020".
    if period.start.year == period.end.year:
        return str(period.start.year)
    return f"{period.start.year}–{period.end.year}"


_ISO = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:/(\d{4})-(\d{2})(?:-(\d{2}))?)?$|^(\d{4})-([qh])([1-4])$"
)


def parse_code(code: str) -> Period | None:
    """Read back :meth:`Period.code` (and ISO dates: ``2019-06``, ``2019-06-08``, ``2019``)."""
    found = _ISO.match(code.strip().lower())
    if not found:
        return None
    g = found.groups()
    try:
        if g[6]:
            year, kind, number = int(g[6]), g[7], int(g[8])
            if kind == "q":
                return quarter_period(year, number)
            return half_period(year, number) if number <= 2 else None
        year = int(g[0])
        if not 1990 <= year <= 2100:
            return None
        if g[1] is None:
            return year_period(year)
        if g[2] is None:
            start = month_period(year, int(g[1]))
        else:
            day = date(year, int(g[1]), int(g[2]))
            start = Period(day, day, "day")
        if g[3] is None:
            return start
        if g[5] is None:
            end = month_period(int(g[3]), int(g[4])).end
        else:
            end = date(int(g[3]), int(g[4]), int(g[5]))
    except ValueError:
        return None
    if end < start.start or (end - start.start).days > 3660:
        return None
    if start.start.weekday() == 0 and (end - start.start).days == 6:
        return Period(start.start, end, "week")
    return Period(start.start, end, "period")
