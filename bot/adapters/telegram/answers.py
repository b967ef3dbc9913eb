"""Answering updates: a message or a button press through the core, the replies sent back.

A press is answered with ``answerCallbackQuery`` (the reply's notice as a toast: "Subscribed
to MEGA"); a reply marked ``edit`` (a page, a filter, a toggle) replaces the message the
button is on (``editMessageText``, or ``editMessageReplyMarkup`` when only the buttons
change). A message Telegram will no longer edit — older than 48 hours, no longer accessible,
or refused for any reason — gets the reply as a new message: the member never sees an error.
Replies to a message in a forum's topic stay in that topic.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import update as sql_update
from telegram import Bot, Message, Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.adapters.telegram.convert import PLATFORM, incoming_from_update, thread_of
from bot.adapters.telegram.sender import TelegramSender
from bot.core.messages import Incoming, Reply
from bot.db.models import Subscription

if TYPE_CHECKING:
    from bot.core.engine import Core
    from bot.db.engine import Database

__all__ = ["EDITABLE_FOR", "MAX_NOTICE", "Answers"]

log = logging.getLogger(__name__)

# Telegram stops editing a bot's messages after 48 hours; older ones get a new message.
EDITABLE_FOR = 48 * 3600.0
# answerCallbackQuery's text: at most 200 characters.
MAX_NOTICE = 200


def _editable(message: object, now: float) -> Message | None:
    """The pressed message, if Telegram will still let the bot edit it."""
    if not isinstance(message, Message) or message.date is None:
        return None  # InaccessibleMessage: too old to be shown, let alone edited
    if now - message.date.timestamp() > EDITABLE_FOR - 60:
        return None
    return message


class Answers:
    """Updates in, replies out, for one adapter.

    Args:
        core: The core.
        sender: Sends and edits messages.
        db: The database (subscriptions of a chat that is gone are paused).
        concurrency: Updates inside the core at once.
    """

    def __init__(self, core: Core, sender: TelegramSender, db: Database, *, concurrency: int):
        self.core = core
        self.sender = sender
        self.db = db
        # SQLite takes one writer at a time; queueing here is cheaper than its busy-wait.
        self._core_gate = asyncio.Semaphore(concurrency)

    async def message(self, update: Update, bot: Bot) -> None:
        """A text message: answered (in its topic, in a forum)."""
        incoming = incoming_from_update(update, bot)
        if incoming is None:
            return
        replies = await self._ask(incoming)
        await self.send(update.update_id, incoming, replies, thread_id=thread_of(update.message))

    async def button(self, update: Update, bot: Bot) -> None:
        """A button press: its toast, then the first reply in place of the pressed message
        when the reply says so, the rest as new messages."""
        query = update.callback_query
        assert query is not None
        incoming = incoming_from_update(update, bot)
        if incoming is None:
            await self._toast(update.update_id, query.answer())
            return
        try:
            replies = await self._ask(incoming)
        except BaseException:
            await self._toast(update.update_id, query.answer())  # stop the spinner anyway
            raise
        notice = next((r.notice for r in replies if r.notice), None)
        await self._toast(update.update_id, query.answer(text=notice and notice[:MAX_NOTICE]))
        pressed = query.message
        if replies and replies[0].edit:
            message = _editable(pressed, time.time())
            if message is not None and await self.sender.edit(
                message.chat_id, message.message_id, replies[0], shown=message.text
            ):
                replies = replies[1:]
        await self.send(update.update_id, incoming, replies, thread_id=thread_of(pressed))

    async def membership(self, update: Update) -> None:
        """The bot was removed from a chat or blocked: that chat's subscriptions pause."""
        member = update.my_chat_member
        if member is None:
            return
        status = member.new_chat_member.status
        if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
            count = await self.deactivate(str(member.chat.id), "blocked")
            log.info(
                "telegram: update %s: removed from chat %s, %s subscription(s) paused",
                update.update_id,
                member.chat.id,
                count,
            )

    async def _ask(self, incoming: Incoming) -> list[Reply]:
        async with self._core_gate:
            return await self.core.handle(incoming)

    async def _toast(self, update_id: int, pending: Any) -> None:
        try:
            await pending
        except TelegramError as exc:  # e.g. "query is too old": harmless
            log.info("telegram: update %s: answerCallbackQuery failed: %s", update_id, exc)

    async def send(
        self,
        update_id: int,
        incoming: Incoming,
        replies: list[Reply],
        *,
        thread_id: int | None = None,
    ) -> None:
        """Send ``replies`` in order; stop at the first that cannot be delivered."""
        for reply in replies:
            result = await self.sender.deliver(incoming.address, reply, thread_id=thread_id)
            if result.ok:
                continue
            log.warning(
                "telegram: update %s: reply to chat %s not delivered: %s",
                update_id,
                incoming.chat_id,
                result.error,
            )
            if result.permanent:
                reason = "blocked" if "forbidden" in (result.error or "") else "chat_gone"
                await self.deactivate(incoming.chat_id, reason)
            return

    async def deactivate(self, chat_id: str, reason: str) -> int:
        """Mark every active subscription delivered to ``chat_id`` inactive."""
        try:
            async with self.db.write() as session:
                result = await session.execute(
                    sql_update(Subscription)
                    .where(
                        Subscription.platform == PLATFORM,
                        Subscription.chat_id == chat_id,
                        Subscription.active.is_(True),
                    )
                    .values(active=False, deactivated_reason=reason)
                )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]
        except Exception:
            log.warning("telegram: deactivating chat %s failed", chat_id, exc_info=True)
            return 0
