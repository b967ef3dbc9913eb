"""The understanding stage as the core uses it: a message (text, command or button) read into
a :class:`Reading`, then resolved against the conversation.

``text → interpret → resolve against the conversation → act and render``: this module does the
first two steps; handlers do the third.
"""

from __future__ import annotations

from datetime import date

from bot.conversation.resolve import Resolver
from bot.conversation.state import ConversationState
from bot.core.messages import IN_PLACE
from bot.understanding.commands import read_action, read_command
from bot.understanding.interpret import interpreter_for
from bot.understanding.reading import Reading
from content.index import ContentIndex

__all__ = ["route", "understand"]


def understand(
    index: ContentIndex,
    *,
    text: str,
    action: str | None,
    language: str,
    today: date,
    chosen: str | None,
    state: ConversationState,
    fields: tuple[tuple[str, str], ...] = (),
) -> Reading:
    """What the message means in this conversation.

    Args:
        index: The plan in memory.
        text: The message as typed (empty for a button press).
        action: The pressed button's payload, if any.
        language: The reply language.
        today: Where relative periods count from.
        chosen: The language the message itself asks for, if any.
        state: The conversation so far.
        fields: A submitted form's values (with an action ``form:<name>``).
    """
    interpreter = interpreter_for(index)
    if action:
        in_place = action.startswith(IN_PLACE)
        action = action.removeprefix(IN_PLACE)
        if action.startswith("cmd:"):
            command = "/" + action.removeprefix("cmd:")
            reading = read_command(interpreter, command, language=language, today=today)
        else:
            reading = read_action(action, fields)
        if in_place and reading is not None and reading.detail == "button":
            # The Subscribe button of a card, pressed: the card comes back toggled.
            if reading.act in ("subscribe", "unsubscribe"):
                reading = reading.with_(detail="toggle")
    else:
        reading = read_command(interpreter, text, language=language, today=today)
    if reading is None:
        reading = interpreter.read(text, language=language, today=today, chosen=chosen)

    def as_target(act: str) -> Reading:
        return interpreter.read_target(text, act, language=language, today=today)

    return Resolver(index, as_target).resolve(reading, state)


def route(reading: Reading) -> str:
    """The act whose handler answers ``reading``: one that needs an item and has none asks
    which one (``followup``); a choice without choices was not understood."""
    act = reading.act
    if act in ("item", "yesno") and not reading.items:
        return "followup" if reading.ref is not None or reading.ask else "unknown"
    if act == "choose" and not reading.choices:
        return "unknown"
    return act
