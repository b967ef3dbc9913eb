"""Every shape of date the bot says, in the three languages: the one table of the style.

Chat replies, reminders, digests, staff overviews, the Slack home tab and the calendar feeds
all say dates through :mod:`bot.i18n.dates`; this table is where the style is decided.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from bot.i18n.dates import (
    LANGUAGES,
    format_day,
    format_month,
    format_span,
    format_when,
    month_name,
    no_date,
    to_be_confirmed,
)

D = date

# (shape, how it is said, es, en, fr)
TABLE: list[tuple[str, Callable[[str], str], str, str, str]] = [
    ("month name", lambda lang: month_name(3, lang), "marzo", "March", "mars"),
    ("day", lambda lang: format_day(D(2019, 3, 8), lang),
     "8 de marzo de 2019", "8 March 2019", "8 mars 2019"),
    ("first of a month", lambda lang: format_day(D(2019, 3, 1), lang),
     "1 de marzo de 2019", "1 March 2019", "1er mars 2019"),
    ("day, no year", lambda lang: format_day(D(2019, 6, 12), lang, year=False),
     "12 de junio", "12 June", "12 juin"),
    ("first of a month, no year", lambda lang: format_day(D(2019, 6, 1), lang, year=False),
     "1 de junio", "1 June", "1er juin"),
    ("day with its weekday", lambda lang: format_day(D(2019, 6, 12), lang, weekday=True),
     "miércoles, 12 de junio de 2019", "Wednesday, 12 June 2019", "mercredi 12 juin 2019"),
    ("first of a month with its weekday",
     lambda lang: format_day(D(2019, 3, 1), lang, weekday=True),
     "viernes, 1 de marzo de 2019", "Friday, 1 March 2019", "vendredi 1er mars 2019"),
    ("month", lambda lang: format_month(2019, 6, lang), "junio de 2019", "June 2019", "juin 2019"),
    ("one day as a span", lambda lang: format_span(D(2019, 3, 8), D(2019, 3, 8), lang),
     "8 de marzo de 2019", "8 March 2019", "8 mars 2019"),
    ("days of one month", lambda lang: format_span(D(2019, 6, 10), D(2019, 6, 16), lang),
     "10–16 de junio de 2019", "10–16 June 2019", "10–16 juin 2019"),
    ("days of one month from the first",
     lambda lang: format_span(D(2019, 6, 1), D(2019, 6, 7), lang),
     "1–7 de junio de 2019", "1–7 June 2019", "1er–7 juin 2019"),
    ("days across months", lambda lang: format_span(D(2019, 5, 27), D(2019, 6, 2), lang),
     "27 de mayo–2 de junio de 2019", "27 May–2 June 2019", "27 mai–2 juin 2019"),
    ("days across years", lambda lang: format_span(D(2019, 12, 30), D(2020, 1, 3), lang),
     "30 de diciembre de 2019–3 de enero de 2020", "30 December 2019–3 January 2020",
     "30 décembre 2019–3 janvier 2020"),
    ("a whole month as a span", lambda lang: format_span(D(2019, 6, 1), D(2019, 6, 30), lang),
     "junio de 2019", "June 2019", "juin 2019"),
    ("months of one year", lambda lang: format_span(D(2019, 2, 1), D(2019, 3, 31), lang),
     "febrero–marzo de 2019", "February–March 2019", "février–mars 2019"),
    ("months across years", lambda lang: format_span(D(2019, 11, 1), D(2020, 1, 31), lang),
     "noviembre de 2019–enero de 2020", "November 2019–January 2020",
     "novembre 2019–janvier 2020"),
    ("a whole year", lambda lang: format_span(D(2019, 1, 1), D(2019, 12, 31), lang),
     "2019", "2019", "2019"),
    ("whole years", lambda lang: format_span(D(2019, 1, 1), D(2020, 12, 31), lang),
     "2019–2020", "2019–2020", "2019–2020"),
    ("item known by its day", lambda lang: format_when("day", D(2019, 3, 1), D(2019, 3, 1), lang),
     "1 de marzo de 2019", "1 March 2019", "1er mars 2019"),
    ("item known by its day, as reminders say it",
     lambda lang: format_when("day", D(2019, 3, 1), D(2019, 3, 1), lang, weekday=True),
     "viernes, 1 de marzo de 2019", "Friday, 1 March 2019", "vendredi 1er mars 2019"),
    ("item known by its month",
     lambda lang: format_when("month", D(2019, 11, 1), D(2019, 11, 30), lang),
     "noviembre de 2019", "November 2019", "novembre 2019"),
    ("item known by a period",
     lambda lang: format_when("period", D(2019, 2, 1), D(2019, 3, 31), lang),
     "febrero–marzo de 2019", "February–March 2019", "février–mars 2019"),
    ("item known by its year",
     lambda lang: format_when("year", D(2019, 1, 1), D(2019, 12, 31), lang),
     "2019", "2019", "2019"),
    ("item whose date is to be confirmed", lambda lang: format_when("tbc", None, None, lang),
     "fecha por confirmar", "date to be confirmed", "date à confirmer"),
    ("item with no date", lambda lang: format_when("none", None, None, lang),
     "sin fecha", "no date", "sans date"),
    ("to be confirmed", to_be_confirmed,
     "fecha por confirmar", "date to be confirmed", "date à confirmer"),
    ("no date", no_date, "sin fecha", "no date", "sans date"),
]  # fmt: skip


@pytest.mark.parametrize(("shape", "say", "es", "en", "fr"), TABLE, ids=[r[0] for r in TABLE])
def test_every_shape_in_every_language(
    shape: str, say: Callable[[str], str], es: str, en: str, fr: str
) -> None:
    assert [say(language) for language in LANGUAGES] == [es, en, fr]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_weekday_form_holds_the_day_form(language: str) -> None:
    # A reminder's "Friday, 1 March 2019" must read like the chat's "1 March 2019".
    day = D(2019, 1, 1)
    for _ in range(366):
        assert format_day(day, language) in format_day(day, language, weekday=True)
        day += timedelta(days=1)
