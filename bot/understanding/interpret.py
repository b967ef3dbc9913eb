"""Text → :class:`Reading`: what a member wants, about what, how sure.

The rules read a :class:`~bot.understanding.message.Message` (words, period, cues, subject)
and decide, in this order: an answer to the bot's question ("yes", "non"), a language
choice, undo, unsubscribe, the subscriptions list, subscribe, the calendar, the time zone,
counts, who the bot is, help, yes/no questions about an item, then the plan's content
(projects, one item, events of a period, a theme), fragments left to the conversation
("and in August?"), small talk, and what is not understood. They are deterministic and fast:
one pass over the words, a few dictionary and regex lookups, and the name search.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from bot.core.periods import year_period
from bot.understanding.asking import (
    YESNO,
    after_timezone,
    confirming,
    language_asked,
    strictly_confirming,
)
from bot.understanding.cues import CUE_WORDS
from bot.understanding.message import FILLER, GENERIC, Message
from bot.understanding.names import Names, Pick, names_of
from bot.understanding.periods import MONTH_WORDS
from bot.understanding.reading import Reading, Reference
from bot.understanding.relative_periods import PERIOD_WORDS
from bot.understanding.spelling import Speller
from bot.understanding.words import (
    COMMON,
    DOMAIN,
    EVENT_WORDS,
    KIND_WORDS,
    NEUTRAL,
    NEXT_WORDS,
    PROJECT_WORDS,
    SECTION_WORDS,
    THEME_WORDS,
    WHOLE,
)
from content.index import STOPWORDS, ContentIndex, ContentItem

__all__ = ["LIST_NAMES", "Interpreter", "interpreter_for"]

_ALL = frozenset("all every everything todo todos todas toda tout tous toutes".split())
# "ya no quiero recibir nada": nothing more of anything, as "everything" is.
_NOTHING = frozenset("nada rien nothing anything".split())
_DIGEST = frozenset(
    "digest weekly semanal resumen hebdomadaire resume newsletter boletin recap hebdo roundup "
    "summary recapitulatif".split()
)
_MESSAGES = frozenset(
    """messages message mensajes mensaje notifications notificaciones alerts alertas alertes
    sending messaging texting enviar envies mandes mandar escribir envoyer ecrire mails
    alone writing""".split()
)
_RESET = frozenset("reset revoke regenerate renew restablecer reiniciar revocar renovar".split())
_CONCLUSIONS = frozenset(
    "conclusions conclusion conclusiones results resultados resultats bilan".split()
)
LIST_NAMES = {
    "training": frozenset("training formacion formation capacitacion capacity".split()),
    "global-positioning": frozenset("positioning posicionamiento positionnement".split()),
}
# Words that turn "what's next" around: "what's next in June", "coming up".
_NEXT_PHRASES = (
    "what s next", "what s coming", "coming up", "what s on", "whats on", "que viene",
    "lo que viene", "que sigue", "que se viene", "a venir", "quoi de prevu", "quoi de neuf",
    "la suite", "et apres",
)  # fmt: skip
# Yes/no questions: what is asked about, by the words that ask it.
# Statuses that are things happening to projects ("what closes this year?").
_TURNING = frozenset({"closing", "starting"})


class Interpreter:
    """Reads messages against one content index (its names, its vocabulary).

    Args:
        index: The plan in memory.
    """

    def __init__(self, index: ContentIndex) -> None:
        self.index = index
        self.names: Names = names_of(index)
        name_words = self.names.words - STOPWORDS
        self.name_words = name_words
        # Filler words a title holds ("day" in "Metropolitan Day") may still name it.
        self.keep = frozenset(
            w for w in name_words if w in FILLER and w not in GENERIC and len(w) > 2
        )
        known = (
            COMMON | DOMAIN | NEUTRAL | FILLER | self.names.words | STOPWORDS | MONTH_WORDS
        ) | (CUE_WORDS | frozenset(YESNO) | PERIOD_WORDS)
        self.speller = Speller(known, DOMAIN | name_words | MONTH_WORDS)

    def read(self, text: str, *, language: str, today: date, chosen: str | None = None) -> Reading:
        """What ``text`` means, read alone (the conversation resolves what it leaves open).

        Args:
            text: The message as typed.
            language: The reply language (it decides which shorthand is spelled out).
            today: Where relative periods count from.
            chosen: The language the message itself asks for, if the language resolver
                found such a request ("en français", "english pls").
        """
        message = Message.read(
            text,
            language=language,
            today=today,
            years=self.index.years,
            speller=self.speller,
            keep=self.keep,
            names=self.name_words,
        )
        if chosen is not None and len(message.tokens) <= 6:
            return Reading("language", detail=chosen, text=text)
        return self._decide(message).with_(text=text)

    def read_target(self, text: str, act: str, *, language: str, today: date) -> Reading:
        """What ``text`` names as the target of ``act`` (``subscribe``/``unsubscribe``): the
        answer to "what do you want to subscribe to?" ("MEGA", "all events", "le digest")."""
        message = Message.read(
            text,
            language=language,
            today=today,
            years=self.index.years,
            speller=self.speller,
            keep=self.keep,
            names=self.name_words,
        )
        return self._subscription(act, message).with_(text=text)

    # --- The rules, in order ------------------------------------------------------------

    def _decide(self, m: Message) -> Reading:
        if not m.tokens:
            return Reading("unknown")
        if m.ref is not None and m.ref.kind in ("yes", "no"):
            return Reading("confirm" if m.ref.kind == "yes" else "cancel", ref=m.ref)
        if m.has("language"):
            # "cambia el idioma" names none: the handler offers the three.
            return Reading("language", detail=language_asked(m))
        if m.has("undo") and not self._names_something(m) and not m.says(_DIGEST):
            return Reading("undo")
        if m.has("unsubscribe"):
            return self._subscription("unsubscribe", m)
        if m.has("subscriptions") and not (m.has("subscribe") and m.says(_ADD)):
            return Reading("subscriptions")  # not "add it to my subscriptions"
        if m.has("subscribe") and not m.has("calendar"):
            return self._subscription("subscribe", m)
        if m.has("calendar"):
            if self._names_item(m):
                # "add MEGA to my calendar": following it puts it in the member's own feed.
                return self._subscription("subscribe", m)
            return Reading("calendar", detail="reset" if m.says(_RESET) else None)
        if m.has("timezone"):
            return Reading("timezone", args=after_timezone(m.text))
        if m.has("out_of_scope"):  # before counts: "¿a cuánto está el dólar?"
            return Reading("unknown", detail="out_of_scope", subject=" ".join(m.subject))
        if m.has("count"):
            return self._count(m)
        if m.has("identity"):
            return Reading("identity")
        if m.has("help") or (
            m.has("help_word") and not self._names_something(m) and m.period is None
        ):
            return Reading("help")
        return self._yesno(m) or self._content(m)

    def _subscription(self, act: str, m: Message) -> Reading:
        base = Reading(act, ref=m.ref, subject=" ".join(m.subject))
        if m.says(_DIGEST):
            return base.with_(targets=("digest",))
        if m.says(EVENT_WORDS & _EVENT_NOUNS) and (m.says(_ALL) or not m.subject) and not m.period:
            return base.with_(targets=("all_events",))
        if (
            act == "subscribe"
            and m.says(_ALL)
            and not (m.subject or m.ref or m.period or m.status or m.says(PROJECT_WORDS))
        ):
            # "subscribe me to everything" (right after a list, "à tous" may mean its lines:
            # the conversation says).
            return base.with_(targets=("all_events",), detail="all")
        content = self._content(m)
        if content.act == "projects" or (content.act == "events" and m.period is not None):
            # "follow the mobility projects", "avísame de lo que pase en noviembre": several
            # items, confirmed first (the handler asks).
            return base.with_(
                kind=content.kind or ("pilot_project" if content.act == "projects" else None),
                status=content.status,
                theme=content.theme,
                period=content.period,
                detail=content.act,
            )
        if content.act == "item" and content.items:
            return base.with_(items=content.items, confidence=content.confidence)
        if content.act == "choose":
            return base.with_(choices=content.choices, confidence=content.confidence)
        if act == "unsubscribe" and (m.says(_ALL | _NOTHING) or m.says(_MESSAGES) or not m.subject):
            # "stop sending me messages", "I don't want these alerts anymore": every one of
            # them ("these" goes with the alerts, not with a list shown).
            about_them = m.ref is None or (m.ref.kind == "those" and m.says(_MESSAGES))
            if about_them and (m.says(_MESSAGES) or m.says(_ALL | _NOTHING) or "stop" in m.tokens):
                return base.with_(targets=("everything",), ref=None)
        return base

    def _count(self, m: Message) -> Reading:
        kind = next((KIND_WORDS[t] for t in m.tokens if t in KIND_WORDS), None)
        pick = self._pick(m, kinds=("theme",))
        theme = pick.item.slug if pick is not None and pick.item is not None else None
        return Reading("count", kind=kind, status=m.status, period=m.period, theme=theme, ref=m.ref)

    def _yesno(self, m: Message) -> Reading | None:
        asked = [YESNO[t] for t in m.tokens if t in YESNO]
        if not asked and any(p in m.joined for p in _PASSED):
            asked = ["happened"]  # "c'est déjà passé ?" ("passe" alone: "qu'est-ce qui se passe")
        elif not asked and any(p in m.joined for p in _NEW_ONE):
            asked = ["starting"]  # "c un nouveau projet ?"
        if not asked and (m.period is None or not confirming(m)):
            return None
        one_of = any(p in m.joined for p in _ONE_OF)
        if (
            m.says(PROJECT_WORDS)
            and any(t.endswith("s") for t in m.tokens if t in PROJECT_WORDS)
            and not one_of
        ):
            return None  # "which projects are still running": a list (not "one of those…")
        if m.ask is not None and not strictly_confirming(m):
            return None  # "when does it end?", "could you tell me when … this year?"
        pick = self._pick(m, kinds=("pilot_project", "event", "action"))
        # Asked by its form alone ("can you give me… this year?"), it needs a clear name.
        if asked and pick is not None and pick.item is None and m.period is not None:
            pick = _within_period(pick, m)  # "le forum … de juillet a bien eu lieu ?"
        if pick is not None and pick.item is not None and (asked or pick.score >= 0.8):
            items: tuple[str, ...] = (pick.item.slug,)
        elif not m.subject and m.ref is not None and m.ref.kind == "it":
            items = ()
        elif (asked and confirming(m) and not m.subject) and (
            one_of or (m.ref is None and not m.says(PROJECT_WORDS | _EVENT_NOUNS))
        ):
            # "¿ya terminó?", "il a déjà eu lieu ?", "is it one of the ones ending this
            # year?": about the item in focus, unnamed.
            items, m = (), replace(m, ref=Reference("it"))
        else:
            return None
        status = _happened(asked[0], m) if asked else None
        if status in ("closing", "starting") and "over" in asked:
            status = "over"
        if m.period is not None and status in _THEN:
            status = _THEN[status]  # "se termine en 2019 ?", "ça commence cette année ?": then
        return Reading(
            "yesno",
            items=items,
            status=status,
            period=m.period,
            ref=m.ref,
            subject=" ".join(m.subject),
            confidence=pick.score if pick is not None else 1.0,
        )

    def _content(self, m: Message) -> Reading:
        subject = " ".join(m.subject)
        if m.says(THEME_WORDS):
            named = next((n for n, ws in LIST_NAMES.items() if m.says(ws)), None)
            if named is not None:  # "training themes": one of the plan's two lists
                return Reading("themes", detail=named, period=m.period)
        sections = m.says(SECTION_WORDS) and not m.says(THEME_WORDS)
        pick = self._pick(m, prefer_sections=sections)
        item = pick.item if pick is not None else None
        theme = item.slug if item is not None and item.kind == "theme" else None
        section = item.slug if item is not None and item.kind == "section" else None
        thing = item if item is not None and item.kind not in ("theme", "section") else None
        if pick is not None and item is None and m.period is not None:
            # "el foro de la ONU de julio": the period tells which of the close ones.
            period = m.period
            fitting = [
                o for o in pick.others if o.start and o.end and o.overlaps(period.start, period.end)
            ]
            if len(fitting) == 1:
                thing = fitting[0]
        if item is not None and thing is None and m.ask is not None and pick is not None:
            # "When is the City Managers meeting?": a dated item, not the section it is in.
            thing = next((o for o in pick.others if o.kind not in ("theme", "section")), None)
        confidence = self._confidence(m, pick)
        base = Reading("item", ask=m.ask, ref=m.ref, subject=subject, confidence=confidence)
        if m.says(_ONLY):  # "just MEGA then": one of those just offered, the conversation says
            base = base.with_(detail="only")
        others = tuple(o.slug for o in pick.others) if pick is not None else ()
        if m.says(PROJECT_WORDS):
            plural = any(t.endswith("s") for t in m.tokens if t in PROJECT_WORDS)
            if not plural and not m.subject and m.ref is not None and m.ref.kind in ("it", "nth"):
                return base  # "ese proyecto", "ce projet": the one in focus
            if thing is not None and thing.kind == "pilot_project" and not plural:
                if not m.status or m.ask is not None:  # "cuándo empieza el proyecto del agua"
                    return base.with_(items=(thing.slug,), choices=others)
            if m.says(_CONCLUSIONS):
                return Reading("projects", detail="conclusions")
            if thing is not None and not plural and not m.status and confidence >= 0.8:
                return base.with_(items=(thing.slug,), choices=others)
            return Reading(
                "projects", status=m.status, theme=theme, subject=subject, ref=m.ref,
                kind="pilot_project", period=m.period,
            )  # fmt: skip
        eventish = m.says(EVENT_WORDS) or self._upcoming(m)
        if thing is not None and m.period is not None and m.ask is None and not _within(thing, m):
            thing = None  # "what's on next month in Barcelona": the month, not November's expo
        # With "events" or a period, a name must be clear to win ("the next UCLG event").
        if thing is not None and confidence >= (0.75 if eventish or m.period else 0.5):
            return base.with_(items=(thing.slug,), choices=others)
        if pick is not None and item is None and pick.others and not eventish and not m.period:
            return Reading(
                "choose",
                choices=others,
                ask=m.ask,
                subject=subject,
                confidence=confidence,
                ref=_correcting(m),
            )
        if (theme or section) and pick is not None and pick.score >= 1.0 and not m.period:
            if not self._upcoming(m):  # "statutory meetings": a section named exactly
                return base.with_(items=(theme or section or "",), choices=others)
        if m.ask is not None and not m.subject and m.ref is not None and m.ref.kind in _ON_FOCUS:
            return base  # "ça se termine quand ?", "¿y cuándo termina?": the one in focus
        if m.ask and m.status and not (m.subject or m.ref or m.says(PROJECT_WORDS | _EVENT_NOUNS)):
            return base.with_(ref=Reference("it"))  # "il se termine quand ?": the one in focus
        year_long = m.period is None or m.period.precision == "year"
        if m.status in _TURNING and thing is None and year_long and not m.says(_EVENT_NOUNS):
            # "what closes this year?": the plan's projects close and start, not its events.
            return Reading(
                "projects",
                status=m.status,
                theme=theme,
                ref=m.ref,
                kind="pilot_project",
                period=m.period,
            )
        if eventish or m.period is not None:
            # "le programme de l'année, que je partage à Abidjan": the year, wherever they are.
            place = None if m.says(WHOLE) else _strange_place(m, self.speller.knows)
            if place is not None and (pick is None or confidence < 0.5):
                # "any Metropolis event in Tokyo?": a place the plan never names.
                return Reading("unknown", detail="not-found", subject=place)
            if m.ref is not None and m.ref.kind in ("it", "nth") and not m.subject:
                if m.ask is None and (m.says(EVENT_WORDS) or self._upcoming(m)):
                    # "any upcoming events on that?": events of the theme in focus.
                    return Reading("events", period=m.period, upcoming=m.period is None, ref=m.ref)
                return base  # "and where is it", "el 1 donde es": the conversation says which
            period = m.period
            if period is None and (m.says(WHOLE) or m.says(_ALL)) and not self._upcoming(m):
                period = year_period(m.plan_year)  # "la liste complète des événements"
            return Reading(
                "events",
                period=period,
                upcoming=period is None,
                theme=theme,
                ref=m.ref,
                subject=subject,
            )
        if theme is not None or section is not None:
            slug = theme or section
            return base.with_(items=(slug,), choices=others) if slug else base
        if m.says(THEME_WORDS):
            named = next((n for n, ws in LIST_NAMES.items() if m.says(ws)), None)
            return Reading("themes", detail=named, period=m.period)
        if m.says(SECTION_WORDS):
            return Reading("sections", period=m.period)
        if pick is not None and pick.others:
            return Reading("choose", choices=others, ask=m.ask, subject=subject, ref=_correcting(m))
        if pick is None and m.ask is None and (m.has("bye") or m.has("thanks")):
            return Reading("bye" if m.has("bye") else "thanks")  # "ok that's all, bye"
        if m.ref is not None:
            if m.ref.kind in ("it", "nth", "those") and not m.subject:
                return base
            return Reading("followup", ask=m.ask, status=m.status, ref=m.ref, subject=subject)
        if m.ask is not None and not m.subject:
            return Reading("followup", ask=m.ask, subject=subject)
        for act in ("thanks", "bye", "greet"):
            if m.has(act) and confidence < 0.6:
                return Reading(act)
        near = tuple(x.item.slug for x in self.names.find(subject, limit=3) if x.score >= 0.3)
        return Reading("unknown", choices=near, subject=subject)

    # --- Helpers ------------------------------------------------------------------------

    def _pick(
        self, m: Message, kinds: tuple[str, ...] | None = None, *, prefer_sections: bool = False
    ) -> Pick | None:
        if not m.subject:
            return None
        said = _INNER_CORRECTION.search(m.joined)
        if said is not None and any(t in m.subject for t in m.joined[: said.start()].split()):
            # "the webinar… no wait, I mean the Guangzhou forum": a name, then another one
            # instead; the second counts (a thing of the plan, as the first was).
            after = [t for t in m.joined[said.end() :].split() if t in m.subject]
            things = kinds or ("event", "action", "pilot_project")
            found = (
                self.names.pick(" ".join(after), kinds=things, threshold=0.45) if after else None
            )
            if found is not None and found.item is not None:
                return found
        exact = self.names.exact(" ".join(m.rest), kinds)
        if not exact and m.period is not None:  # "hlpf 2019": a name that holds its year
            exact = self.names.exact(m.joined, kinds)
        if len(exact) == 1 and exact[0].kind not in ("theme", "section"):
            return Pick(exact[0], (), 1.0)
        year = m.plan_year or None
        best = self.names.pick(
            " ".join(m.subject),
            kinds=kinds,
            threshold=0.45,
            prefer_sections=prefer_sections,
            year=year,
        )
        if not exact and (best is None or best.item is not None):
            # "no, the mobility master plan one": a whole name inside the words wins over a
            # theme they also name; a choice of close ones stays a choice.
            within = self.names.exact_within(m.rest, kinds)
            if len(within) == 1 and within[0].kind not in ("theme", "section"):
                return Pick(within[0], (), 1.0)
        # "X ya terminó? xq no veo nada": a sentence of its own may name it better.
        for part in m.parts:
            if part != m.subject and (best is None or best.score < 0.8):
                found = self.names.pick(" ".join(part), kinds=kinds, threshold=0.45, year=year)
                if found is not None and (best is None or found.score > best.score):
                    best = found
        return best

    def _confidence(self, m: Message, pick: Pick | None) -> float:
        # How much of what the member named the pick explains: a word nobody knows ("tokio",
        # "bogota") that the name does not explain means the question is about something
        # else.
        if pick is None:
            return 0.0
        if pick.score >= 1.0:
            return 1.0
        named = set().union(*(self.names.words_of(i.slug) for i in pick.candidates))
        unknown = [t for t in m.subject if not self.speller.knows(t) and not _explained(t, named)]
        if unknown and m.parts:
            # "¿cuándo es la expo smart city? tengo que pedir viáticos": a word nobody knows
            # in another sentence than the one that names it says nothing against the name.
            naming = [p for p in m.parts if any(_explained(t, named) for t in p)]
            unknown = [t for t in unknown if any(t in p for p in naming)]
        if unknown:
            return min(pick.score, 0.4)
        return pick.score

    def _names_item(self, m: Message) -> bool:
        pick = self._pick(m, kinds=("pilot_project", "event", "action", "theme"))
        return pick is not None and pick.item is not None and pick.score >= 0.8

    def _names_something(self, m: Message) -> bool:
        pick = self._pick(m)
        return pick is not None and pick.score >= 0.6

    def _upcoming(self, m: Message) -> bool:
        # "à bientôt", "hasta pronto" say goodbye, not "what's coming soon".
        said = not NEXT_WORDS.isdisjoint(t for t in m.tokens if t not in m.chat)
        return said or any(p in m.joined for p in _NEXT_PHRASES)


_ON_FOCUS = ("it", "nth", "ellipsis")
# With a period, "is it over / has it started" asks whether it ends / starts then.
_THEN = {"over": "closing", "started": "starting"}
# "is it one of those…": a question about the item in focus, not a list.
_ONE_OF = ("one of the", "one of those", "un de ceux", "une de celles", "uno de los", "una de las")
_PASSED = ("deja passe", "est passe", "already passed", "ya paso", "ya se hizo", "ya fue el")
_NEW_ONE = (
    "a new project", "a new one", "the new ones", "un nouveau projet", "un nuevo proyecto",
    "des nouveaux", "de los nuevos",
)  # fmt: skip
# A correction inside the message: "el foro de Chicago… perdón, quise decir el de…".
_INNER_CORRECTION = re.compile(
    r"(?<=\w )(?:no wait i mean|no wait i meant|i mean|i meant|sorry i mean|quise decir|"
    r"perdon quise decir|queria decir|o sea|je veux dire|je voulais dire|pardon je voulais dire)"
    r" "
)
_ONLY = frozenset("just only solo solamente unicamente juste seulement uniquement".split())


def _happened(status: str, m: Message) -> str | None:
    # "did it happen?": whether it is over; with a period, whether it was then.
    if status == "happened":
        return None if m.period is not None else "over"
    return status


_ADD = frozenset("add agrega agregalo anade ajoute ajouter put pon mets".split())
_EVENT_NOUNS = frozenset(
    "event events evento eventos evenement evenements agenda activities actividades".split()
)


_AT = frozenset("in en a at au dans".split())


def _within_period(pick: Pick, m: Message) -> Pick:
    # The one close match that falls in the period the message names, if only one does.
    period = m.period
    assert period is not None
    fitting = [o for o in pick.others if o.start and o.end and o.overlaps(period.start, period.end)]
    return replace(pick, item=fitting[0], others=()) if len(fitting) == 1 else pick


def _strange_place(m: Message, knows: Callable[[str], bool]) -> str | None:
    # The one word of a short subject that follows "in"/"en"/"à" and that neither the bot's
    # vocabulary nor the plan's names know: a place the plan has nothing in.
    if not 1 <= len(m.subject) <= 2:
        return None
    tokens = m.tokens
    for i, token in enumerate(tokens[1:], start=1):
        if token in m.subject and tokens[i - 1] in _AT and not knows(token) and token.isalpha():
            return token
    return None


def _explained(word: str, named: set[str]) -> bool:
    # A word of the name, its start, or the same word in another language of the name
    # ("métropolitaines européennes" for "European Metropolitan").
    return any(w.startswith(word) or (len(word) >= 6 and w[:6] == word[:6]) for w in named)


def _correcting(m: Message) -> Reference | None:
    # A choice keeps a correction ("non, celui de guangzhou"): the conversation may tell which.
    return m.ref if m.ref is not None and m.ref.kind == "correction" else None


def _within(item: ContentItem, m: Message) -> bool:
    # Whether a dated item overlaps the period the message names (an undated one may).
    period = m.period
    if period is None or item.start is None or item.end is None:
        return True
    return item.start <= period.end and item.end >= period.start


def interpreter_for(index: ContentIndex) -> Interpreter:
    """The :class:`Interpreter` of ``index``, built once and kept with it."""
    return index.derived("understanding.interpreter", lambda: Interpreter(index))
