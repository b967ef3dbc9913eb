"""Periods of time named in es/en/fr ("junio", "next week", "Q3", "de juin à septembre"),
and dates written the local way in each language ("8 de marzo de 2019", "June 2019").

Reading rules, chosen to be safe rather than clever:

- Text is folded first (lower case, no accents), so "août" = "aout", "mañana" = "manana".
- A month named without a year is that month of the plan's year (``year``); relative periods
  ("this month", "mañana", "la semaine prochaine") count from ``today``.
- Words that are months only sometimes need context: English "may" (a verb), "mar" (the sea
  in Spanish), "ago" ("two weeks ago"), French "sept" (seven), "ene", "march" (a walk). They
  are months only next to a day number or a year, after a preposition of time ("in May",
  "from Mar"), inside a month range ("jul–ago"), or when they are all the message says.
  French "mars" is always the month (the planet is rarely a work-plan question).
- Spanish "mañana" is "tomorrow" except in "por/esta/la mañana" (the morning).
- Years are 1990..2100; other numbers are days only when next to a month.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from bot.core.text import fold

__all__ = [
    "Period",
    "PeriodMatch",
    "find_period",
    "format_day",
    "format_month",
    "format_period",
    "format_span",
    "format_when",
    "month_name",
    "parse_code",
]

LANGUAGES = ("es", "en", "fr")

# --- Writing dates -------------------------------------------------------------------------

_MONTH_NAMES = {
    "es": (
        "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
    ).split(),
    "en": (
        "January February March April May June July August September October November December"
    ).split(),
    "fr": (
        "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
    ).split(),
}
_TBC = {"es": "fecha por confirmar", "en": "date to be confirmed", "fr": "date à confirmer"}
_UNDATED = {"es": "sin fecha", "en": "no date", "fr": "sans date"}
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
}  # fmt: skip


def month_name(month: int, language: str) -> str:
    """The month's name in ``language`` ("junio", "June", "juin")."""
    return _MONTH_NAMES[language][month - 1]


def format_day(day: date, language: str, *, year: bool = True) -> str:
    """A day: "8 de marzo de 2019", "8 March 2019", "8 mars 2019" ("1er mars" in French)."""
    number = "1er" if language == "fr" and day.day == 1 else str(day.day)
    name = month_name(day.month, language)
    if language == "es":
        return f"{number} de {name} de {day.year}" if year else f"{number} de {name}"
    return f"{number} {name} {day.year}" if year else f"{number} {name}"


def format_month(year: int, month: int, language: str) -> str:
    """A month: "junio de 2019", "June 2019", "juin 2019"."""
    name = month_name(month, language)
    return f"{name} de {year}" if language == "es" else f"{name} {year}"


def _year_suffix(year: int, language: str) -> str:
    return f" de {year}" if language == "es" else f" {year}"


def _month_aligned(start: date, end: date) -> bool:
    return start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]


def format_span(start: date, end: date, language: str) -> str:
    """From ``start`` to ``end`` (inclusive), as briefly as the calendar allows.

    Whole months: "junio de 2019", "febrero–marzo de 2019", "noviembre de 2019–enero de 2020";
    whole years: "2019", "2019–2020"; otherwise days: "10–16 June 2019", "28 juin–4 juillet 2019".
    """
    if start == end:
        return format_day(start, language)
    if start == date(start.year, 1, 1) and end == date(end.year, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if _month_aligned(start, end):
        if (start.year, start.month) == (end.year, end.month):
            return format_month(start.year, start.month, language)
        if start.year == end.year:
            first, last = month_name(start.month, language), month_name(end.month, language)
            return f"{first}–{last}{_year_suffix(end.year, language)}"
        return (
            f"{format_month(start.year, start.month, language)}–"
            f"{format_month(end.year, end.month, language)}"
        )
    if start.year != end.year:
        return f"{format_day(start, language)}–{format_day(end, language)}"
    if start.month == end.month:
        first = "1er" if language == "fr" and start.day == 1 else str(start.day)
        return f"{first}–{format_day(end, language)}"
    return f"{format_day(start, language, year=False)}–{format_day(end, language)}"


def format_when(precision: str, start: date | None, end: date | None, language: str) -> str:
    """An item's date by its precision (day, month, period, year, tbc, none)."""
    if precision == "tbc":
        return _TBC[language]
    if start is None or end is None or precision == "none":
        return _UNDATED[language]
    if precision == "day":
        return format_day(start, language)
    if precision == "year":
        return str(start.year)
    return format_span(start, end, language)


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
        first = _add_months(date(self.start.year, self.start.month, 1), months)
        if self.precision == "month":
            return month_period(first.year, first.month)
        if self.precision == "quarter":
            return quarter_period(first.year, (first.month - 1) // 3 + 1)
        if self.precision == "half":
            return half_period(first.year, 1 if first.month <= 6 else 2)
        if self.precision == "year":
            return year_period(first.year)
        last = _add_months(date(self.end.year, self.end.month, 1), months)
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


def _add_months(day: date, months: int) -> date:
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
        months = (
            f"{month_name(period.start.month, language)}–{month_name(period.end.month, language)}"
        )
        return f"{named} ({months})"
    if label and label[0] == "half":
        return _HALF[language][int(label[1]) - 1].format(year=period.start.year)
    if label and label[0] == "relative":
        words = _RELATIVE.get(str(label[1]), {}).get(language)
        if words:
            return f"{words} ({span})"
    return span


# --- Reading periods -------------------------------------------------------------------------


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
_ISO = re.compile(
    r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:/(\d{4})-(\d{2})(?:-(\d{2}))?)?$|^(\d{4})-([qh])([1-4])$"
)

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
_PASSIVE_MORNING = frozenset({"por", "esta", "la", "cada", "manana"})

_Q_ORD = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "primer": 1, "primero": 1, "segundo": 2, "tercer": 3, "tercero": 3, "cuarto": 4,
    "1er": 1, "1o": 1, "2o": 2, "3er": 3, "3o": 3, "4o": 4,
    "premier": 1, "deuxieme": 2, "2e": 2, "2eme": 2, "troisieme": 3, "3e": 3, "3eme": 3,
    "quatrieme": 4, "4e": 4, "4eme": 4, "last": 4, "ultimo": 4, "dernier": 4,
    "1": 1, "2": 2, "3": 3, "4": 4,
}  # fmt: skip
_QUARTER_WORDS = frozenset({"quarter", "trimestre"})
_HALF_WORDS = frozenset({"half", "semestre"})
_HALF_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "primer": 1, "segundo": 2,
             "last": 2, "ultimo": 2, "dernier": 2,
             "premier": 1, "1er": 1, "deuxieme": 2, "2e": 2, "2eme": 2}  # fmt: skip


def _phrases() -> list[tuple[tuple[str, ...], str]]:
    table = {
        "day_after_tomorrow": "pasado manana|day after tomorrow|apres demain",
        "today": "today|hoy|aujourd hui|aujourdhui",
        "tomorrow": "tomorrow|manana|demain",
        "yesterday": "yesterday|ayer|hier",
        "this_week": "this week|esta semana|cette semaine|current week|semaine en cours",
        "next_week": (
            "next week|semana que viene|proxima semana|semana proxima|semana siguiente|"
            "siguiente semana|semaine prochaine|prochaine semaine|following week|coming week"
        ),
        "last_week": "last week|semana pasada|semaine derniere|semaine passee|past week",
        "this_month": (
            "this month|este mes|ce mois ci|ce mois|current month|mes actual|mes en curso|"
            "mois en cours"
        ),
        "next_month": (
            "next month|mes que viene|proximo mes|mes proximo|mes siguiente|siguiente mes|"
            "mois prochain|prochain mois|following month|coming month"
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
        "this_year": (
            "this year|este ano|cette annee|current year|ano en curso|annee en cours|ano actual"
        ),
        "next_year": (
            "next year|ano que viene|proximo ano|ano proximo|ano siguiente|siguiente ano|"
            "annee prochaine|prochaine annee|an prochain"
        ),
        "last_year": "last year|ano pasado|annee derniere|an dernier|annee passee",
    }
    found = [
        (tuple(phrase.split()), name)
        for name, phrases in table.items()
        for phrase in phrases.split("|")
    ]
    # Longest first, so "ce mois ci" wins over "ce mois" and "pasado manana" over "manana".
    found.sort(key=lambda p: -len(p[0]))
    return found


_PHRASES = _phrases()
_PHRASE_STARTS = frozenset(p[0][0] for p in _PHRASES)


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


def _relative(name: str, today: date) -> Period:
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
        first = _add_months(today, {"this_month": 0, "next_month": 1, "last_month": -1}[name])
        month = month_period(first.year, first.month)
        return Period(month.start, month.end, "month", label)
    if name.endswith("_quarter"):
        index = (today.month - 1) // 3 + (1 if name == "next_quarter" else 0)
        quarter = quarter_period(today.year + index // 4, index % 4 + 1)
        return Period(quarter.start, quarter.end, "quarter", label)
    year = today.year + {"this_year": 0, "next_year": 1, "last_year": -1}[name]
    return Period(date(year, 1, 1), date(year, 12, 31), "year", label)


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


def _from_mentions(
    mentions: list[_Mention], tokens: list[str], year: int
) -> tuple[Period, int, int] | None:
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


def _ordinal_periods(tokens: list[str], year: int) -> tuple[Period, int, int] | None:
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


def _relative_phrase(tokens: list[str], today: date) -> tuple[Period, int, int] | None:
    for i, token in enumerate(tokens):
        if token not in _PHRASE_STARTS:
            continue
        for phrase, name in _PHRASES:
            if tuple(tokens[i : i + len(phrase)]) != phrase:
                continue
            if (
                name == "tomorrow"
                and token == "manana"
                and i > 0
                and tokens[i - 1] in _PASSIVE_MORNING
            ):
                continue  # "por la mañana", "esta mañana": the morning, not tomorrow
            return _relative(name, today), i, i + len(phrase) - 1
    return None


def _with_rest(tokens: list[str], found: tuple[Period, int, int]) -> PeriodMatch:
    period, first, last = found
    # The words just before that belong to it: "in", "de", "pour le", "during the".
    while first > 0 and tokens[first - 1] in _LEAD:
        first -= 1
    return PeriodMatch(period, tuple(tokens[:first] + tokens[last + 1 :]))


@lru_cache(maxsize=2048)
def find_period(text: str, *, today: date, year: int, lenient: bool = False) -> PeriodMatch | None:
    """The first period named in ``text``, or ``None``.

    Args:
        text: What the user wrote (any case, with or without accents).
        today: Where relative periods count from.
        year: The plan's year: a month or quarter named without a year is in it.
        lenient: Take every month word as a month (for command arguments: ``/events may``).
    """
    folded = fold(text.strip())
    coded = parse_code(folded) if folded[:1].isdigit() else None
    if coded is not None:
        return PeriodMatch(coded, ())
    tokens = _TOKEN.findall(folded)
    if not tokens:
        return None
    for part in (
        _relative_phrase(tokens, today),
        _ordinal_periods(tokens, year),
    ):
        if part is not None:
            return _with_rest(tokens, part)
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
