"""Fill what a message leaves open from the conversation, before anything is answered.

In this order: an answer to the bot's own question (a "yes" to "shall I?", a bare name after
"subscribe to what?", "the second one" or "the one in September" after "which one?"); then
references ("it", "those", "number 3"); then fragments of the last question ("and in
August?", "¿y dónde?") and corrections ("no, the one in November", "non, plutôt en mars",
"no, el de movilidad"); then "undo". What cannot be resolved keeps its reference, so that the
handler asks a helpful question instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.conversation.state import ConversationState
from bot.core.periods import Period, add_months, month_period
from bot.core.text import fold
from bot.understanding.reading import Reading, Reference
from content.index import ContentIndex, ContentItem
from content.schema import plain_slug

__all__ = ["Resolver"]

# Acts whose period, theme or status a fragment may replace: "and in August?".
_REFINABLE = frozenset({"events", "count", "projects"})
# Acts that act on items: "subscribe me to it", "is it still running?".
_ON_ITEMS = frozenset({"item", "subscribe", "unsubscribe", "yesno"})


@dataclass(frozen=True)
class Resolver:
    """Resolves readings against a conversation.

    Attributes:
        index: The plan in memory.
        as_target: Reads a text again as what a subscription names ("MEGA", "all events",
            "le digest hebdo"): ``as_target(act)`` → the reading.
    """

    index: ContentIndex
    as_target: Callable[[str], Reading]

    def resolve(self, reading: Reading, state: ConversationState) -> Reading:
        """The reading with its references filled from ``state`` where they can be."""
        pending = state.pending
        if pending is not None:
            answered = self._answer(reading, state)
            if answered is not None:
                return answered
        declined = _declined(reading, state)
        if declined:
            named = self._one_line(reading, state.listed, state)
            if named is not None:  # "no" to all four, then "just MEGA then", "juste le 2e"
                return Reading(declined, items=(named,), detail="picked")
        if reading.detail == "all" and state.listed and state.last is not None:
            if state.last.act in ("projects", "events") and reading.act == "subscribe":
                # "abonne moi à tous" under a list of projects: those projects.
                return reading.with_(targets=(), items=state.listed, detail=None)
        if reading.act == "undo":
            undo = state.undo
            if undo is None:
                return reading
            return reading.with_(items=undo.items, targets=undo.targets, detail=undo.act)
        ref = reading.ref
        if ref is None:
            if reading.act == "followup":
                return self._complete(reading, state)
            if _bare(reading) and state.done in ("item", "yesno") and state.focus:
                # "ok subscribe" under a card: that one (a bare "subscribe me" still asks what).
                if not _OK.isdisjoint(fold(reading.text).split()):
                    return reading.with_(items=state.focus[:1])
            return reading
        if ref.kind == "nth" and not reading.items:
            return self._nth(reading, state, ref)
        if ref.kind == "it" and not reading.items and not reading.theme:
            return self._it(reading, state)
        if ref.kind == "which" and state.last is not None and state.last.act == "count":
            return _listing(state.last)  # "how many start?" then "which ones?"
        if ref.kind == "except" and state.listed:
            skipped = {_at(state.listed, n) for n in ref.numbers}
            kept = tuple(s for s in state.listed if s not in skipped)
            return _about(reading, kept) if kept else reading
        if ref.kind == "other" and not reading.items:
            other = _other(state)
            if other is None:
                return reading
            ask = reading.ask or (state.last.ask if state.last is not None else None)
            return _about(reading, (other,)).with_(ask=ask)
        if ref.kind == "both" and not reading.items:
            both = _both(state)
            return _about(reading, both) if both else reading
        if ref.kind in ("those", "it") and reading.act == "count" and state.last is not None:
            counted = _count_of(state.last)  # "¿cuántos son esos?": the last list, counted
            if counted is not None:
                return counted
        if ref.kind == "those" and not reading.items:
            items = state.listed or state.focus
            if not items:
                return reading
            act = reading.act if reading.act in _ON_ITEMS else "item"
            return reading.with_(act=act, items=items, ref=None)
        if ref.kind == "correction":
            return self._correct(reading, state)
        if ref.kind == "ellipsis" or reading.act == "followup":
            return self._complete(reading, state)
        return reading

    # --- The bot's own question ---------------------------------------------------------

    def _answer(self, reading: Reading, state: ConversationState) -> Reading | None:
        pending = state.pending
        assert pending is not None
        if pending.kind == "confirm":
            if reading.act == "confirm":
                return Reading(
                    pending.act, items=pending.items, targets=pending.targets, detail="confirmed"
                )
            if reading.act == "cancel":
                return Reading("cancel", detail=pending.act)
            if reading.act in ("item", "choose", pending.act) and len(pending.items) > 1:
                # "just MEGA then", "no, solo al primero": one of those offered.
                named = self._one_line(reading, pending.items, state)
                if named is not None:
                    return Reading(pending.act, items=(named,), detail="picked")
            return None
        if pending.kind == "choose":
            return self._choose(reading, state)
        if pending.kind == "target" and pending.act == "item":
            # "which one do you mean?" → "MEGA": the question asked, about it.
            if reading.act in ("item", "followup", "choose") and (reading.items or reading.choices):
                return reading.with_(ask=reading.ask or pending.ask, ref=None)
            return None
        if pending.kind == "target" and reading.act in (
            "item",
            "choose",
            "events",
            "projects",
            "unknown",
            "followup",
            pending.act,
        ):
            if reading.act == pending.act and (reading.items or reading.targets):
                return None  # "subscribe me to MEGA": complete already
            if reading.act == "events" and reading.period is None and not reading.upcoming:
                return None
            target = self.as_target(pending.act)
            if target.items or target.targets or target.detail or target.choices:
                return target
            if reading.ref is not None and reading.ref.kind == "nth" and state.listed:
                picked = _at(state.listed, reading.ref.number)
                if picked is not None:
                    return Reading(pending.act, items=(picked,))
        if pending.kind == "target" and reading.act == "cancel":
            return Reading("cancel", detail=pending.act)
        return None

    def _choose(self, reading: Reading, state: ConversationState) -> Reading | None:
        pending = state.pending
        assert pending is not None
        options = pending.items
        chosen: str | None = None
        if reading.ref is not None and reading.ref.kind == "nth":
            chosen = _at(options, reading.ref.number)
        elif reading.items and reading.items[0] in options:
            chosen = reading.items[0]
        elif reading.act == "cancel":
            return Reading("cancel", detail=pending.act)
        elif named := self._named_among(reading, options):
            chosen = named
        elif reading.period is not None or reading.theme or reading.status:
            fitting = [s for s in options if self._fits(s, reading)]
            if len(fitting) == 1:
                chosen = fitting[0]
            elif 1 < len(fitting) < len(options):  # "the one in November": fewer to pick from
                return Reading("choose", choices=tuple(fitting), ask=pending.ask)
        if chosen is None:
            return None
        others = tuple(s for s in options if s != chosen)  # "see also", and "the other one"
        return Reading(pending.act, items=(chosen,), choices=others, ask=pending.ask,
                       detail="picked")  # fmt: skip

    def _one_line(
        self, reading: Reading, options: tuple[str, ...], state: ConversationState
    ) -> str | None:
        # One of the lines just offered, by its number or by the words that name it.
        if reading.ref is not None and reading.ref.kind == "nth":
            return _at(state.listed, reading.ref.number)
        return self._named_among(reading, options)

    def _named_among(self, reading: Reading, options: tuple[str, ...]) -> str | None:
        # "the forum" after four Guangzhou items, "celui sur l'innovation urbaine" after two
        # webinars: the one option the words name, or the one option about the theme named.
        named = {s for s in (*reading.items, *reading.choices) if s in options}
        if len(named) == 1:
            return named.pop()
        themes = [s for s in reading.items if (i := self.index.get(s)) and i.kind == "theme"]
        if themes and not named:
            about = [s for s in options if self._fits(s, Reading("item", theme=themes[0]))]
            if len(about) == 1:
                return about[0]
        return None

    # --- References ---------------------------------------------------------------------

    def _nth(self, reading: Reading, state: ConversationState, ref: Reference) -> Reading:
        picked = _at(state.listed, ref.number) if state.listed else None
        if picked is None:
            return reading  # no list, or no such line: the handler says so
        act = reading.act if reading.act in _ON_ITEMS else "item"
        if ref.numbers and act in ("subscribe", "unsubscribe"):
            # "subscribe me to the first two": those lines (the handler confirms several).
            lines = tuple(s for n in ref.numbers if (s := _at(state.listed, n)) is not None)
            return reading.with_(items=lines, ref=None)
        last = state.last
        if reading.act == "followup" and last is not None and last.ask:
            return Reading("item", items=(picked,), ask=reading.ask)
        if act == "item" and reading.ask is None and last is not None and last.act == "item":
            # "el 3, ¿dónde es?" then "¿y el primero?": the same question of another line.
            return reading.with_(act=act, items=(picked,), ref=None, ask=last.ask)
        return reading.with_(act=act, items=(picked,), ref=None)

    def _it(self, reading: Reading, state: ConversationState) -> Reading:
        in_focus = state.focus
        if not in_focus and state.last is not None and state.last.theme:
            # "what's planned on housing" then "any upcoming events on that?": the theme.
            in_focus = (state.last.theme,)
        if not in_focus:
            return reading
        focus = self.index.get(in_focus[0])
        if reading.act in ("events", "projects", "count") and focus is not None:
            if focus.kind == "theme":  # "any upcoming events on that?" after a theme
                return reading.with_(theme=focus.slug, ref=None)
        act = reading.act if reading.act in _ON_ITEMS else "item"
        if reading.act in ("events", "count") and reading.period is None:
            act = "item"
        return reading.with_(act=act, items=in_focus[:1] if act != "subscribe" else
                             in_focus, ref=None)  # fmt: skip

    # --- Fragments and corrections ------------------------------------------------------

    def _complete(self, reading: Reading, state: ConversationState) -> Reading:
        last = state.last
        if last is None:
            return _alone(reading)
        if reading.period is not None and last.act in _REFINABLE:
            period = _after(reading.period, last.period)
            return last.with_(period=period, upcoming=False, ref=None, text=reading.text)
        if reading.ask and (last.items or state.focus):
            items = last.items[:1] or state.focus[:1]
            return Reading("item", items=items, ask=reading.ask, text=reading.text)
        if reading.items and last.act in ("item", "yesno") and reading.act in ("item", "followup"):
            item = self.index.get(reading.items[0])
            if item is not None and item.kind in ("theme", "section") and last.act == "item":
                return reading.with_(ref=None)
            return last.with_(items=reading.items[:1], ref=None, text=reading.text)
        if reading.period is not None and last.act == "item" and last.choices:
            # "the july one" of two, then "and the september one?": the other, by its month.
            fitting = [s for s in last.choices if self._fits(s, reading)]
            if len(fitting) == 1:
                return Reading("item", items=(fitting[0],), ask=reading.ask, text=reading.text)
        if reading.items and last.act in ("subscribe", "unsubscribe") and reading.act == "item":
            return Reading(last.act, items=reading.items[:1], text=reading.text)  # "and X too"
        theme = reading.theme or _theme_of(self.index, reading)
        if theme and last.act in _REFINABLE:
            return last.with_(theme=theme, ref=None, text=reading.text)
        if reading.status and last.act in ("projects", "count"):
            return last.with_(status=reading.status, ref=None, text=reading.text)
        return _alone(reading)

    def _correct(self, reading: Reading, state: ConversationState) -> Reading:
        last = state.last
        if last is None:
            return _alone(reading)
        if last.act in ("subscribe", "unsubscribe", "item", "yesno", "choose"):
            items = self._corrected_items(reading, state)
            if items:
                act = "item" if last.act == "choose" else last.act
                detail = "replace" if act in ("subscribe", "unsubscribe") else None
                return Reading(act, items=items, ask=last.ask, detail=detail, text=reading.text)
        if last.act in _REFINABLE:
            changed = self._complete(reading.with_(ref=Reference("ellipsis")), state)
            if changed.act in _REFINABLE:
                return changed
        return _alone(reading)

    def _corrected_items(self, reading: Reading, state: ConversationState) -> tuple[str, ...]:
        # A name said outright wins ("non, le congrès de CGLU"); otherwise the one that fits
        # among the things the last question could have meant ("no, the one in November").
        if reading.items:
            item = self.index.get(reading.items[0])
            if item is not None and item.kind not in ("theme", "section"):
                return reading.items[:1]
            if item is not None and item.kind == "theme" and state.last is not None:
                if state.last.act in ("subscribe", "unsubscribe"):
                    return reading.items[:1]  # "no wait, migration i meant": that theme
        last = state.last
        assert last is not None
        candidates = list(state.listed) + list(last.choices) + list(last.items)
        if last.subject:
            candidates += [m.item.slug for m in self.index.find(last.subject, limit=8)]
        named = self.index.get(reading.items[0]) if reading.items else None
        if named is not None and named.kind == "theme":
            # "no, el del plan de movilidad" after a project: the project of that theme.
            kinds = {i.kind for s in last.items if (i := self.index.get(s)) is not None}
            candidates += [i.slug for i in self.index.about_theme(named.slug) if i.kind in kinds]
        if reading.choices:  # "non, celui de guangzhou": the one it names among those meant
            among = [s for s in reading.choices if s in candidates and s not in last.items]
            if len(among) == 1:
                return (among[0],)
            if last.subject and reading.subject:
                # What was asked with the detail swapped: "forum chicago" + "guangzhou".
                asked = f"{last.subject} {reading.subject}"
                for match in self.index.find(asked, limit=8):
                    slug = match.item.slug
                    if slug in reading.choices and slug not in last.items:
                        return (slug,)
        wanted = reading
        if not (reading.period or reading.status or reading.theme) and reading.items:
            wanted = reading.with_(theme=reading.items[0])
        seen: list[str] = []
        for slug in candidates:
            if slug not in seen and slug not in last.items and self._fits(slug, wanted):
                seen.append(slug)
        if not seen and (wanted.period or wanted.status):
            # "celui de juillet" when July's was the one shown: that one again.
            seen = [s for s in last.items if self._fits(s, wanted)]
        if len(seen) > 1 and reading.text:
            return self._best_named(reading.text, seen)
        return tuple(seen[:1]) if len(seen) == 1 else ()

    def _best_named(self, text: str, among: list[str]) -> tuple[str, ...]:
        # Several fit: the one whose names the words match clearly best ("el del plan de
        # movilidad": the mobility master plan, among the mobility projects).
        scores = {m.item.slug: m.score for m in self.index.find(text, limit=30)}
        ranked = sorted(among, key=lambda s: -scores.get(s, 0.0))
        first, second = (scores.get(s, 0.0) for s in ranked[:2])
        return (ranked[0],) if first > 0.0 and first - second >= 0.1 else ()

    def _fits(self, slug: str, reading: Reading) -> bool:
        item = self.index.get(slug)
        if item is None or item.kind in ("theme", "section"):
            return False
        return _fits(item, reading)


def _fits(item: ContentItem, reading: Reading) -> bool:
    period = reading.period
    if period is not None:
        if item.start is None or item.end is None or not item.overlaps(period.start, period.end):
            return False
    if reading.theme and plain_slug(reading.theme) not in item.themes:
        return False  # a theme of any plan year: items name it by its slug
    return not (reading.status and reading.status != item.status)


def _about(reading: Reading, items: tuple[str, ...]) -> Reading:
    # The reading resolved to ``items``: its own act when it acts on items, else showing them.
    act = reading.act if reading.act in _ON_ITEMS else "item"
    return reading.with_(act=act, items=items, ref=None)


def _after(period: Period, before: Period | None) -> Period:
    # "and the month after?": the month after the one asked about, not after today's.
    shift = _SHIFTS.get(period.label)
    if shift is None or before is None or before.precision != "month":
        return period
    first = add_months(before.start, shift)
    return month_period(first.year, first.month)


_SHIFTS = {("relative", "following_month"): 1, ("relative", "preceding_month"): -1}


_OK = frozenset("ok okay oki vale dale yes yep si oui ouais bon alors then entonces".split())


def _bare(reading: Reading) -> bool:
    # "subscribe", "ok follow": a subscription that names nothing.
    return reading.act in ("subscribe", "unsubscribe") and not (
        reading.items or reading.targets or reading.choices or reading.detail or reading.subject
    )


def _declined(reading: Reading, state: ConversationState) -> str | None:
    # The subscription change the member just said no to, when they now name only one.
    last = state.last
    if reading.detail != "only" or state.done != "cancel" or last is None:
        return None
    return last.act if last.act in ("subscribe", "unsubscribe") else None


def _other(state: ConversationState) -> str | None:
    # Of two offered or listed, the one not in focus.
    if not state.focus:
        return None
    focus = state.focus[0]
    if state.last is not None and state.last.items[:1] == (focus,):
        rest = [s for s in state.last.choices if s != focus]
        if len(rest) == 1:  # picked from two: the one not picked
            return rest[0]
    if len(state.listed) == 2 and focus in state.listed:
        return next(s for s in state.listed if s != focus)
    return None


def _both(state: ConversationState) -> tuple[str, ...]:
    # A list of two, else the item looked at before the one in focus and that one.
    if len(state.listed) == 2 and state.last is not None and not state.last.items:
        return state.listed
    if state.focus and state.earlier and state.earlier[0] != state.focus[0]:
        return (state.earlier[0], state.focus[0])
    return state.listed if len(state.listed) == 2 else ()


def _listing(count: Reading) -> Reading:
    # The list a count counted: projects of a status or theme, or a period's events.
    if count.kind == "pilot_project" or count.status is not None:
        return Reading("projects", kind="pilot_project", status=count.status, theme=count.theme)
    return Reading("events", period=count.period, theme=count.theme, upcoming=count.period is None)


def _count_of(last: Reading) -> Reading | None:
    if last.act == "projects":
        return Reading("count", kind=last.kind or "pilot_project", status=last.status,
                       theme=last.theme, period=last.period)  # fmt: skip
    if last.act == "events":
        return Reading("count", period=last.period, theme=last.theme)
    return None


def _theme_of(index: ContentIndex, reading: Reading) -> str | None:
    item = index.get(reading.items[0]) if reading.items else None
    return item.slug if item is not None and item.kind == "theme" else None


def _at(slugs: tuple[str, ...], number: int | None) -> str | None:
    if number is None or not slugs:
        return None
    if number < 0:  # counted back: -1 the last line, -2 the one before
        return slugs[number] if -len(slugs) <= number else None
    return slugs[number - 1] if 1 <= number <= len(slugs) else None


def _alone(reading: Reading) -> Reading:
    # Nothing to complete it with: read it alone (a period is a question about events).
    if reading.act == "followup" and reading.period is not None:
        return reading.with_(act="events", ref=None)
    if reading.ref is not None and reading.ref.kind in ("ellipsis", "correction"):
        return reading.with_(ref=None)
    return reading
