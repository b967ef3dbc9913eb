"""Where the core's replies go on Slack, and how: posted, answered through ``response_url``,
or put in place of the message whose button was pressed.

- in a conversation (a DM, a thread under a mention): ``chat.postMessage``;
- to a slash command or a press in a channel: visible only to that person (``response_url``,
  ephemeral; through the Web API when Slack refuses the URL);
- a reply marked ``edit`` (a page, a filter, a toggle), pressed in the bot's own message in a
  DM: ``chat.update`` of that message; in an ephemeral message: ``response_url`` with
  ``replace_original``. A public message in a channel is never changed for one person's
  press: they get their answer privately, as before. When the update cannot be made (a reply
  of several messages, an error), the reply is posted as a new message.

A permanent error (the channel is gone, the user left) pauses that chat's subscriptions.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.convert import to_messages
from bot.adapters.slack.poster import MessagePoster
from bot.adapters.slack.sender import PERMANENT_ERRORS, post_reply, upload_document
from bot.core.messages import Incoming, Reply
from bot.db.subscriptions import deactivate_chat

if TYPE_CHECKING:
    from bot.db.engine import Database

__all__ = ["Pressed", "Replies"]

log = logging.getLogger(__name__)

# Errors that say the user, not just a channel, is out of reach.
_USER_GONE = frozenset({"account_inactive", "user_disabled", "user_not_found", "cannot_dm_bot"})


class Pressed:
    """The message a button was pressed in, as its ``block_actions`` payload says.

    Attributes:
        channel: The conversation it is in.
        ts: Its timestamp (``None`` for an ephemeral message, which has none to update).
        ephemeral: Only the presser sees it.
        in_view: The button was in a view (the App Home), not in a message.
    """

    def __init__(self, body: dict[str, Any]) -> None:
        container = body.get("container")
        container = container if isinstance(container, dict) else {}
        channel = body.get("channel")
        channel = channel if isinstance(channel, dict) else {}
        self.in_view = container.get("type") == "view"
        self.channel = _text(container.get("channel_id")) or _text(channel.get("id"))
        self.ephemeral = container.get("is_ephemeral") is True
        self.ts = None if self.ephemeral else (_text(container.get("message_ts")) or None)

    @property
    def in_dm(self) -> bool:
        """A conversation of the bot with the presser alone."""
        return self.channel.startswith("D")


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


class Replies:
    """Sends replies for one adapter.

    Args:
        poster: Posts messages on the adapter's client.
        db: The database (subscriptions of a chat that is gone are paused).
    """

    def __init__(self, poster: MessagePoster, db: Database) -> None:
        self.poster = poster
        self.db = db

    async def post_all(
        self,
        channel: str,
        replies: list[Reply],
        incoming: Incoming,
        *,
        thread_ts: str | None = None,
    ) -> None:
        """Post ``replies`` in ``channel``; stop at the first refused."""
        for reply in replies:
            if not await self.post(channel, reply, incoming, thread_ts=thread_ts):
                return

    async def post(
        self,
        channel: str,
        reply: Reply,
        incoming: Incoming,
        *,
        thread_ts: str | None = None,
        ephemeral_user: str | None = None,
    ) -> bool:
        """Post one reply; on a permanent error, deactivate that chat's subscriptions."""
        try:
            await post_reply(
                self.poster, channel, reply, thread_ts=thread_ts, ephemeral_user=ephemeral_user
            )
        except SlackApiError as exc:
            code = str(exc.response.get("error") or exc.response.status_code)
            log.warning("slack: reply to %s refused: %s", channel, code)
            if code in PERMANENT_ERRORS:
                # The channel is gone for us; the user's own chat only if the error is about
                # the user or the channel was their DM (the bot missing from a channel says
                # nothing about the user's DM).
                chats = {channel}
                if code in _USER_GONE or channel[:1] in "DU":
                    chats.add(incoming.user_id)
                await self.deactivate(chats, code)
            return False
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("slack: reply to %s failed: %s", channel, type(exc).__name__)
            return False
        return True

    async def respond(
        self,
        respond: Any,
        reply: Reply,
        kind: str,
        *,
        user: str,
        channel: str,
        replace: bool = False,
    ) -> bool:
        """Answer through ``response_url`` (``replace``: in place of the message pressed);
        if Slack refuses it, through the Web API. ``False`` if nothing could be sent."""
        private = kind == "ephemeral"
        for index, message in enumerate(to_messages(reply)):
            failed = respond is None  # no response_url in the payload
            if not failed:
                try:
                    result = await respond(
                        **message.as_kwargs(),
                        response_type=kind,
                        replace_original=replace and index == 0,
                    )
                    failed = result.status_code >= 300
                except (aiohttp.ClientError, TimeoutError, OSError, ValueError):
                    # ValueError: bolt's respond() without a response_url in the payload.
                    failed = True
            if failed and index == 0:
                log.info("slack: no usable response_url, answering through the Web API")
                try:
                    await post_reply(
                        self.poster, channel, reply, ephemeral_user=user if private else None
                    )
                except SlackApiError as exc:
                    log.warning("slack: answer refused: %s", exc.response.get("error"))
                    return False
                return True
            if failed:
                return True
        if reply.document is not None:
            await upload_document(
                self.poster.client, channel, reply, private_user=user if private else None
            )
        return True

    async def update(self, pressed: Pressed, reply: Reply) -> bool:
        """Put ``reply`` in place of the bot's message ``pressed`` (``chat.update``);
        ``False`` when it cannot be (several messages, a file, Slack refused)."""
        messages = to_messages(reply)
        if len(messages) != 1 or reply.document is not None or not pressed.ts:
            return False
        payload = {"channel": pressed.channel, "ts": pressed.ts, **messages[0].as_kwargs()}
        try:
            await self.poster.post("chat.update", payload)
        except SlackApiError as exc:
            log.info("slack: chat.update refused: %s", exc.response.get("error"))
            return False
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.info("slack: chat.update failed: %s", type(exc).__name__)
            return False
        return True

    async def deactivate(self, chats: set[str], reason: str) -> None:
        """Pause the subscriptions delivered to ``chats``."""
        async with self.db.write() as session:
            for chat in chats:
                count = await deactivate_chat(session, "slack", chat, reason)
                if count:
                    log.info(
                        "slack: %d subscription(s) of %s deactivated (%s)", count, chat, reason
                    )
