"""What the bot remembers of a conversation, and what one turn adds to it.

A :class:`ConversationState` is a small record, not a state machine: the items in focus, the
last numbered list, the last period, the last act (to complete "and in August?"), the bot's
own pending question, and the last undoable action. Handlers report what they showed, asked
or did on a :class:`Turn`; the engine folds the turn into the state after the reply. Both
are plain data, written to the database as JSON (:meth:`ConversationState.to_record`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.core.periods import Period
from bot.understanding.reading import Reading

__all__ = ["MAX_LISTED", "Action", "ConversationState", "Pending", "Turn"]

# How many lines of a list the conversation remembers.
MAX_LISTED = 100

# Acts that change nothing a follow-up would complete: "thanks" after a list keeps the list's
# question as the last one.
_PASSING = frozenset(
    {"greet", "thanks", "bye", "help", "identity", "start", "confirm", "cancel", "language"}
)


@dataclass(frozen=True, slots=True)
class Pending:
    """A question the bot asked and waits an answer to.

    Attributes:
        kind: ``"target"`` ("what do you want to subscribe to?"), ``"confirm"`` ("shall I
            subscribe you to these 3?") or ``"choose"`` ("which one: 1… 2…?").
        act: The act that waits: ``subscribe``, ``unsubscribe``, ``item``…
        items: The items concerned: those to confirm, or the options to choose from.
        targets: Other subscription targets to confirm (``all_events``, ``digest``…).
        ask: For a choice after "when"/"where": what was asked.
        token: The unanswered-log entry of a "did you mean", dropped if the member picks.
    """

    kind: str
    act: str
    items: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    ask: str | None = None
    token: str | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """A subscription change that "undo" takes back.

    Attributes:
        act: ``subscribe`` or ``unsubscribe``.
        items: The items or themes it changed (slugs).
        targets: Other targets it changed (``all_events``, ``digest``).
    """

    act: str
    items: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ConversationState:
    """What a follow-up may refer to.

    Attributes:
        focus: The items in focus (the one shown or asked about; the ones just followed).
        earlier: The items in focus before those ("MEGA", then "and MetroAirports?", then
            "subscribe me to both").
        listed: The last numbered list shown, in its order (slugs).
        period: The last period asked about.
        last: The last question or request, resolved (for ellipses and corrections).
        pending: The bot's own question, if it waits for an answer.
        undo: The last subscription change, if it can be taken back.
        done: What the last reply did (its act, even small talk): for logs and evaluation.
        language: The language of the last reply.
        updated_at: When the state was last changed.
    """

    focus: tuple[str, ...] = ()
    listed: tuple[str, ...] = ()
    period: Period | None = None
    last: Reading | None = None
    earlier: tuple[str, ...] = ()
    pending: Pending | None = None
    undo: Action | None = None
    done: str | None = None
    language: str | None = None
    updated_at: datetime | None = None

    def expired(self, now: datetime, idle_seconds: float) -> bool:
        """Whether the conversation has been idle longer than ``idle_seconds``."""
        return self.updated_at is None or (now - self.updated_at).total_seconds() > idle_seconds

    def after(
        self, reading: Reading, turn: Turn, *, language: str, now: datetime
    ) -> ConversationState:
        """The state once ``reading`` was answered as ``turn`` says."""
        act = turn.act or reading.act
        if act in _PASSING:
            last = self.last
        else:
            last = reading if reading.act == act else reading.with_(act=act)
        focus = turn.focus if turn.focus is not None else self.focus
        moved = bool(self.focus) and focus != self.focus
        return ConversationState(
            focus=focus,
            earlier=self.focus if moved else self.earlier,
            listed=turn.listed if turn.listed is not None else self.listed,
            period=reading.period or self.period,
            last=last,
            pending=turn.pending,
            undo=turn.undo if turn.undo is not None else (None if turn.cleared else self.undo),
            done=act,
            language=language,
            updated_at=now,
        )

    def to_record(self) -> dict[str, Any]:
        """The state as JSON-ready data (what the ``conversations`` table stores)."""
        return {
            "focus": list(self.focus),
            "earlier": list(self.earlier),
            "listed": list(self.listed),
            "period": _period_record(self.period),
            "last": _reading_record(self.last),
            "pending": None if self.pending is None else _plain(self.pending),
            "undo": None if self.undo is None else _plain(self.undo),
            "done": self.done,
            "language": self.language,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any], updated_at: datetime) -> ConversationState:
        """Read back :meth:`to_record`; what cannot be read is left out, never raised."""
        try:
            pending = record.get("pending")
            undo = record.get("undo")
            return cls(
                focus=tuple(record.get("focus") or ()),
                earlier=tuple(record.get("earlier") or ()),
                listed=tuple(record.get("listed") or ()),
                period=_period_from(record.get("period")),
                last=_reading_from(record.get("last")),
                pending=Pending(**_tuples(pending)) if pending else None,
                undo=Action(**_tuples(undo)) if undo else None,
                done=record.get("done"),
                language=record.get("language"),
                updated_at=updated_at,
            )
        except (TypeError, ValueError, KeyError):
            # A state written by another version of the bot: start afresh rather than fail.
            return cls(updated_at=updated_at)


@dataclass(slots=True)
class Turn:
    """What a handler showed, asked or did while answering one message.

    Attributes:
        act: What was actually done, when it differs from the reading's act (an item that
            was not found is ``unknown``; several matches make a ``choose``).
        focus: The items now in focus (``None``: unchanged).
        listed: The numbered list shown, in order (``None``: unchanged).
        pending: The question the bot asked (``None``: none; any earlier one is dropped).
        undo: The subscription change made, if any.
        cleared: The last change can no longer be undone (it was just undone).
        unanswered: Record the message in the unanswered log (``fallback`` or
            ``did_you_mean``), for staff.
    """

    act: str | None = None
    focus: tuple[str, ...] | None = None
    listed: tuple[str, ...] | None = None
    pending: Pending | None = None
    undo: Action | None = None
    cleared: bool = False
    unanswered: str | None = None

    def shown(self, *slugs: str) -> None:
        """One or more items were shown: they are now in focus."""
        self.focus = tuple(slugs)

    def listed_items(self, slugs: tuple[str, ...] | list[str]) -> None:
        """A numbered list was shown: "the second one" now means its second line (the first
        :data:`MAX_LISTED` lines are remembered: nobody asks for number 150)."""
        self.listed = tuple(slugs[:MAX_LISTED])
        if len(slugs) == 1:
            self.focus = (slugs[0],)


def _plain(value: Pending | Action) -> dict[str, Any]:
    return {name: getattr(value, name) for name in value.__slots__}  # type: ignore[attr-defined]


def _tuples(record: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in record.items()}


def _period_record(period: Period | None) -> dict[str, Any] | None:
    if period is None:
        return None
    return {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "precision": period.precision,
        "label": list(period.label),
    }


def _period_from(record: dict[str, Any] | None) -> Period | None:
    if not record:
        return None
    return Period(
        date.fromisoformat(record["start"]),
        date.fromisoformat(record["end"]),
        record["precision"],
        tuple(record.get("label") or ()),
    )


_READING_FIELDS = (
    "act", "items", "choices", "theme", "kind", "status", "upcoming", "ask", "targets",
    "subject", "detail",
)  # fmt: skip


def _reading_record(reading: Reading | None) -> dict[str, Any] | None:
    if reading is None:
        return None
    record: dict[str, Any] = {}
    for name in _READING_FIELDS:
        value = getattr(reading, name)
        record[name] = list(value) if isinstance(value, tuple) else value
    record["period"] = _period_record(reading.period)
    return record


def _reading_from(record: dict[str, Any] | None) -> Reading | None:
    if not record:
        return None
    fields = _tuples({k: v for k, v in record.items() if k in _READING_FIELDS})
    return Reading(**fields, period=_period_from(record.get("period")))
