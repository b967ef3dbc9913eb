"""The adapter's bolt listeners: a direct message, a mention, ``/metropolis``, a button or a
picker, a modal submitted or closed, the App Home opened — each turned into the core's
:class:`~bot.core.messages.Incoming`, and the replies sent where they belong (see
:mod:`.adapter` for where that is)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slack_bolt.app.async_app import AsyncApp

from bot.adapters.slack.convert import from_slack
from bot.adapters.slack.home import LANGUAGE_PICKER, ZONE_PICKER
from bot.adapters.slack.replies import Pressed
from bot.core.text import fold

if TYPE_CHECKING:
    from bot.adapters.slack.adapter import SlackAdapter

__all__ = [
    "SHARE_WORDS",
    "answer_action",
    "answer_command",
    "answer_event",
    "register",
    "split_share",
]

# A slash command whose first or last word is one of these is answered in the channel.
SHARE_WORDS = frozenset({"share", "compartir", "partager", "partage"})

# Message subtypes that are still a person writing to the bot.
_PLAIN_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})
# A link button's action_id (Slack reports its clicks too; nothing to answer).
_LINK = "link:"


def split_share(text: str) -> tuple[str, bool]:
    """``(question, shared)``: a leading or trailing share word removed and reported."""
    parts = text.split()
    if parts and fold(parts[-1]).strip(".,;:!?¡¿") in SHARE_WORDS:
        return " ".join(parts[:-1]), True
    if parts and fold(parts[0]).strip(".,;:!?¡¿") in SHARE_WORDS:
        return " ".join(parts[1:]), True
    return text.strip(), False


def _text(value: object) -> str:
    """A payload's string field; anything else counts as absent."""
    return value if isinstance(value, str) else ""


def _field(payload: dict[str, Any], name: str) -> dict[str, Any]:
    """A payload's object field, or an empty one."""
    value = payload.get(name)
    return value if isinstance(value, dict) else {}


def _from_a_bot(event: dict[str, Any]) -> bool:
    return bool(event.get("bot_id") or event.get("bot_profile")) or (
        event.get("subtype") == "bot_message"
    )


def _pressed_value(action: dict[str, Any]) -> tuple[str, bool]:
    """``(core action, a setting)`` of a ``block_actions`` action: a button's value, or the
    App Home picker's choice (``lang:es``, ``cmd:timezone Europe/Paris``)."""
    action_id = _text(action.get("action_id"))
    if action_id in (LANGUAGE_PICKER, ZONE_PICKER):
        chosen = _text(_field(action, "selected_option").get("value"))
        if not chosen:
            return "", True
        setting = f"lang:{chosen}" if action_id == LANGUAGE_PICKER else f"cmd:timezone {chosen}"
        return setting, True
    if action_id.startswith(_LINK):
        return "", False
    return _text(action.get("value")) or action_id.split("#")[0], False


def register(bolt: AsyncApp, adapter: SlackAdapter) -> None:
    """Attach the adapter's listeners to ``bolt``."""

    # With process_before_response=False bolt acks first (events: by itself; commands
    # and actions: our ack()) and runs each listener in a task of its own, after the
    # HTTP response. The answers run in that task, known to close() so that stopping
    # waits for them; the event_id check comes after the filters, so ignored events
    # cost no database write.

    # bolt tries listeners in the order registered and runs the first that matches,
    # building each matcher's arguments on the way: direct messages, the most common
    # event, come first.
    @bolt.event("message")
    async def on_message(
        body: dict[str, Any], event: dict[str, Any], context: dict[str, Any]
    ) -> None:
        if _from_a_bot(event) or event.get("subtype") not in _PLAIN_SUBTYPES:
            return
        if event.get("channel_type") != "im":
            return  # channels: only mentions are for the bot
        await adapter.tracked(answer_event(adapter, body, event, context, is_group=False))

    @bolt.event("app_mention")
    async def on_mention(
        body: dict[str, Any], event: dict[str, Any], context: dict[str, Any]
    ) -> None:
        if _from_a_bot(event) or event.get("subtype") not in _PLAIN_SUBTYPES:
            return
        if str(event.get("channel", "")).startswith("D"):
            return  # a direct message: the message listener answers it
        await adapter.tracked(answer_event(adapter, body, event, context, is_group=True))

    @bolt.command(re.compile(r"^/"))
    async def on_command(ack: Any, command: dict[str, Any], respond: Any) -> None:
        await ack()
        await adapter.tracked(answer_command(adapter, command, respond))

    @bolt.action(re.compile(r".+"))
    async def on_action(
        ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any
    ) -> None:
        await ack()
        await adapter.tracked(answer_action(adapter, body, action, respond))

    @bolt.view(re.compile(r"^form:"))
    async def on_submission(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        # Acknowledged by the form, with the core's answer (errors stay in the modal).
        assert adapter.forms is not None
        await adapter.tracked(adapter.forms.submitted(ack, body, view))

    @bolt.view_closed(re.compile(r"^form:"))
    async def on_closed(ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        await ack()
        assert adapter.forms is not None
        await adapter.tracked(adapter.forms.closed(body, view))

    @bolt.event("app_home_opened")
    async def on_home(body: dict[str, Any], event: dict[str, Any]) -> None:
        user = _text(event.get("user"))
        if event.get("tab", "home") != "home" or not user:
            return
        await adapter.tracked(adapter.open_home(body, user))


async def answer_event(
    adapter: SlackAdapter,
    body: dict[str, Any],
    event: dict[str, Any],
    context: dict[str, Any],
    *,
    is_group: bool,
) -> None:
    assert adapter.replies is not None and adapter.forms is not None
    user = _text(event.get("user"))
    channel = _text(event.get("channel"))
    if not user or not channel:
        return
    if not await adapter.first_time(body.get("event_id")):
        return
    text = from_slack(_text(event.get("text")), bot_user_id=context.get("bot_user_id"))
    thread = (event.get("thread_ts") or event.get("ts")) if is_group else event.get("thread_ts")
    adapter.in_turn(_reply(adapter, user, channel, text, thread, is_group=is_group))


async def _reply(
    adapter: SlackAdapter,
    user: str,
    channel: str,
    text: str,
    thread: object,
    *,
    is_group: bool,
) -> None:
    """The answer to a message, computed and posted by one of the adapter's answer workers."""
    assert adapter.replies is not None and adapter.forms is not None
    # In a DM the user is the chat (reminders go to their DM, whatever its channel id).
    incoming = await adapter.incoming(
        user=user, chat_id=channel if is_group else user, text=text, is_group=is_group
    )
    replies = [adapter.forms.offer(r) for r in await adapter.handle(incoming)]
    thread_ts = thread if isinstance(thread, str) else None
    await adapter.replies.post_all(channel, replies, incoming, thread_ts=thread_ts)


async def answer_command(adapter: SlackAdapter, command: dict[str, Any], respond: Any) -> None:
    assert adapter.replies is not None and adapter.forms is not None
    trigger = command.get("trigger_id")
    if not await adapter.first_time(trigger):
        return
    user = _text(command.get("user_id"))
    channel = _text(command.get("channel_id"))
    question, shared = split_share(_text(command.get("text")))
    incoming = await adapter.incoming(
        user=user,
        chat_id=channel if shared else user,
        text=question,
        action=None if question else "cmd:help",
        is_group=shared,
    )
    replies = await adapter.forms.open_from(await adapter.handle(incoming), trigger)
    kind = "in_channel" if shared else "ephemeral"
    for reply in replies:
        await adapter.replies.respond(respond, reply, kind, user=user, channel=channel)


async def answer_action(
    adapter: SlackAdapter, body: dict[str, Any], action: dict[str, Any], respond: Any
) -> None:
    assert adapter.replies is not None and adapter.forms is not None
    value, setting = _pressed_value(action)
    user = _text(_field(body, "user").get("id"))
    if not value or not user:
        return
    trigger = body.get("trigger_id")
    if not await adapter.first_time(trigger):
        return
    pressed = Pressed(body)
    # Whoever pressed is the one answered, and their subscriptions go to their DM.
    incoming = await adapter.incoming(user=user, chat_id=user, action=value, is_group=False)
    replies = await adapter.forms.open_from(await adapter.handle(incoming), trigger)
    if setting:
        return  # a picker of the App Home: the tab, published again, is the answer
    if pressed.in_view or not pressed.channel:
        await adapter.replies.post_all(user, replies, incoming)
        return
    if replies and replies[0].edit:
        if pressed.in_dm and not pressed.ephemeral:
            if await adapter.replies.update(pressed, replies[0]):
                replies = replies[1:]
        elif pressed.ephemeral:
            first, replies = replies[0], replies[1:]
            await adapter.replies.respond(
                respond, first, "ephemeral", user=user, channel=pressed.channel, replace=True
            )
    if pressed.in_dm:
        await adapter.replies.post_all(pressed.channel, replies, incoming)
        return
    for reply in replies:  # a channel: only the presser sees the answer
        await adapter.replies.respond(
            respond, reply, "ephemeral", user=user, channel=pressed.channel
        )
