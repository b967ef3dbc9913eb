"""Delivering the core's replies to Telegram: the :class:`~bot.core.ports.Sender` for Telegram.

``send`` makes one attempt and reports what happened (the scheduler's outbox decides when to
try again); ``deliver`` is what the adapter uses for answers: it waits out ``RetryAfter``,
retries network errors with backoff and resumes at the part that failed.

Errors map to :class:`~bot.core.ports.SendResult` as follows:

- ``RetryAfter`` (429): ``ok=False, retry_after=<seconds>``;
- ``Forbidden`` (403: blocked by the user, kicked from the group) and "chat not found"-like
  ``BadRequest`` (400): ``ok=False, permanent=True``;
- ``NetworkError``/``TimedOut`` and 5xx: ``ok=False, permanent=False``;
- ``ChatMigrated`` (a group became a supergroup): sent again to the new chat id.

A group gets at most 20 messages a minute (:class:`~bot.adapters.telegram.groups.GroupPace`):
past that, the message is not sent and the result says how long to wait, as a 429 would.
Answers in a forum's topic go to that topic (``thread_id``). :meth:`TelegramSender.edit`
replaces a message the bot sent (a page, a filter, a toggle) with a reply.

The token never appears in a result or a log line.
"""

from __future__ import annotations

import asyncio
import logging
import random
import warnings
from collections.abc import Sequence
from datetime import timedelta

from telegram import Bot, InlineKeyboardMarkup, InputFile
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBUserWarning

from bot.adapters.telegram.checks import startup_error
from bot.adapters.telegram.convert import PLATFORM, Outgoing, render, visible_text
from bot.adapters.telegram.groups import GroupPace
from bot.adapters.telegram.logs import protect_token, redact
from bot.adapters.telegram.transport import AiohttpRequest
from bot.core.messages import Address, Reply
from bot.core.ports import SendResult

__all__ = ["IN_FLIGHT", "POOL_SIZE", "TelegramSender", "make_bot", "retry_after_seconds"]

log = logging.getLogger(__name__)

# BadRequest descriptions that mean the address itself is gone: never retry.
_GONE = (
    "chat not found",
    "user not found",
    "peer_id_invalid",
    "bot was kicked",
    "bot was blocked",
    "user is deactivated",
    "have no rights to send",
    "not enough rights to send",
    "chat_write_forbidden",
    "group chat was deactivated",
)


# Bot API calls in flight at once, per sender. Enough for Telegram's own limits (~30 messages
# per second) even at 100 ms a round trip; more only costs: httpx's connection pool looks at
# every connection and every waiting request on each call (at 32 in flight, twice the CPU per
# message of 1 or 2); aiohttp's pool is cheaper, but the Bot API has nothing to gain from more.
IN_FLIGHT = 8
# The HTTP connections of a bot: the senders' calls plus room for answerCallbackQuery etc.
POOL_SIZE = IN_FLIGHT + 2

# PTB suggests its own method for a known one; here the raw call is deliberate (see _call).
_RAW_CALL_WARNING = r"Please use 'Bot\.(sendMessage|editMessageText|editMessageReplyMarkup)'"
_NO_PREVIEW = {"is_disabled": True}


def retry_after_seconds(exc: RetryAfter) -> float:
    """``RetryAfter.retry_after`` in seconds, whether PTB gives an int or a timedelta."""
    with warnings.catch_warnings():
        # PTB 22 warns that the int form is deprecated unless PTB_TIMEDELTA is set.
        warnings.simplefilter("ignore")
        value = exc.retry_after
    if isinstance(value, timedelta):
        return max(value.total_seconds(), 0.0)
    return max(float(value), 0.0)


def make_bot(token: str, api_url: str, *, pool_size: int = POOL_SIZE) -> Bot:
    """A :class:`telegram.Bot` talking to ``{api_url}/bot{token}/…``."""
    api_url = api_url.rstrip("/")
    protect_token(token)  # before the Bot logs its URLs
    return Bot(
        token,
        base_url=f"{api_url}/bot",
        base_file_url=f"{api_url}/file/bot",
        request=AiohttpRequest(connections=pool_size),
    )


class TelegramSender:
    """Sends replies to Telegram chats; never raises for platform errors.

    Args:
        token: The bot token.
        api_url: The Bot API server root (``https://api.telegram.org``, or a local server).
        bot: An existing (initialized or not) :class:`telegram.Bot` to share, e.g. the
            Application's; when given, :meth:`close` leaves it open.
        in_flight: Calls to the Bot API at once (the rest wait their turn here, cheaply).
        pace: Keeps groups within Telegram's 20 messages a minute (one per sender).
    """

    platform = PLATFORM

    def __init__(
        self,
        token: str,
        api_url: str = "https://api.telegram.org",
        *,
        bot: Bot | None = None,
        in_flight: int = IN_FLIGHT,
        pace: GroupPace | None = None,
    ) -> None:
        self._token = token
        self._api_url = api_url
        self.pace = pace or GroupPace()
        protect_token(token)
        self._owns_bot = bot is None
        self.bot = bot if bot is not None else make_bot(token, api_url)
        self._ready = bot is not None
        self._lock = asyncio.Lock()
        self._gate = asyncio.Semaphore(in_flight)
        # Once, not around each call: a catch_warnings() spanning an await is not safe, and
        # adding the same filter again replaces it.
        warnings.filterwarnings("ignore", _RAW_CALL_WARNING, PTBUserWarning)

    def __repr__(self) -> str:  # never show the token
        return f"TelegramSender(bot_id={self._token.partition(':')[0]!r})"

    async def _ensure_ready(self) -> None:
        if self._ready:
            return
        async with self._lock:
            if not self._ready:
                # Opens the HTTP client and checks the token with getMe (once).
                await self.bot.initialize()
                self._ready = True

    async def check(self) -> None:
        """Ask Telegram who the bot is (``getMe``), once, at start-up: in a process that only
        sends (``clock``), a refused token then stops it in one line instead of failing every
        delivery.

        Raises:
            StartupError: Telegram refused the token, or could not be reached.
        """
        try:
            await self._ensure_ready()
        except TelegramError as exc:
            if self._owns_bot:  # initialize() opened the connection pool before getMe failed
                await self.bot.request.shutdown()
            raise startup_error(exc, self._token, self._api_url) from None

    async def close(self) -> None:
        """Release the HTTP connections (only those this sender opened)."""
        if self._owns_bot and self._ready:
            await self.bot.shutdown()
            self._ready = False

    async def send(self, address: Address, reply: Reply) -> SendResult:
        """Send ``reply`` to ``address`` once (every part of it); report what happened."""
        result, _ = await self.send_parts(address.chat_id, render(reply))
        return result

    async def deliver(
        self,
        address: Address,
        reply: Reply,
        *,
        attempts: int = 5,
        backoff: float = 0.5,
        max_wait: float = 120.0,
        thread_id: int | None = None,
    ) -> SendResult:
        """Send ``reply`` and keep trying: wait out rate limits (a group's minute too), back
        off on network errors.

        Each retry resumes at the part that failed, so nobody gets a part twice. Gives up on
        permanent errors, after ``attempts`` failures, or if Telegram asks to wait longer
        than ``max_wait`` seconds. ``thread_id``: the forum topic the reply goes to.
        """
        parts = render(reply)
        start = 0
        result = SendResult(ok=True)
        for attempt in range(1, attempts + 1):
            result, start = await self.send_parts(
                address.chat_id, parts, start=start, thread_id=thread_id
            )
            if result.ok or result.permanent or attempt == attempts:
                return result
            if result.retry_after is not None:
                if result.retry_after > max_wait:
                    return result
                delay = result.retry_after + random.uniform(0, 0.25)
            else:
                delay = backoff * 2 ** (attempt - 1) * random.uniform(0.8, 1.2)
            log.info(
                "telegram: retrying chat %s in %.1fs (%s)", address.chat_id, delay, result.error
            )
            await asyncio.sleep(delay)
        return result

    async def send_parts(
        self,
        chat_id: str | int,
        parts: Sequence[Outgoing],
        *,
        start: int = 0,
        thread_id: int | None = None,
    ) -> tuple[SendResult, int]:
        """Send ``parts[start:]`` in order; returns the result and the index to resume at."""
        try:
            await self._ensure_ready()
        except Exception as exc:  # never raise: report
            return self._failure(exc, chat_id), start
        index = start
        target: str | int = chat_id
        while index < len(parts):
            wait = self.pace.reserve(target)
            if wait > 0:
                error = "rate limited: 20 messages a minute to a group"
                log.info("telegram: group %s: its minute is full, %.1fs to wait", chat_id, wait)
                return SendResult(ok=False, retry_after=wait, error=error), index
            try:
                async with self._gate:  # never held while waiting out a retry
                    await self._call(target, parts[index], thread_id)
            except ChatMigrated as exc:
                log.info("telegram: chat %s moved to %s", chat_id, exc.new_chat_id)
                target = exc.new_chat_id
                continue
            except Exception as exc:
                return self._failure(exc, chat_id), index
            index += 1
        return SendResult(ok=True), index

    async def edit(
        self, chat_id: str | int, message_id: int, reply: Reply, *, shown: str | None = None
    ) -> bool:
        """Replace the bot's message ``message_id`` with ``reply``; ``False`` when it cannot
        (a reply of several messages or with a file, a message Telegram will not edit any
        more, an error), and the caller sends the reply as a new message instead.

        ``shown``: the message's text as Telegram gave it with the button press; when the
        reply says the same, only the buttons change (``editMessageReplyMarkup``).
        """
        parts = render(reply)
        if len(parts) != 1 or parts[0].text is None:
            return False
        part = parts[0]
        markup = part.markup or {"inline_keyboard": []}
        try:
            await self._ensure_ready()
            async with self._gate:
                if shown is not None and visible_text(part.text or "") == shown:
                    payload: dict[str, object] = {"reply_markup": markup}
                    method = "editMessageReplyMarkup"
                else:
                    payload = {
                        "text": part.text or "",
                        "parse_mode": "HTML",
                        "link_preview_options": _NO_PREVIEW,
                        "reply_markup": markup,
                    }
                    method = "editMessageText"
                payload.update(chat_id=chat_id, message_id=message_id)
                await self.bot.do_api_request(method, api_kwargs=payload)
        except BadRequest as exc:
            if "message is not modified" in str(exc).lower():
                return True  # already as the reply would make it
            log.info(
                "telegram: chat %s: message not edited (%s)",
                chat_id,
                redact(str(exc), (self._token,))[:120],
            )
            return False
        except Exception as exc:
            log.info("telegram: chat %s: message not edited (%s)", chat_id, type(exc).__name__)
            return False
        return True

    async def _call(self, chat_id: str | int, part: Outgoing, thread_id: int | None) -> None:
        if part.document is not None:
            filename, content = part.document
            markup = part.markup and InlineKeyboardMarkup.de_json(part.markup, self.bot)
            await self.bot.send_document(
                chat_id=chat_id,
                document=InputFile(content, filename=filename),
                reply_markup=markup,
                message_thread_id=thread_id,
            )
            return
        payload: dict[str, object] = {
            "chat_id": chat_id,
            "text": part.text or "",
            "parse_mode": "HTML",
            "link_preview_options": _NO_PREVIEW,
        }
        if thread_id is not None:
            payload["message_thread_id"] = thread_id
        if part.markup is not None:
            payload["reply_markup"] = part.markup
        # The same request as send_message (PTB's request layer: errors, RetryAfter, timeouts),
        # without turning each sent message into PTB objects that nobody reads.
        await self.bot.do_api_request("sendMessage", api_kwargs=payload)

    def _failure(self, exc: BaseException, chat_id: str | int) -> SendResult:
        message = redact(str(exc), (self._token,))[:200]
        if isinstance(exc, RetryAfter):
            seconds = retry_after_seconds(exc)
            result = SendResult(ok=False, retry_after=seconds, error=f"rate limited: {message}")
        elif isinstance(exc, Forbidden):
            result = SendResult(ok=False, permanent=True, error=f"forbidden: {message}")
        elif isinstance(exc, BadRequest):  # BadRequest is a NetworkError subclass: test first
            gone = any(marker in message.lower() for marker in _GONE)
            result = SendResult(ok=False, permanent=gone, error=f"bad request: {message}")
        elif isinstance(exc, InvalidToken):
            result = SendResult(ok=False, error="the bot token was rejected")
        elif isinstance(exc, NetworkError):  # includes TimedOut and 5xx answers
            result = SendResult(ok=False, error=f"network: {message}")
        elif isinstance(exc, TelegramError):
            result = SendResult(ok=False, error=f"telegram: {message}")
        else:
            result = SendResult(ok=False, error=f"{type(exc).__name__}: {message}")
        log.warning("telegram: sending to chat %s failed: %s", chat_id, result.error)
        return result
