"""A message read once: its words folded, spelled out and corrected, the period it names,
the reference it leaves open, the cues it holds and the words that name its subject.

:class:`Message` is what the interpreter's rules look at; nothing here decides the act.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from bot.core.periods import Period, plan_in_force
from bot.core.text import fold, split
from bot.understanding.cues import CUES
from bot.understanding.gates import Gate
from bot.understanding.periods import find_period
from bot.understanding.reading import Reference
from bot.understanding.references import GATED, corrects, is_ordinal, read_reference
from bot.understanding.spelling import Speller, expand
from bot.understanding.words import (
    ASK_WHEN,
    ASK_WHERE,
    COMMON,
    DOMAIN,
    EVENT_WORDS,
    NEUTRAL,
    NEXT_WORDS,
    NO,
    PROJECT_WORDS,
    SECTION_WORDS,
    STATUS_WORDS,
    THEME_WORDS,
    WHOLE,
    YES,
    YESNO_WORDS,
)

__all__ = ["FILLER", "GENERIC", "Message"]

_STATUS = frozenset().union(*STATUS_WORDS.values())
_STATUS_ORDER = ("starting", "closing", "ongoing")
# Words that never name an item, even when a title happens to hold them.
GENERIC = (
    NEUTRAL
    | EVENT_WORDS
    | NEXT_WORDS
    | PROJECT_WORDS
    | THEME_WORDS
    | SECTION_WORDS
    | _STATUS
    | ASK_WHEN
    | ASK_WHERE
    | YES
    | NO
    | WHOLE
    | (DOMAIN - COMMON)
)
# Words that name nothing unless a title holds them ("day" in "Metropolitan Day").
FILLER = (
    GENERIC
    | COMMON
    | frozenset(
        """
    one ones thing things something cosa algo truc me moi mi my mon ma mes mis your tu tus
    ton vos votre notre our nuestro nuestra s t d l m n j c qu quand quoi why
    about abt regarding concerning respecto acerca concernant concerne related relating
    relacionado relacionada relacionados relacionadas tenga tengan ver lie lies liee liees
    there here alli aqui ici la
    it its eso esto ese esa ello ca cela celui celle ceux celles those these them esos esas ellos
    eux
    first second third last primero segundo tercero ultimo premier deuxieme dernier
    number numero just solo juste only exactly exactamente exactement
    sorry perdon pardon oops oups actually rather plutot mejor meant mean quise queria decir wait
    finalement finalmente finally talked discussed mentioned spoke parlait parlions discute
    mentionne hablamos hablabamos pregunte preguntaba mencionaste dont presentar presentan
    presenta
    voulais dire wrong instead lugar
    """.split()
    )
    | YESNO_WORDS
)
_SENTENCE = re.compile(r"[?!.;]+\s+|,\s+(?=(?:xq|porque|because|parce|car)\b)")
_GREETING_DAY = frozenset({"dia", "dias", "jour", "journee"})
_GREETINGS = ("buen dia", "buenos dias", "bonne journee", "bon jour")
_WHERE_FR = (
    "ou a lieu", "ou se ti", "ou se deroul", "ou se pass", "ou est", "ou sera", "ou aura lieu",
    "ou ont lieu", "ou auront lieu", "ou va avoir lieu", "c est ou", "est ou", "ou ca",
    "ou exactement", "c ou",
)  # fmt: skip
# "In which city", "en qué ciudad", "dans quelle ville": where.
_WHERE_PHRASES = (
    "which city", "what city", "which country", "what country", "en que ciudad", "en que pais",
    "que ciudad", "dans quelle ville", "quelle ville", "dans quel pays",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Message:
    """The words of one message, and what they hold.

    Attributes:
        text: The message as typed.
        tokens: Its words: folded, shorthand spelled out, misspellings put back.
        joined: ``tokens`` joined by single spaces (what cues are searched in).
        period: The period it names, if any.
        rest: The tokens not used to name the period.
        ref: What it leaves to the conversation, if anything.
        cues: The names of the cues found in it (see :mod:`bot.understanding.cues`).
        ask: ``"when"`` or ``"where"`` if it asks that.
        status: A project status its words name.
        subject: The tokens that may name something of the plan.
        parts: The subject's tokens sentence by sentence, when the message has several.
        plan_year: The year of the plan the message is about: the one its period lies in,
            else the plan in force.
        chat: The words of its small talk ("bonne soirée, à bientôt"): they ask for nothing.
    """

    text: str
    tokens: tuple[str, ...]
    joined: str
    period: Period | None
    rest: tuple[str, ...]
    ref: Reference | None
    cues: frozenset[str]
    ask: str | None
    status: str | None
    subject: tuple[str, ...]
    parts: tuple[tuple[str, ...], ...] = ()
    plan_year: int = 0
    chat: frozenset[str] = frozenset()

    @classmethod
    def read(
        cls,
        text: str,
        *,
        language: str,
        today: date,
        year: int | None = None,
        years: tuple[int, ...] = (),
        speller: Speller,
        keep: frozenset[str],
        names: frozenset[str] = frozenset(),
    ) -> Message:
        """Read ``text``.

        Args:
            text: The message as typed.
            language: The reply language (decides which shorthand is spelled out).
            today: Where relative periods count from.
            year: The plan's year (when ``years`` is not given).
            years: The plans' years (a month without a year is in the plan in force).
            speller: Puts misspelt words back.
            keep: Filler words kept in the subject because a name holds them ("day").
            names: Every word of the plan's names: never taken for a cue's word ("stop MEGA
                updates" is about MEGA).
        """
        tokens = tuple(speller.correct_all(expand(split(fold(text)), language)))
        joined = " ".join(tokens)
        # Two words at most ("sorry, may", "no, march"): a month word is a month.
        found = (
            find_period(
                joined,
                today=today,
                year=year,
                years=years,
                lenient=len(tokens) <= 2 or corrects(joined),
            )
            if tokens
            else None
        )
        in_force = plan_in_force(years, today) if years else year or today.year
        rest = found.rest if found is not None else tokens
        words = frozenset(tokens)
        maybe = _cue_gate().candidates(joined)
        cues = frozenset(name for name in maybe if name in CUES and CUES[name].search(joined))
        if text.strip() in ("a+", "@+", "a +"):
            cues |= {"bye"}
        status = next(
            (s for s in ("starting", "closing", "ongoing") if words & STATUS_WORDS[s]), None
        )
        ref = read_reference(list(tokens), list(rest), maybe)
        # Words that say what is wanted are not what it is about, unless a name holds them
        # ("stop MEGA updates"); small talk never names anything ("bonne journée").
        spent = (_cue_words(joined, cues, _SPENDING) | _asking_words(joined, maybe)) - names
        chat = _cue_words(joined, cues, _SMALL_TALK)
        spent |= chat
        subject = tuple(
            t
            for t in rest
            if len(t) > 1
            and (t not in FILLER or t in keep)
            and not t.isdigit()
            and t not in spent
            and not (ref is not None and ref.kind == "nth" and is_ordinal(t))
        )
        parts: tuple[tuple[str, ...], ...] = ()
        if len(subject) > 1 and _SENTENCE.search(text.strip(" ?!.")):
            parts = tuple(
                tuple(t for t in split(fold(sentence)) if t in subject)
                for sentence in _SENTENCE.split(text)
            )
            parts = tuple(p for p in parts if p)
        return cls(
            text=text,
            tokens=tokens,
            joined=joined,
            period=found.period if found is not None else None,
            rest=rest,
            ref=ref,
            cues=cues,
            ask=_ask(joined, frozenset(rest), language),
            status=status,
            subject=subject,
            parts=parts,
            plan_year=_plan_year(found.period if found else None, years, in_force),
            chat=chat,
        )

    def has(self, *names: str) -> bool:
        """Whether any of the cues ``names`` was found."""
        return not self.cues.isdisjoint(names)

    def says(self, words: frozenset[str]) -> bool:
        """Whether any of ``words`` is among the message's words."""
        return not words.isdisjoint(self.tokens)


# Cues whose words say what is wanted, not what it is about ("dame de baja", "keep me posted").
_SPENDING = ("subscribe", "unsubscribe", "subscriptions", "undo", "count", "help", "identity",
             "calendar", "timezone", "language")  # fmt: skip
_SMALL_TALK = ("bye", "thanks", "greet")
# Ways of asking that name nothing: "when does the forum take place", "could you give me some
# background on…", "pourriez-vous m'indiquer…", "me podrían pasar información sobre…".
_ASKING = re.compile(
    r"\b(?:takes? place|taking place|(?:tiene|tendra|tuvo) lugar|se (?:lleva|llevara) a cabo|"
    r"(?:a|aura) lieu|se (?:tient|tiendra|deroule|deroulera)|cuando (?:cae|caera|toca)|"
    r"(?:could|can|would) you (?:please )?(?:give|tell|send|show) me(?: some| more| a bit of)?"
    r"(?: background| info| information| details)?(?: on| about)?|"
    r"(?:pourriez|pouvez|pourrais|peux) (?:vous|tu) (?:me |m )?(?:indiquer|dire|donner|envoyer|"
    r"expliquer|preciser)|"
    r"(?:me )?(?:podrian|podria|podrias|puedes|puede|podes) (?:pasar|dar|decir|enviar|mandar|"
    r"contar)(?:me)?(?: (?:informacion|info|detalles|datos))?(?: (?:sobre|de|del|acerca de))?)\b"
)


def _asking_words(joined: str, maybe: set[str]) -> frozenset[str]:
    if _ASKING_GATE not in maybe:
        return frozenset()
    return frozenset(w for found in _ASKING.finditer(joined) for w in found.group().split())


_ASKING_GATE = "asking"


@cache
def _cue_gate() -> Gate:
    # Built on first use, not at import: only the cues a message's words may open are searched
    # (and the ways of asking and the references' patterns, under names of their own).
    return Gate({**CUES, _ASKING_GATE: _ASKING, **GATED})


def _plan_year(period: Period | None, years: tuple[int, ...], in_force: int) -> int:
    # "the 2019 board meeting", "los proyectos de 2020": a period within one plan's year
    # names that plan.
    if period is not None and period.start.year == period.end.year and period.end.year in years:
        return period.start.year
    return in_force


def _cue_words(joined: str, cues: frozenset[str], spending: tuple[str, ...]) -> frozenset[str]:
    # The words of every match of the ``spending`` cues found: never part of the subject.
    found: set[str] = set()
    for name in spending:
        if name in cues:
            for match in CUES[name].finditer(joined):
                found.update(match.group().split())
    return frozenset(found)


def _ask(joined: str, words: frozenset[str], language: str) -> str | None:
    when = not words.isdisjoint(ASK_WHEN)
    if when and words & ASK_WHEN <= _GREETING_DAY and any(g in joined for g in _GREETINGS):
        when = False  # "chao, buen día": a greeting, not "which day?"
    where = (
        not words.isdisjoint(ASK_WHERE)
        or ("ou" in words and (any(p in joined for p in _WHERE_FR) or joined.endswith(" ou")))
        or any(p in joined for p in _WHERE_PHRASES)
    )
    if when and where:
        # "quand aura lieu…", "when does it take place": when; "where and when": both, when
        # first (the card shows the date before the place anyway).
        return "when"
    return "when" if when else "where" if where else None
