"""Dates and periods said the way each language writes them, from CLDR data (through Babel).

One style per language, for every place the bot says a date: chat replies, reminders,
digests, the staff overviews, the Slack home tab and the calendar feeds.

=====================  ==========================  =======================  ======================
shape                  es                          en                       fr
=====================  ==========================  =======================  ======================
day                    8 de marzo de 2019          8 March 2019             8 mars 2019
first of a month       1 de marzo de 2019          1 March 2019             1er mars 2019
day, no year           8 de marzo                  8 March                  8 mars
day with its weekday   viernes, 8 de marzo de 2019 Friday, 8 March 2019     vendredi 8 mars 2019
month                  junio de 2019               June 2019                juin 2019
days of one month      10–16 de junio de 2019      10–16 June 2019          10–16 juin 2019
days across months     27 de mayo–2 de junio de …  27 May–2 June 2019       27 mai–2 juin 2019
months of one year     febrero–marzo de 2019       February–March 2019      février–mars 2019
months across years    noviembre de 2019–enero …   November 2019–January …  novembre 2019–janvier …
whole years            2019, 2019–2020             2019, 2019–2020          2019, 2019–2020
=====================  ==========================  =======================  ======================

(``tests/i18n/test_dates.py`` holds the whole table, every shape in the three languages.)

Month names, the order of day, month and year and the words between them ("de") are CLDR's
patterns for the skeletons ``yMMMMd``, ``MMMMd``, ``yMMMM`` and the ``full`` date format.
Three small rules sit on top, each written here only:

- **English is British English** (CLDR ``en_GB``): day before month, like the bot's texts
  ("Organised by").
- **French writes the first day of a month "1er"** (premier), as French typography wants;
  CLDR's date patterns have no ordinal day, so the pattern's day field becomes the literal
  ``1er`` on the first of a month.
- **A range is two dates joined by an en dash without spaces, and what the end repeats is
  said once, at the end**: "10–16 June 2019", "febrero–marzo de 2019". CLDR's own interval
  formats were not used: for English they fall back to abbreviated months ("10 – 16 Jun
  2019") and they space the dash differently in each language, so a range would not read
  like the single dates around it.

"To be confirmed" and "no date" are the bot's own words, not CLDR data.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list

__all__ = [
    "LANGUAGES",
    "format_day",
    "format_month",
    "format_span",
    "format_when",
    "format_years",
    "month_name",
    "no_date",
    "to_be_confirmed",
]

LANGUAGES = ("es", "en", "fr")
# The CLDR locale each language is written in (see the module's notes for English).
_LOCALES = {"es": "es", "en": "en_GB", "fr": "fr"}
_TBC = {"es": "fecha por confirmar", "en": "date to be confirmed", "fr": "date à confirmer"}
_UNDATED = {"es": "sin fecha", "en": "no date", "fr": "sans date"}
# A lone day field of a CLDR pattern ("d", not "dd" nor the "d" of a quoted word).
_DAY_FIELD = re.compile(r"(?<!d)d(?!d)")
_DASH = "–"


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(_LOCALES[language])


def _first_day_literal(pattern: str) -> str:
    """The pattern with its day field written ``1er`` (quoted parts left alone)."""
    parts = pattern.split("'")
    # Between quotes (odd parts) is literal text; "''" is a quote and leaves an empty part.
    for i in range(0, len(parts), 2):
        parts[i] = _DAY_FIELD.sub("'1er'", parts[i])
    return "'".join(parts)


@cache
def _pattern(language: str, shape: str, first_of_month: bool) -> str:
    locale = _locale(language)
    if shape == "full":
        pattern = locale.date_formats["full"].pattern
    else:
        pattern = locale.datetime_skeletons[shape].pattern
    if first_of_month and language == "fr":
        pattern = _first_day_literal(pattern)
    return pattern


def _cldr(day: date, language: str, shape: str) -> str:
    return format_date(day, _pattern(language, shape, day.day == 1), locale=_locale(language))


@lru_cache(maxsize=64)
def month_name(month: int, language: str) -> str:
    """The month's name in ``language`` ("junio", "June", "juin")."""
    return _locale(language).months["format"]["wide"][month]


@lru_cache(maxsize=4096)
def format_day(day: date, language: str, *, year: bool = True, weekday: bool = False) -> str:
    """A day: "8 de marzo de 2019", "8 March 2019", "1er mars 2019".

    Args:
        day: The day.
        language: ``es``, ``en`` or ``fr``.
        year: Whether to say the year ("8 March" without it).
        weekday: Whether to say the weekday too, as reminders do ("Friday, 8 March 2019");
            always with the year.
    """
    if weekday:
        return _cldr(day, language, "full")
    return _cldr(day, language, "yMMMMd" if year else "MMMMd")


@lru_cache(maxsize=1024)
def format_month(year: int, month: int, language: str) -> str:
    """A month: "junio de 2019", "June 2019", "juin 2019"."""
    return _cldr(date(year, month, 1), language, "yMMMM")


def _month_aligned(start: date, end: date) -> bool:
    return start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]


@lru_cache(maxsize=4096)
def format_span(start: date, end: date, language: str) -> str:
    """From ``start`` to ``end`` (inclusive), as briefly as the calendar allows.

    Whole months: "junio de 2019", "febrero–marzo de 2019", "noviembre de 2019–enero de 2020";
    whole years: "2019", "2019–2020"; otherwise days: "10–16 June 2019", "28 juin–4 juillet 2019".
    """
    if start == end:
        return format_day(start, language)
    if start == date(start.year, 1, 1) and end == date(end.year, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}{_DASH}{end.year}"
    if _month_aligned(start, end):
        last = format_month(end.year, end.month, language)
        if (start.year, start.month) == (end.year, end.month):
            return last
        if start.year == end.year:
            return f"{month_name(start.month, language)}{_DASH}{last}"
        return f"{format_month(start.year, start.month, language)}{_DASH}{last}"
    last = format_day(end, language)
    if start.year != end.year:
        return f"{format_day(start, language)}{_DASH}{last}"
    if start.month == end.month:
        return f"{_cldr(start, language, 'd')}{_DASH}{last}"
    return f"{format_day(start, language, year=False)}{_DASH}{last}"


def format_years(years: Iterable[int], language: str) -> str:
    """Plan years said as a list, CLDR's way: "2019 y 2020", "2019 and 2020", "2019 et 2020"."""
    return format_list([str(year) for year in sorted(set(years))], locale=_locale(language))


def to_be_confirmed(language: str) -> str:
    """What an item whose date is still to be set shows: "date to be confirmed"."""
    return _TBC[language]


def no_date(language: str) -> str:
    """What an item without any date shows: "no date"."""
    return _UNDATED[language]


def format_when(
    precision: str,
    start: date | None,
    end: date | None,
    language: str,
    *,
    weekday: bool = False,
) -> str:
    """An item's date by its precision (``day``, ``month``, ``period``, ``year``, ``tbc``,
    ``none``); ``weekday`` adds the weekday to a day, as reminders say it."""
    if precision == "tbc":
        return to_be_confirmed(language)
    if start is None or end is None or precision == "none":
        return no_date(language)
    if precision == "day":
        return format_day(start, language, weekday=weekday)
    if precision == "year":
        return str(start.year)
    return format_span(start, end, language)
