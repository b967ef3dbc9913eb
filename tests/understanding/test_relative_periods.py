"""Periods relative to today: seasons, "in two months", "three weeks ago", "until December",
the rest and the whole of the year, in es/en/fr."""

from __future__ import annotations

from datetime import date

import pytest

from bot.understanding.periods import find_period

TODAY = date(2019, 5, 20)  # a Monday


def _span(text: str, today: date = TODAY) -> str | None:
    found = find_period(text, today=today, year=2019)
    return f"{found.period.start}/{found.period.end}" if found else None


@pytest.mark.parametrize(
    ("text", "today", "span"),
    [
        # Seasons (meteorological, northern hemisphere): under way, else the next one.
        ("qué pasa en verano", TODAY, "2019-06-01/2019-08-31"),
        ("anything happening this winter", TODAY, "2019-12-01/2020-02-29"),
        ("les événements de ce printemps", date(2019, 2, 15), "2019-03-01/2019-05-31"),
        ("q tenemos este otoño", TODAY, "2019-09-01/2019-11-30"),
        ("last winter", TODAY, "2018-12-01/2019-02-28"),
        ("en hiver", date(2019, 1, 10), "2018-12-01/2019-02-28"),
        ("fall 2019", TODAY, "2019-09-01/2019-11-30"),
        # Counted from today.
        ("events in 2 months?", date(2019, 7, 3), "2019-09-01/2019-09-30"),
        ("in two months", TODAY, "2019-07-01/2019-07-31"),
        ("dans trois semaines", TODAY, "2019-06-10/2019-06-16"),
        ("dentro de un mes", TODAY, "2019-06-01/2019-06-30"),
        ("hace dos meses", TODAY, "2019-03-01/2019-03-31"),
        ("il y a deux semaines", TODAY, "2019-05-06/2019-05-12"),
        ("two weeks ago", TODAY, "2019-05-06/2019-05-12"),
        # From today until…
        ("until December", TODAY, "2019-05-20/2019-12-31"),
        ("todo lo q hay de aqui a diciembre", date(2019, 6, 10), "2019-06-10/2019-12-31"),
        ("jusqu'en octobre", TODAY, "2019-05-20/2019-10-31"),
        ("between now and October", TODAY, "2019-05-20/2019-10-31"),
        ("d'ici la fin de l'année", TODAY, "2019-05-20/2019-12-31"),
        ("what's left for the rest of the year", date(2019, 8, 14), "2019-08-14/2019-12-31"),
        ("lo que queda del año", TODAY, "2019-05-20/2019-12-31"),
        # The whole year, the quarter to come.
        ("whole year at a glance", TODAY, "2019-01-01/2019-12-31"),
        ("l'ensemble des événements de l'année", TODAY, "2019-01-01/2019-12-31"),
        ("el trimestre que viene", TODAY, "2019-07-01/2019-09-30"),
        ("y a quoi la semaine pro", date(2019, 6, 5), "2019-06-10/2019-06-16"),
    ],
)
def test_relative_periods(text: str, today: date, span: str) -> None:
    assert _span(text, today) == span


@pytest.mark.parametrize("text", ["il a été annulé", "I fall for it", "a spring in my step"])
def test_words_that_are_seasons_only_sometimes(text: str) -> None:
    assert _span(text) is None


def test_a_season_is_said_back_with_its_months() -> None:
    from bot.core.periods import format_period

    found = find_period("cet hiver", today=TODAY, year=2019)
    assert found is not None
    assert format_period(found.period, "fr") == "hiver 2019–2020 (décembre–février)"
    assert format_period(found.period, "en") == "winter 2019–2020 (December–February)"
