"""Periods of time named in es/en/fr: "junio", "next week", "Q3", "de juin à septembre",
"cet hiver", "until December" (relative ones in :mod:`bot.understanding.relative_periods`).

Reading rules, chosen to be safe rather than clever:

- Text is folded first (lower case, no accents), so "août" = "aout", "mañana" = "manana".
- A month named without a year is that month of the year of the plan in force (the plan of
  ``today``'s year if there is one, else the next one published, else the latest, among the
  plan ``years``); a year named ("in 2019", "en 2020") is that year, and relative periods
  ("this month", "mañana", "la semaine prochaine", "l'an dernier") count from ``today``.
- Words that are months only sometimes need context: English "may" (a verb), "mar" (the sea
  in Spanish), "ago" ("two weeks ago"), French "sept" (seven), "ene", "march" (a walk). They
  are months only next to a day number or a year, after a preposition of time ("in May",
  "from Mar"), inside a month range ("jul–ago"), or when they are all the message says.
  French "mars" is always the month (the planet is rarely a work-plan question).
- Spanish "mañana" is "tomorrow" except in "por/esta/la mañana" (the morning).
- Years are 1990..2100; other numbers are days only when next to a month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from bot.core.periods import (
    Period,
    half_period,
    month_period,
    parse_code,
    plan_in_force,
    quarter_period,
    year_period,
)
from bot.core.text import fold
from bot.understanding.relative_periods import Found, relative_period

__all__ = ["MONTH_WORDS", "PeriodMatch", "find_period"]


@dataclass(frozen=True, slots=True)
class PeriodMatch:
    """A period found in a text, and the words of the text that are not part of it.

    Attributes:
        period: What was found.
        rest: The folded words not used to name the period (nor the preposition before it),
            so that "what's next in June" leaves ``("what", "s", "next")``.
    """

    period: Period
    rest: tuple[str, ...]


_TOKEN = re.compile(r"[a-z0-9]+")

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "enero january janvier ene jan janv",
        "febrero february fevrier feb fev fevr",
        "marzo march mars mar",
        "abril april avril abr apr avr",
        "mayo may mai",
        "junio june juin jun",
        "julio july juillet jul juil",
        "agosto august aout ago aug",
        "septiembre setiembre september septembre sep sept",
        "octubre october octobre oct",
        "noviembre november novembre nov",
        "diciembre december decembre dic dec",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

MONTH_WORDS = frozenset(_MONTHS)
# Words that are months only with some context (see the module's notes).
_AMBIGUOUS = frozenset({"may", "mar", "ago", "sept", "ene", "march", "jan"})
# Prepositions of time that make an ambiguous word a month: "in May", "from Mar", "en sept".
_EN_TIME = frozenset(
    "in of for during from to until till through thru since by before after early late mid "
    "next this last between and or".split()
)
_ALLOWED_BEFORE = {
    "may": _EN_TIME,
    "mar": _EN_TIME,
    "march": None,  # allowed unless a word of _NOT_MARCH comes before
    "sept": _EN_TIME | {"en", "de", "d", "au", "a", "jusqu", "mi", "fin", "debut", "et", "ou"},
    "jan": None,
    "ago": frozenset(),
    "ene": frozenset(),
}
_NOT_MARCH = frozenset("s women womens woman the a climate pride protest peaceful".split())
_NOT_MARS = frozenset("planet planeta planete on to".split())
# Words that may precede a period and belong to it ("in June", "de junio", "pour le mois").
_LEAD = frozenset(
    "in on of for during at from since en de del durante para du des pour pendant durant "
    "depuis desde le la el the l between entre".split()
)
# Words joining two months into a range.
_RANGE_JOIN = frozenset("to a al au hasta until till through thru and y et e".split())
# Words that can stand between a month and its year or day: "junio de 2019", "8th of March".
_GLUE = frozenset("de del of d".split())
# Words that, with a month, still leave it "all the message says": "events may", "¿y en mayo?".
_FILLER = frozenset(
    "events event eventos evento evenements evenement what whats s que quoi and y et "
    "about sobre in en".split()
)

_Q_ORD = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "primer": 1, "primero": 1, "segundo": 2, "tercer": 3, "tercero": 3, "cuarto": 4,
    "1er": 1, "1o": 1, "2o": 2, "3er": 3, "3o": 3, "4o": 4,
    "1ro": 1, "1ero": 1, "2do": 2, "3ro": 3, "3ero": 3, "4to": 4,  # Spanish shorthand
    "premier": 1, "deuxieme": 2, "2e": 2, "2eme": 2, "troisieme": 3, "3e": 3, "3eme": 3,
    "quatrieme": 4, "4e": 4, "4eme": 4, "last": 4, "ultimo": 4, "dernier": 4,
    "1": 1, "2": 2, "3": 3, "4": 4,
}  # fmt: skip
_QUARTER_WORDS = frozenset({"quarter", "trimestre"})
_HALF_WORDS = frozenset({"half", "semestre"})
_HALF_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "primer": 1, "segundo": 2,
             "last": 2, "ultimo": 2, "dernier": 2,
             "premier": 1, "1er": 1, "deuxieme": 2, "2e": 2, "2eme": 2,
             "1ro": 1, "1ero": 1, "2do": 2}  # fmt: skip


def _number(token: str) -> int | None:
    digits = re.match(r"^(\d{1,4})(st|nd|rd|th|er|re|e|o|eme)?$", token)
    return int(digits.group(1)) if digits else None


def _day(token: str | None) -> int | None:
    if token is None or not token[0].isdigit():
        return None
    value = _number(token)
    return value if value is not None and 1 <= value <= 31 and len(token) <= 4 else None


def _year(token: str | None) -> int | None:
    if token is None or len(token) != 4 or not token.isdigit():
        return None
    value = int(token)
    return value if 1990 <= value <= 2100 else None


@dataclass
class _Mention:
    first: int  # token index where the mention starts
    last: int  # token index where it ends (inclusive)
    month: int
    day: int | None = None
    year: int | None = None


def _is_month(tokens: list[str], i: int, lenient: bool) -> int | None:
    token = tokens[i]
    month = _MONTHS.get(token)
    if month is None:
        return None
    before = tokens[i - 1] if i > 0 else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    if token == "mars":
        return None if before in _NOT_MARS else month
    if token not in _AMBIGUOUS or lenient:
        return month
    if _day(before) is not None or _year(after) is not None or _day(after) is not None:
        return month
    # Alone, or only with filler words: "may", "events may", "¿y en sept?".
    if all(t == token or t in _FILLER for t in tokens):
        return month
    # Part of a range with an unambiguous month: "jul-ago", "from Mar to June".
    for near in (i - 2, i - 1, i + 1, i + 2):
        if 0 <= near < len(tokens) and near != i:
            other = tokens[near]
            if other in _MONTHS and other not in _AMBIGUOUS:
                between = tokens[min(i, near) + 1 : max(i, near)]
                if all(t in _RANGE_JOIN for t in between):
                    return month
    allowed = _ALLOWED_BEFORE.get(token)
    if allowed is None:  # "march", "jan": months unless a word says otherwise
        return None if before in _NOT_MARCH else month
    return month if before in allowed else None


def _mentions(tokens: list[str], lenient: bool) -> list[_Mention]:
    found: list[_Mention] = []
    i = 0
    while i < len(tokens):
        month = _is_month(tokens, i, lenient)
        if month is None:
            i += 1
            continue
        mention = _Mention(i, i, month)
        # A day before: "8 de marzo", "8th of March", "le 1er juin".
        j = i - 1
        if j >= 0 and tokens[j] in _GLUE:
            j -= 1
        if j >= 0 and _day(tokens[j]) is not None and not (found and found[-1].last >= j):
            mention.day, mention.first = _day(tokens[j]), j
        # A day after (English): "March 8", "March 8th".
        k = i + 1
        if mention.day is None and k < len(tokens) and _day(tokens[k]) is not None:
            mention.day, mention.last = _day(tokens[k]), k
            k += 1
        # A year after: "junio de 2019", "June 2019", "March 8, 2019".
        if k < len(tokens) and tokens[k] in _GLUE:
            k += 1
        if k < len(tokens) and _year(tokens[k]) is not None:
            mention.year, mention.last = _year(tokens[k]), k
        found.append(mention)
        i = mention.last + 1
    return found


def _month_day(mention: _Mention, year: int) -> date | None:
    try:
        return date(mention.year or year, mention.month, mention.day or 1)
    except ValueError:
        return None


def _from_mentions(mentions: list[_Mention], tokens: list[str], year: int) -> Found | None:
    first = mentions[0]
    last_index = 0
    # Chain months joined by "to", "a", "au", "-", "and"…: "de junio a septiembre".
    for n in range(1, len(mentions)):
        between = tokens[mentions[n - 1].last + 1 : mentions[n].first]
        if all(t in _RANGE_JOIN for t in between) and len(between) <= 1:
            last_index = n
        else:
            break
    last = mentions[last_index]
    start_year = first.year or last.year or year
    start = _month_day(_Mention(0, 0, first.month, first.day, start_year), year)
    if start is None:
        return None
    if last_index == 0:
        if first.day is not None:
            period = Period(start, start, "day")
        else:
            period = month_period(start.year, start.month)
        return period, first.first, first.last
    end_year = last.year or start_year
    if last.year is None and (last.month, last.day or 31) < (first.month, first.day or 1):
        end_year += 1  # "from November to February"
    end_month = month_period(end_year, last.month)
    if last.day is not None:
        try:
            end = date(end_year, last.month, last.day)
        except ValueError:
            return None
    else:
        end = end_month.end
    if first.day is None:
        start = date(start.year, start.month, 1)
    if end < start:
        return None
    return Period(start, end, "period"), first.first, last.last


def _ordinal_periods(tokens: list[str], year: int) -> Found | None:
    for i, token in enumerate(tokens):
        if len(token) == 2 and token[0] in "qt" and token[1] in "1234":
            # "Q3", "T3" (French, Spanish): a quarter; the plan's year unless one follows.
            found_year, last = _year_after(tokens, i)
            return quarter_period(found_year or year, int(token[1])), i, last
        if token in _QUARTER_WORDS or token in _HALF_WORDS:
            half = token in _HALF_WORDS
            ordinals = _HALF_ORD if half else _Q_ORD
            if i > 0 and tokens[i - 1] in ordinals and not tokens[i - 1].isdigit():
                number, first = ordinals[tokens[i - 1]], i - 1
            elif i + 1 < len(tokens) and tokens[i + 1] in ordinals:
                number, first = ordinals[tokens[i + 1]], i
                i += 1
            else:
                continue
            found_year, last = _year_after(tokens, i)
            target = found_year or year
            if half:
                return half_period(target, number), first, last
            return quarter_period(target, number), first, last
    return None


def _year_after(tokens: list[str], i: int) -> tuple[int | None, int]:
    k = i + 1
    if k < len(tokens) and tokens[k] in _GLUE:
        k += 1
    if k < len(tokens) and _year(tokens[k]) is not None:
        return _year(tokens[k]), k
    return None, i


def _with_rest(tokens: list[str], found: Found) -> PeriodMatch:
    period, first, last = found
    # The words just before that belong to it: "in", "de", "pour le", "during the".
    while first > 0 and tokens[first - 1] in _LEAD:
        first -= 1
    return PeriodMatch(period, tuple(tokens[:first] + tokens[last + 1 :]))


@lru_cache(maxsize=2048)
def find_period(
    text: str,
    *,
    today: date,
    year: int | None = None,
    years: tuple[int, ...] = (),
    lenient: bool = False,
) -> PeriodMatch | None:
    """The first period named in ``text``, or ``None``.

    Args:
        text: What the user wrote (any case, with or without accents).
        today: Where relative periods count from.
        year: The year a month or quarter named without a year is in (when ``years`` is
            not given).
        years: The plans' years: a month or quarter named without a year is in the year of
            the plan in force on ``today``.
        lenient: Take every month word as a month (for command arguments: ``/events may``).
    """
    if years:
        year = plan_in_force(years, today)
    elif year is None:
        year = today.year
    folded = fold(text.strip())
    coded = parse_code(folded) if folded[:1].isdigit() else None
    if coded is not None:
        return PeriodMatch(coded, ())
    tokens = _TOKEN.findall(folded)
    if not tokens:
        return None
    found = relative_period(tokens, today, year, _MONTHS)
    if found is None or (found[0].precision == "year" and not found[0].label):
        # "le premier trimestre de l'année": the quarter, not the whole year.
        found = _ordinal_periods(tokens, year) or found
    if found is not None:
        return _with_rest(tokens, found)
    mentions = _mentions(tokens, lenient)
    if mentions:
        found = _from_mentions(mentions, tokens, year)
        if found is not None:
            return _with_rest(tokens, found)
    for i, token in enumerate(tokens):
        value = _year(token)
        if value is not None:
            return _with_rest(tokens, (year_period(value), i, i))
    return None
