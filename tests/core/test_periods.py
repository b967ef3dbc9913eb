"""Periods named in es/en/fr, their safe handling of ambiguous words, and local date formats."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.periods import (
    Period,
    format_day,
    format_month,
    format_period,
    format_span,
    format_when,
    month_period,
    parse_code,
)
from bot.understanding.periods import find_period

TODAY = date(2019, 5, 20)  # a Monday
YEAR = 2019


def _find(text: str, *, today: date = TODAY, year: int = YEAR, lenient: bool = False):
    found = find_period(text, today=today, year=year, lenient=lenient)
    return found.period if found else None


def _code(text: str, **kwargs: object) -> str | None:
    period = _find(text, **kwargs)  # type: ignore[arg-type]
    return period.code() if period else None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Month names, with or without accents, abbreviated or not, in three languages.
        ("junio", "2019-06"),
        ("June", "2019-06"),
        ("juin", "2019-06"),
        ("jun", "2019-06"),
        ("JUNIO", "2019-06"),
        ("septiembre", "2019-09"),
        ("setiembre", "2019-09"),
        ("sept", "2019-09"),
        ("sep", "2019-09"),
        ("September", "2019-09"),
        ("août", "2019-08"),
        ("aout", "2019-08"),
        ("agosto", "2019-08"),
        ("février", "2019-02"),
        ("fevrier", "2019-02"),
        ("décembre", "2019-12"),
        ("dic", "2019-12"),
        ("marzo", "2019-03"),
        ("mars", "2019-03"),
        ("mayo", "2019-05"),
        ("mai", "2019-05"),
        ("juillet", "2019-07"),
        # In a sentence.
        ("¿qué hay en junio?", "2019-06"),
        ("quoi de prévu en juin ?", "2019-06"),
        ("what happens in June", "2019-06"),
        ("eventos de noviembre", "2019-11"),
        ("what's next in June", "2019-06"),
        # With a year: that year, not the plan's.
        ("junio de 2020", "2020-06"),
        ("June 2018", "2018-06"),
        ("juin 2020", "2020-06"),
        # Days.
        ("8 de marzo", "2019-03-08"),
        ("8 March", "2019-03-08"),
        ("March 8th, 2019", "2019-03-08"),
        ("le 1er mars 2019", "2019-03-01"),
        ("8 mar", "2019-03-08"),
        ("the 8th of March", "2019-03-08"),
        # Month ranges.
        ("from June to September", "2019-06/2019-09"),
        ("de junio a septiembre", "2019-06/2019-09"),
        ("de juin à septembre", "2019-06/2019-09"),
        ("entre junio y agosto", "2019-06/2019-08"),
        ("june-september", "2019-06/2019-09"),
        ("jul–ago", "2019-07/2019-08"),
        ("from November to February", "2019-11/2020-02"),
        ("du 10 juin au 20 juillet", "2019-06-10/2019-07-20"),
        # Quarters and halves: the plan's year unless one is named.
        ("Q3", "2019-Q3"),
        ("q1 2020", "2020-Q1"),
        ("third quarter", "2019-Q3"),
        ("tercer trimestre", "2019-Q3"),
        ("troisième trimestre", "2019-Q3"),
        ("troisieme trimestre 2020", "2020-Q3"),
        ("segundo trimestre de 2019", "2019-Q2"),
        ("T4", "2019-Q4"),
        ("first half of 2019", "2019-H1"),
        ("the last quarter", "2019-Q4"),
        ("el último trimestre", "2019-Q4"),
        ("le dernier trimestre", "2019-Q4"),
        ("segundo semestre", "2019-H2"),
        # Years.
        ("2019", "2019"),
        ("en 2020", "2020"),
        ("events in 2020", "2020"),
        # Codes of buttons.
        ("2019-07", "2019-07"),
        ("2019-07-15", "2019-07-15"),
        ("2019-Q3", "2019-Q3"),
        ("2019-06/2019-09", "2019-06/2019-09"),
        ("2019-06-10/2019-06-16", "2019-06-10/2019-06-16"),
    ],
)
def test_named_periods(text: str, code: str) -> None:
    assert _code(text) == code


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("today", date(2019, 5, 20), date(2019, 5, 20), "day"),
        ("hoy", date(2019, 5, 20), date(2019, 5, 20), "day"),
        ("aujourd'hui", date(2019, 5, 20), date(2019, 5, 20), "day"),
        ("tomorrow", date(2019, 5, 21), date(2019, 5, 21), "day"),
        ("mañana", date(2019, 5, 21), date(2019, 5, 21), "day"),
        ("manana", date(2019, 5, 21), date(2019, 5, 21), "day"),
        ("demain", date(2019, 5, 21), date(2019, 5, 21), "day"),
        ("pasado mañana", date(2019, 5, 22), date(2019, 5, 22), "day"),
        ("this week", date(2019, 5, 20), date(2019, 5, 26), "week"),
        ("esta semana", date(2019, 5, 20), date(2019, 5, 26), "week"),
        ("cette semaine", date(2019, 5, 20), date(2019, 5, 26), "week"),
        ("next week", date(2019, 5, 27), date(2019, 6, 2), "week"),
        ("la semana que viene", date(2019, 5, 27), date(2019, 6, 2), "week"),
        ("la próxima semana", date(2019, 5, 27), date(2019, 6, 2), "week"),
        ("la semaine prochaine", date(2019, 5, 27), date(2019, 6, 2), "week"),
        ("this month", date(2019, 5, 1), date(2019, 5, 31), "month"),
        ("este mes", date(2019, 5, 1), date(2019, 5, 31), "month"),
        ("ce mois", date(2019, 5, 1), date(2019, 5, 31), "month"),
        ("ce mois-ci", date(2019, 5, 1), date(2019, 5, 31), "month"),
        ("next month", date(2019, 6, 1), date(2019, 6, 30), "month"),
        ("el mes que viene", date(2019, 6, 1), date(2019, 6, 30), "month"),
        ("el próximo mes", date(2019, 6, 1), date(2019, 6, 30), "month"),
        ("le mois prochain", date(2019, 6, 1), date(2019, 6, 30), "month"),
        ("next quarter", date(2019, 7, 1), date(2019, 9, 30), "quarter"),
        ("el próximo trimestre", date(2019, 7, 1), date(2019, 9, 30), "quarter"),
        ("le trimestre prochain", date(2019, 7, 1), date(2019, 9, 30), "quarter"),
        ("this year", date(2019, 1, 1), date(2019, 12, 31), "year"),
        ("el año que viene", date(2020, 1, 1), date(2020, 12, 31), "year"),
    ],
)
def test_relative_periods_count_from_today(
    text: str, start: date, end: date, precision: str
) -> None:
    period = _find(text)
    assert period is not None, text
    assert (period.start, period.end, period.precision) == (start, end, precision)
    assert period.label[0] == "relative"


def test_relative_periods_move_with_the_clock_and_cross_years() -> None:
    december = date(2019, 12, 30)
    assert _code("next month", today=december) == "2020-01"
    assert _find("next week", today=december) == Period(
        date(2020, 1, 6), date(2020, 1, 12), "week", ("relative", "next_week")
    )
    assert _code("next quarter", today=december) == "2020-Q1"
    # A named month stays in the plan's year whatever the date.
    assert _code("junio", today=date(2024, 3, 1)) == "2019-06"
    assert _code("this month", today=date(2024, 3, 1)) == "2024-03"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # English "may" is a month only when it looks like one.
        ("in May", "2019-05"),
        ("may 2019", "2019-05"),
        ("May 8", "2019-05-08"),
        ("events may", "2019-05"),
        ("may", "2019-05"),
        ("from May to July", "2019-05/2019-07"),
        ("I may come", None),
        ("what may happen", None),
        ("events may be cancelled", None),
        # Spanish "mar" is the sea…
        ("agua de mar", None),
        ("el mar", None),
        # … unless it is clearly the month.
        ("8 mar", "2019-03-08"),
        ("mar 2019", "2019-03"),
        ("in mar", "2019-03"),
        ("feb-mar", "2019-02/2019-03"),
        # English "march" is also a walk.
        ("women's march", None),
        ("March", "2019-03"),
        ("in March", "2019-03"),
        # French "mars" is the month, the planet only after "planet"/"to"/"on".
        ("en mars", "2019-03"),
        ("missions to Mars", None),
        ("la planète Mars", None),
        # "ago", "sept", "ene": months only with context.
        ("two weeks ago", "2019-05-06/2019-05-12"),
        ("5 ago", "2019-08-05"),
        ("les sept projets", None),
        ("en sept", "2019-09"),
        ("7 sept", "2019-09-07"),
        # Spanish "mañana" in "the morning" is not tomorrow.
        ("por la mañana", None),
        ("esta mañana", None),
        # Numbers alone are no period, nor names that end in a year-like number.
        ("Urban 20", None),
        ("Local2030", None),
        ("3 projects", None),
        ("", None),
        ("😀", None),
    ],
)
def test_ambiguous_words_follow_safe_rules(text: str, code: str | None) -> None:
    assert _code(text) == code


def test_commands_read_ambiguous_words_as_months() -> None:
    assert _code("may", lenient=True) == "2019-05"
    assert _code("mar", lenient=True) == "2019-03"
    assert _code("sept", lenient=True) == "2019-09"


def test_rest_keeps_the_words_that_are_not_the_period() -> None:
    found = find_period("what's next in June", today=TODAY, year=YEAR)
    assert found is not None and found.rest == ("what", "s", "next")
    found = find_period("eventos de noviembre", today=TODAY, year=YEAR)
    assert found is not None and found.rest == ("eventos",)
    found = find_period("tell me about Women4Climate 2019", today=TODAY, year=YEAR)
    assert found is not None and found.rest == ("tell", "me", "about", "women4climate")


def test_codes_round_trip_and_refuse_nonsense() -> None:
    for text in ("2019-06", "2019-06-08", "2019", "2019-Q3", "2019-H2", "2019-06/2019-09",
                 "2019-06-10/2019-06-16", "2019-06-12/2019-06-20"):  # fmt: skip
        period = parse_code(text)
        assert period is not None and period.code() == text
    for text in ("2019-13", "2019-02-30", "2019-Q5", "1800", "2019-06/2019-01", "junio"):
        assert parse_code(text) is None, text


def test_navigation_shifts_by_whole_periods() -> None:
    june = month_period(2019, 6)
    assert june.shifted(1).code() == "2019-07"
    assert june.shifted(-6).code() == "2018-12"
    assert parse_code("2019-Q4").shifted(3).code() == "2020-Q1"  # type: ignore[union-attr]
    assert parse_code("2019").shifted(-12).code() == "2018"  # type: ignore[union-attr]


def test_dates_the_local_way() -> None:
    assert format_month(2019, 6, "es") == "junio de 2019"
    assert format_month(2019, 6, "en") == "June 2019"
    assert format_month(2019, 6, "fr") == "juin 2019"
    assert format_day(date(2019, 3, 8), "es") == "8 de marzo de 2019"
    assert format_day(date(2019, 3, 8), "en") == "8 March 2019"
    assert format_day(date(2019, 3, 8), "fr") == "8 mars 2019"
    assert format_day(date(2019, 3, 1), "fr") == "1er mars 2019"
    feb, mar = date(2019, 2, 1), date(2019, 3, 31)
    assert format_span(feb, mar, "es") == "febrero–marzo de 2019"
    assert format_span(feb, mar, "en") == "February–March 2019"
    assert format_span(feb, mar, "fr") == "février–mars 2019"
    assert format_span(date(2019, 11, 1), date(2020, 1, 31), "es") == (
        "noviembre de 2019–enero de 2020"
    )
    assert format_span(date(2019, 6, 10), date(2019, 6, 16), "en") == "10–16 June 2019"
    assert format_span(date(2019, 5, 27), date(2019, 6, 2), "es") == "27 de mayo–2 de junio de 2019"
    assert format_span(date(2019, 1, 1), date(2019, 12, 31), "fr") == "2019"


@pytest.mark.parametrize(
    ("precision", "start", "end", "es", "en", "fr"),
    [
        ("tbc", None, None, "fecha por confirmar", "date to be confirmed", "date à confirmer"),
        ("year", date(2020, 1, 1), date(2020, 12, 31), "2020", "2020", "2020"),
        ("month", date(2019, 6, 1), date(2019, 6, 30), "junio de 2019", "June 2019", "juin 2019"),
        ("day", date(2019, 3, 8), date(2019, 3, 8),
         "8 de marzo de 2019", "8 March 2019", "8 mars 2019"),
        ("period", date(2019, 2, 1), date(2019, 3, 31),
         "febrero–marzo de 2019", "February–March 2019", "février–mars 2019"),
    ],
)  # fmt: skip
def test_item_dates_by_precision(precision, start, end, es, en, fr) -> None:
    assert format_when(precision, start, end, "es") == es
    assert format_when(precision, start, end, "en") == en
    assert format_when(precision, start, end, "fr") == fr


def test_periods_are_said_back_with_their_name() -> None:
    q3 = _find("Q3")
    assert format_period(q3, "es") == "tercer trimestre de 2019 (julio–septiembre)"  # type: ignore[arg-type]
    assert format_period(q3, "en") == "third quarter of 2019 (July–September)"  # type: ignore[arg-type]
    assert format_period(q3, "fr") == "troisième trimestre 2019 (juillet–septembre)"  # type: ignore[arg-type]
    week = _find("next week")
    assert format_period(week, "es") == "la semana que viene (27 de mayo–2 de junio de 2019)"  # type: ignore[arg-type]
    assert format_period(_find("ce mois-ci"), "fr") == "ce mois-ci (mai 2019)"  # type: ignore[arg-type]


def test_reading_is_cheap() -> None:
    import time

    texts = ["what's next in June", "¿qué proyectos piloto empiezan?", "la semaine prochaine",
             "tell me about MEGA", "x" * 4000]  # fmt: skip
    start = time.perf_counter()
    for n in range(2000):
        find_period(f"{texts[n % len(texts)]} {n}", today=TODAY, year=YEAR)
    assert (time.perf_counter() - start) / 2000 < 0.002
