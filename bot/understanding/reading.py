"""What a message means, as data: the act the member wants and what it is about.

The understanding stage turns text (or a command, or a button) into a :class:`Reading`; the
conversation fills its open references (:class:`Reference`) from what was said before; a
handler acts on the resolved reading and renders the reply.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from bot.core.periods import Period

__all__ = ["ACTS", "Reading", "Reference"]

# Every act a reading can have, and what it means.
ACTS = {
    "item": "show one item (its card); a theme or section shows its overview",
    "choose": "several items match: offer them as numbered choices",
    "events": "dated events and actions of a period, or what comes next",
    "overview": "the plan month by month",
    "projects": "pilot projects, by status or theme",
    "themes": "the plan's themes",
    "sections": "the plan's sections",
    "count": "how many items of a kind, status, period or theme",
    "yesno": "a yes/no question about an item's status or date",
    "subscribe": "follow items, a theme, all events or the weekly digest",
    "unsubscribe": "stop following them",
    "subscriptions": "what the member follows",
    "undo": "take back the last subscription change",
    "confirm": "yes to the bot's own question",
    "cancel": "no to the bot's own question",
    "help": "what the bot can do",
    "start": "the welcome",
    "identity": "who or what the bot is",
    "greet": "hello",
    "thanks": "thank you",
    "bye": "goodbye",
    "calendar": "the member's calendar feed",
    "language": "choose the reply language",
    "timezone": "show or set the member's time zone",
    "more": "the next page of a list (a button)",
    "staff": "a staff command",
    "followup": "only a fragment of a question: completed from the conversation",
    "unknown": "not understood",
}


@dataclass(frozen=True, slots=True)
class Reference:
    """Something the message leaves to the conversation.

    Attributes:
        kind: ``"it"`` (the item in focus: "it", "that one", "ce projet", "eso"), ``"those"``
            (the whole last list: "all of those", "todos esos"), ``"nth"`` (a position in the
            last list: "the second one", "el 3"), ``"both"`` ("les deux", "ambos"), ``"which"``
            ("which ones?" after a count), ``"except"`` ("all but the first"), ``"other"``
            ("and the other one?"),
            ``"ellipsis"`` (a fragment of the last
            question: "and in August?", "¿y dónde?"), ``"correction"`` ("no, the one in
            November", "non, plutôt en mars"), ``"yes"`` or ``"no"`` (an answer).
        number: The position for ``"nth"`` (1-based; -1 for "the last one").
        numbers: Every position, when the message names several ("the first two", "au
            premier et au troisième"); ``number`` is the first of them.
    """

    kind: str
    number: int | None = None
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Reading:
    """A message understood: what the member wants and what it is about.

    Attributes:
        act: One of :data:`ACTS`.
        items: The items named or meant (slugs), the main one first.
        choices: Close candidates when the name is not sure (slugs).
        theme: A theme the question is narrowed to (slug).
        kind: A kind of item: ``event``, ``action``, ``pilot_project``, ``theme``, ``section``.
        status: A project status (``closing``, ``ongoing``, ``starting``), or for yes/no
            questions what is asked about (``over``, ``running``, ``started``, ``closing``,
            ``starting``, ``cancelled``, ``postponed``).
        period: The period asked about.
        upcoming: "What's next" (from today).
        ask: ``"when"`` or ``"where"``: what is asked about an item.
        targets: Subscription targets other than items: ``all_events``, ``digest``,
            ``everything``.
        ref: What the message leaves to the conversation, if anything.
        confidence: How sure the reading is (0..1); below 1 for fuzzy names.
        subject: The words that named the subject, as the member wrote them (for replies
            such as "I couldn't find …").
        detail: A sub-choice of the act: a language code, a list name, ``reset``…
        command: The command name, for commands (``events``, ``setdate``…).
        args: The command's arguments, as typed.
        value: A button's payload after its prefix (``about:mega`` → ``mega``).
        text: The whole message, as typed.
        fields: A submitted form's values, ``(name, value)`` pairs.
    """

    act: str
    items: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    theme: str | None = None
    kind: str | None = None
    status: str | None = None
    period: Period | None = None
    upcoming: bool = False
    ask: str | None = None
    targets: tuple[str, ...] = ()
    ref: Reference | None = None
    confidence: float = 1.0
    subject: str = ""
    detail: str | None = None
    command: str | None = None
    args: str = ""
    value: str = ""
    text: str = ""
    fields: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.act not in ACTS:
            raise ValueError(f"unknown act {self.act!r}")

    def with_(self, **changes: Any) -> Reading:
        """A copy with some fields changed."""
        if "act" in changes and changes["act"] not in ACTS:
            raise ValueError(f"unknown act {changes['act']!r}")
        unknown = changes.keys() - _FIELDS
        if unknown:
            raise TypeError(f"Reading has no field {sorted(unknown)[0]!r}")
        # Two dict updates rather than dataclasses.replace, which runs __init__ again: a
        # reading is copied a few times on every message's path.
        copy = object.__new__(Reading)
        copy.__dict__.update(self.__dict__)
        copy.__dict__.update(changes)
        return copy

    @property
    def item(self) -> str | None:
        """The main item meant, if any."""
        return self.items[0] if self.items else None

    def field(self, name: str) -> str:
        """A submitted form's value ``name`` (the first, if it repeats), or ``""``."""
        return next((value for key, value in self.fields if key == name), "")


_FIELDS = frozenset(f.name for f in fields(Reading))
