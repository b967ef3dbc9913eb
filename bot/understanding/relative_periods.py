"""Periods named relative to today, in es/en/fr: "next week", "el mes que viene", "cet
hiver", "in two months", "hace tres semanas", "until December", "d'ici la fin de l'année",
"the rest of the year", "toute l'année".

Each reader takes the folded tokens of a message and returns the period with the first and
last token that named it, or ``None``; :func:`bot.understanding.periods.find_period` tries them
before month names, since "until December" names a month too.

Conventions (the ones members expect, documented in docs/understanding.md): seasons are
meteorological and of the northern hemisphere (spring is March–May, winter December–February);
a season with "this" or nothing is the one under way, else the next one; "in two months" is
the whole month two months after today's; "until December" runs from today to the end of
December; "the whole year" is the plan's year.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from bot.core.periods import Period, add_months, month_period, quarter_period, year_period

__all__ = ["PERIOD_WORDS", "Found", "relative_period"]

# A period and the first and last token that named it.
Found = tuple[Period, int, int]

_TABLE = {
    "day_after_tomorrow": "pasado manana|day after tomorrow|apres demain",
    "today": "today|hoy|aujourd hui|aujourdhui",
    "tomorrow": "tomorrow|manana|demain",
    "yesterday": "yesterday|ayer|hier",
    "this_week": "this week|esta semana|cette semaine|current week|semaine en cours",
    "next_week": (
        "next week|semana que viene|proxima semana|semana proxima|semana siguiente|"
        "siguiente semana|semaine prochaine|prochaine semaine|following week|coming week|"
        "semaine pro|semaine suivante"
    ),
    "last_week": "last week|semana pasada|semaine derniere|semaine passee|past week",
    "this_month": (
        "this month|este mes|ce mois ci|ce mois|current month|mes actual|mes en curso|mois en cours"
    ),
    "next_month": (
        "next month|mes que viene|proximo mes|mes proximo|"
        "mois prochain|prochain mois|coming month|mois pro"
    ),
    # After a period: the month after that one ("and the month after?"); alone, next month.
    "following_month": (
        "following month|month after that|month after|month afterwards|mes siguiente|siguiente mes|"
        "mes despues|mes de despues|mois suivant|mois d apres|mois apres"
    ),
    "preceding_month": (
        "previous month|month before|preceding month|mes anterior|mes de antes|mes previo|"
        "mois precedent|mois d avant|mois avant"
    ),
    "last_month": "last month|mes pasado|mois dernier|mois passe|past month",
    "this_quarter": (
        "this quarter|este trimestre|ce trimestre|current quarter|trimestre actual|"
        "trimestre en curso|trimestre en cours"
    ),
    "next_quarter": (
        "next quarter|proximo trimestre|trimestre que viene|trimestre proximo|"
        "siguiente trimestre|trimestre siguiente|trimestre prochain|prochain trimestre|"
        "following quarter|coming quarter"
    ),
    "rest_of_year": (
        "rest of the year|rest of this year|rest of year|remainder of the year|"
        "end of the year|end of this year|end of year|year end|"
        "resto del ano|resto de ano|lo que queda del ano|lo que queda de ano|"
        "lo que queda de este ano|fin de ano|final de ano|final del ano|fin del ano|"
        "reste de l annee|reste de cette annee|fin de l annee|fin d annee|fin de cette annee|"
        "left this year|left for the year|left of the year|left in the year"
    ),
    "this_year": (
        "this year|este ano|cette annee|current year|ano en curso|annee en cours|ano actual|"
        "this yr|cet an"
    ),
    "next_year": (
        "next year|ano que viene|proximo ano|ano proximo|ano siguiente|siguiente ano|"
        "annee prochaine|prochaine annee|an prochain"
    ),
    "last_year": "last year|ano pasado|annee derniere|an dernier|annee passee",
    # The plan's whole year, however it is said.
    "whole_year": (
        "whole year|all year|entire year|full year|year at a glance|all the year|"
        "todo el ano|todo el año|ano completo|ano entero|el ano entero|"
        "toute l annee|toute annee|l annee entiere|annee complete|l ensemble de l annee|"
        "de l annee|tout au long de l annee|for the year|para el ano|lo del ano|todo lo del ano|"
        "plan de travail complet|plan complet|todo el plan|el plan completo|plan completo|"
        "whole plan|full plan|entire plan|complete plan|plan del ano"
    ),
}

# Words before a phrase that turn "end of the year" into "from now until the end of the year".
_UNTIL = frozenset(
    "until till til to through thru by before hasta antes jusqu jusque jusqu a ici entre "
    "desde".split()
)
_PASSIVE_MORNING = frozenset({"por", "esta", "la", "cada", "manana"})


def _phrases() -> list[tuple[tuple[str, ...], str]]:
    found = [
        (tuple(phrase.split()), name)
        for name, phrases in _TABLE.items()
        for phrase in phrases.split("|")
    ]
    # Longest first, so "ce mois ci" wins over "ce mois" and "pasado manana" over "manana".
    found.sort(key=lambda p: -len(p[0]))
    return found


_PHRASES = _phrases()
_SEASON_NAMES = "spring primavera printemps summer verano ete autumn fall otono automne winter"
_PHRASE_STARTS = frozenset(p[0][0] for p in _PHRASES)


# Every word of the phrases above: known words, never "corrected" into others.
PERIOD_WORDS = frozenset(w for phrase, _ in _PHRASES for w in phrase) | frozenset(
    (_SEASON_NAMES + " invierno hiver ago hace").split()
)


def _named(name: str, today: date, year: int) -> Period:
    label = ("relative", name)
    if name in ("today", "tomorrow", "yesterday", "day_after_tomorrow"):
        offset = {"today": 0, "tomorrow": 1, "yesterday": -1, "day_after_tomorrow": 2}[name]
        day = today + timedelta(days=offset)
        return Period(day, day, "day", label)
    if name.endswith("_week"):
        monday = today - timedelta(days=today.weekday())
        monday += timedelta(weeks={"this_week": 0, "next_week": 1, "last_week": -1}[name])
        return Period(monday, monday + timedelta(days=6), "week", label)
    if name.endswith("_month"):
        shift = {"this_month": 0, "next_month": 1, "following_month": 1}.get(name, -1)
        first = add_months(today, shift)
        month = month_period(first.year, first.month)
        return Period(month.start, month.end, "month", label)
    if name.endswith("_quarter"):
        index = (today.month - 1) // 3 + (1 if name == "next_quarter" else 0)
        quarter = quarter_period(today.year + index // 4, index % 4 + 1)
        return Period(quarter.start, quarter.end, "quarter", label)
    if name == "rest_of_year":
        return Period(today, date(today.year, 12, 31), "period", label)
    if name == "whole_year":
        return year_period(year)
    shift = {"this_year": 0, "next_year": 1, "last_year": -1}[name]
    return Period(date(today.year + shift, 1, 1), date(today.year + shift, 12, 31), "year", label)


def _phrase(tokens: list[str], today: date, year: int) -> Found | None:
    for i, token in enumerate(tokens):
        if token not in _PHRASE_STARTS:
            continue
        for phrase, name in _PHRASES:
            if tuple(tokens[i : i + len(phrase)]) != phrase:
                continue
            if name == "tomorrow" and token == "manana" and i and tokens[i - 1] in _PASSIVE_MORNING:
                continue  # "por la mañana", "esta mañana": the morning, not tomorrow
            first, last = i, i + len(phrase) - 1
            if name == "rest_of_year":
                # "until the end of the year", "d'ici la fin de l'année": the words before it
                # belong to it.
                while first and tokens[first - 1] in _UNTIL | {"the", "la", "el", "l", "a", "d"}:
                    first -= 1
            return _named(name, today, year), first, last
    return None


# --- Seasons ---------------------------------------------------------------------------------

_SEASON_WORDS = {
    "spring": "spring primavera printemps",
    "summer": "summer verano ete",
    "autumn": "autumn fall otono automne",
    "winter": "winter invierno hiver",
}
_SEASONS = {word: name for name, words in _SEASON_WORDS.items() for word in words.split()}
_SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}
# "fall", "spring" and French "été" (also "been") are seasons only after one of these words.
_NEEDS_CONTEXT = frozenset({"fall", "spring", "ete"})
_SEASON_CONTEXT = frozenset(
    "this next last the in during for this coming past cet ce l en pendant cet prochain "
    "dernier este el en durante proximo pasado de del cette".split()
)
_NEXT = frozenset("next coming prochain prochaine proximo proxima siguiente".split())
_LAST = frozenset("last past dernier derniere passe pasado pasada anterior".split())


def _season_period(name: str, start_year: int) -> Period:
    first = date(start_year, _SEASON_START[name], 1)
    last = add_months(first, 2)
    end = date(last.year, last.month, calendar.monthrange(last.year, last.month)[1])
    return Period(first, end, "period", ("season", name))


def _season(tokens: list[str], today: date) -> Found | None:
    for i, token in enumerate(tokens):
        name = _SEASONS.get(token)
        if name is None:
            continue
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        year_after = after is not None and after.isdigit() and len(after) == 4
        if token in _NEEDS_CONTEXT and before not in _SEASON_CONTEXT and not year_after:
            continue
        # The season under way, or the next one.
        current = None
        for start_year in (today.year - 1, today.year, today.year + 1):
            period = _season_period(name, start_year)
            if period.end >= today:
                current = period
                break
        assert current is not None
        first, last = i, i
        if year_after:
            current, last = _season_period(name, int(after)), i + 1
        elif before in _NEXT or after in _NEXT:
            if current.start <= today:
                current = _season_period(name, current.start.year + 1)
        elif before in _LAST or after in _LAST:
            start_year = current.start.year - 1
            current = _season_period(name, start_year)
        if before in _NEXT | _LAST | _SEASON_CONTEXT:
            first = i - 1
        if after in _NEXT | _LAST:
            last = max(last, i + 1)
        return current, first, last
    return None


# --- "in two months", "three weeks ago" -------------------------------------------------------

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve",
    "uno dos tres cuatro cinco seis siete ocho nueve diez once doce",
    "un deux trois quatre cinq six sept huit neuf dix onze douze",
)
_NUMBERS = {str(n): n for n in range(1, 25)} | {"una": 1, "une": 1, "a": 1, "couple": 2}
for _words in _NUMBER_WORDS:
    _NUMBERS.update((word, n) for n, word in enumerate(_words.split(), start=1))
_UNITS = {
    "day": "day", "days": "day", "dia": "day", "dias": "day", "jour": "day", "jours": "day",
    "week": "week", "weeks": "week", "semana": "week", "semanas": "week", "semaine": "week",
    "semaines": "week", "wk": "week", "wks": "week",
    "month": "month", "months": "month", "mes": "month", "meses": "month", "mois": "month",
}  # fmt: skip
# Words before the number that make it "from now": "in", "en", "dans", "within".
_AHEAD = frozenset("in en dans within".split())


def _counted(tokens: list[str], today: date) -> Found | None:
    for i in range(len(tokens) - 1):
        number = _NUMBERS.get(tokens[i])
        unit = _UNITS.get(tokens[i + 1])
        if number is None or unit is None:
            continue
        before = tokens[i - 1] if i else ""
        after = tokens[i + 2] if i + 2 < len(tokens) else ""
        first, last = i, i + 1
        if after == "ago":
            sign, last = -1, i + 2
        elif before == "hace":
            sign, first = -1, i - 1
        elif i >= 3 and tokens[i - 3 : i] == ["il", "y", "a"]:
            sign, first = -1, i - 3
        elif before in _AHEAD:
            sign, first = 1, i - 1
        elif before == "de" and i >= 2 and tokens[i - 2] == "dentro":
            sign, first = 1, i - 2
        elif after in ("from", "later", "mas", "plus"):
            sign, last = 1, i + 2
        else:
            continue
        if unit == "month":
            month = add_months(today, sign * number)
            return month_period(month.year, month.month), first, last
        if unit == "week":
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=sign * number)
            return Period(monday, monday + timedelta(days=6), "week"), first, last
        day = today + timedelta(days=sign * number)
        return Period(day, day, "day"), first, last
    return None


# --- "until December" ------------------------------------------------------------------------

_TO_MONTH = frozenset("until till til through thru hasta jusqu jusque".split())
# "from now to December", "de aquí a diciembre", "d'ici décembre", "between now and December".
_NOW = frozenset("now ahora aqui hoy ici maintenant".split())
_JOIN = frozenset("to a au and y et".split())
_FROM = frozenset("from de desde d between entre".split())
# Words between "until" and the month: "hasta finales de diciembre", "jusqu'en décembre".
_UNTIL_SKIP = frozenset("en fin finales final end the of de del la le".split())


def _until(tokens: list[str], today: date, months: dict[str, int]) -> Found | None:
    for i, token in enumerate(tokens):
        month = months.get(token)
        if month is None or i == 0:
            continue
        j = i - 1
        while j > 0 and tokens[j] in _UNTIL_SKIP:
            j -= 1
        opener, before = tokens[j], tokens[j - 1] if j else ""
        if not (
            opener in _TO_MONTH
            or opener == "ici"
            or (opener in _JOIN and (before in _NOW or before in _TO_MONTH))
        ):
            continue
        end_year = today.year if month >= today.month else today.year + 1
        end = month_period(end_year, month).end
        first = j
        while first and tokens[first - 1] in _NOW | _FROM:
            first -= 1
        if first == j and opener in _JOIN:
            first = j - 1
        return Period(today, end, "period"), first, i
    return None


def relative_period(
    tokens: list[str], today: date, year: int, months: dict[str, int]
) -> Found | None:
    """The first period named relative to today in ``tokens`` (folded words), or ``None``.

    Args:
        tokens: The folded words of the message.
        today: Where relative periods count from.
        year: The plan's year ("the whole year").
        months: Month words and their numbers (for "until December").
    """
    return (
        _until(tokens, today, months)
        or _phrase(tokens, today, year)
        or _counted(tokens, today)
        or _season(tokens, today)
    )
