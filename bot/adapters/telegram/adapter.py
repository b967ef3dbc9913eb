"""The Telegram adapter: python-telegram-bot's ``Application`` wired to the core.

One :class:`TelegramAdapter` is a runtime service (:class:`bot.runtime.Service`):

- **polling** (default): ``async with application`` + an :class:`~telegram.ext.Updater` of
  our own whose ``start_polling()`` fills the intake queue + ``application.start()``, so
  Telegram shares the event loop with Slack, the web server and the scheduler (never
  ``run_polling``, which owns the loop);
- **webhook** (``TELEGRAM_WEBHOOK_URL`` set): ``setWebhook`` with a secret token, and
  ``POST /telegram`` on the process's shared :class:`~bot.web.server.WebServer`, which checks
  ``X-Telegram-Bot-Api-Secret-Token``, refuses big or malformed bodies, queues the update
  and answers 200 at once.

Either way updates reach the application through an intake queue: everything waiting there
(a whole ``getUpdates`` batch, or the webhook requests of one moment) is recorded in the
database in one statement (``update_id``, insert-if-absent), so one delivered twice — or to
two processes — is handled once, at the cost of one transaction per batch rather than per
update. Updates of one chat are handled in order; different chats concurrently.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from aiohttp import web
from sqlalchemy import update as sql_update
from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.error import BadRequest, InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    Updater,
    filters,
)

from bot.adapters.telegram.commands import register_commands
from bot.adapters.telegram.convert import PLATFORM, incoming_from_update
from bot.adapters.telegram.logs import protect_token, redact
from bot.adapters.telegram.sender import POOL_SIZE, TelegramSender
from bot.adapters.telegram.transport import AiohttpRequest
from bot.core.messages import Incoming, Reply
from bot.db.inbound import InboundLedger, prune_inbound
from bot.db.models import Subscription
from bot.startup import ExitCode, StartupError, platform_refused, platform_unreachable
from bot.web.server import MAX_BODY

if TYPE_CHECKING:
    from bot.app import App
    from bot.web.server import WebServer

__all__ = [
    "ALLOWED_UPDATES",
    "SECRET_HEADER",
    "WEBHOOK_PATH",
    "ChatOrderedProcessor",
    "TelegramAdapter",
    "webhook_secret",
]

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# What the bot listens to: messages, button presses, and being blocked/unblocked.
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
_PRUNE_EVERY = 6 * 3600.0


def webhook_secret(token: str, configured: str | None) -> str:
    """The webhook's secret token: ``TELEGRAM_WEBHOOK_SECRET``, or one derived from the bot
    token (the same in every ``web`` process; only ``A-Za-z0-9_-`` as Telegram requires)."""
    if configured:
        return configured
    return hashlib.sha256(f"metropolis-telegram-webhook:{token}".encode()).hexdigest()


def _refusal(error: InvalidToken) -> str:
    """What Telegram answered, e.g. ``401 Unauthorized``, without the token (PTB quotes it).

    PTB raises ``InvalidToken`` for a 401 or a 404 (a malformed token), keeping Telegram's
    own description in the exception it re-raises from.
    """
    said = str(getattr(error.__cause__, "message", "") or "").strip()
    known = {"unauthorized": "401 Unauthorized", "not found": "404 Not Found"}
    return known.get(said.lower(), "the token was rejected")


def _chat_key(update: object) -> object:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Processes updates of different chats concurrently, and those of one chat in order.

    A user who writes "/language fr" then a question gets the answer in French; a slow
    reply (waiting out a 429) holds up only its own chat.
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[object, tuple[asyncio.Lock, list[int]]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        if key is None:
            await coroutine
            return
        lock, users = self._locks.setdefault(key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                await coroutine
        finally:
            users[0] -= 1
            if users[0] == 0:
                self._locks.pop(key, None)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


class TelegramAdapter:
    """Telegram in front of ``app.core``; a :class:`bot.runtime.Service`.

    Args:
        app: The assembled bot (core, database, settings, catalog).
        web: The process's web server; required in webhook mode (the route is mounted here,
            before the server starts).
        webhook: Webhook mode; by default when ``TELEGRAM_WEBHOOK_URL`` is set.
        poll_timeout: Long-polling timeout in seconds (``getUpdates`` ``timeout``).
        concurrency: Updates processed at once (different chats only).
        core_concurrency: Of those, how many may be inside the core at once (default: all).
    """

    name = "telegram"

    def __init__(
        self,
        app: App,
        *,
        web: WebServer | None = None,
        webhook: bool | None = None,
        poll_timeout: int = 30,
        concurrency: int = 32,
        core_concurrency: int | None = None,
    ) -> None:
        settings = app.settings
        if not settings.telegram_token:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        self.app = app
        self.core = app.core
        self.db = app.db
        self.settings = settings
        self._token = settings.telegram_token
        self.webhook = bool(settings.telegram_webhook_url) if webhook is None else webhook
        if self.webhook and not settings.telegram_webhook_url:
            raise ValueError("webhook mode needs TELEGRAM_WEBHOOK_URL")
        if self.webhook and web is None:
            raise ValueError("webhook mode needs the web server to mount /telegram on")
        self._secret = webhook_secret(self._token, settings.telegram_webhook_secret)
        protect_token(self._token, self._secret)
        self.poll_timeout = poll_timeout
        api = settings.telegram_api_url.rstrip("/")
        builder = (
            ApplicationBuilder()
            .token(self._token)
            .base_url(f"{api}/bot")
            .base_file_url(f"{api}/file/bot")
            .concurrent_updates(ChatOrderedProcessor(concurrency))
            .job_queue(None)
        )
        # Kept: a failed start must close them (PTB only closes what it initialized fully).
        self._requests = (AiohttpRequest(connections=POOL_SIZE), AiohttpRequest(connections=1))
        builder = builder.request(self._requests[0]).get_updates_request(self._requests[1])
        # No updater of the application's own: ours (polling) and the webhook both feed the
        # intake queue, which the ledger drains into the application's queue.
        builder = builder.updater(None)
        self.application: Application = builder.build()  # type: ignore[type-arg]
        self.intake: asyncio.Queue[object] = asyncio.Queue()
        self.updater: Updater | None = (
            None if self.webhook else Updater(self.application.bot, self.intake)
        )
        self.sender = TelegramSender(self._token, api, bot=self.application.bot)
        # SQLite takes one writer at a time; queueing here is cheaper than its busy-wait.
        self._core_gate = asyncio.Semaphore(core_concurrency or concurrency)
        self.ledger = InboundLedger(self.db, PLATFORM)
        self._forwarder: asyncio.Task[None] | None = None
        self._stack = contextlib.AsyncExitStack()
        self._prune_task: asyncio.Task[None] | None = None
        self.handled = 0  # updates answered (for benchmarks and health)
        self.polling_started_at: float | None = None  # time.perf_counter() when polling began
        self._install_handlers()
        if self.webhook and web is not None:
            web.add_post(WEBHOOK_PATH, self.handle_webhook)

    def __repr__(self) -> str:
        return f"TelegramAdapter(webhook={self.webhook})"

    # ------------------------------------------------------------------ lifecycle

    def _install_handlers(self) -> None:
        application = self.application
        application.add_handler(CallbackQueryHandler(self._on_button))
        application.add_handler(
            MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, self._on_message)
        )
        application.add_handler(
            ChatMemberHandler(self._on_membership, ChatMemberHandler.MY_CHAT_MEMBER)
        )
        application.add_error_handler(self._on_error)

    async def start(self) -> None:
        """Connect (getMe), register the menus, then poll or register the webhook.

        Raises:
            StartupError: Telegram refused the token (``REFUSED``) or the webhook URL
                (``CONFIG``), or could not be reached (``UNREACHABLE``); what the start
                had opened is closed again first, as after a cancellation.
        """
        try:
            await self._start()
        except InvalidToken as exc:
            await self._abort()
            raise platform_refused("Telegram", "TELEGRAM_BOT_TOKEN", _refusal(exc)) from None
        except TelegramError as exc:
            await self._abort()
            detail = redact(f"{type(exc).__name__}: {exc}", (self._token,))
            if isinstance(exc, BadRequest) and self.webhook:
                raise StartupError(
                    f"Telegram refused TELEGRAM_WEBHOOK_URL ({detail})", ExitCode.CONFIG
                ) from None
            raise platform_unreachable(
                "Telegram", "TELEGRAM_API_URL", self.settings.telegram_api_url, detail
            ) from None
        except BaseException:
            await self._abort()
            raise

    async def _abort(self) -> None:
        """Close what a start that failed (or was cancelled) had opened."""
        try:
            await self.stop()
        finally:
            for request in self._requests:
                await request.shutdown()

    async def _start(self) -> None:
        await self._stack.enter_async_context(self.application)  # async with application:
        self._stack.push_async_callback(self._shutdown)
        bot = self.application.bot
        await register_commands(
            bot,
            self.app.catalog,
            default_language=self.settings.default_language,
            available=set(self.core.commands),
        )
        if self.webhook:
            await bot.set_webhook(
                url=self.settings.telegram_webhook_url or "",
                secret_token=self._secret,
                allowed_updates=ALLOWED_UPDATES,
                max_connections=40,
            )
        await self.application.start()
        self._forwarder = asyncio.create_task(self._forward(), name="telegram-intake")
        if self.updater is not None:
            await self._stack.enter_async_context(self.updater)
            self._stack.push_async_callback(self._stop_polling)  # runs before the line above
            self.polling_started_at = time.perf_counter()
            await self.updater.start_polling(
                timeout=self.poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
                error_callback=self._on_polling_error,
            )
        self._prune_task = asyncio.create_task(self._prune_loop(), name="telegram-prune")
        log.info("telegram: @%s %s", bot.username, "webhook" if self.webhook else "long polling")

    async def _stop_polling(self) -> None:
        if self.updater is not None and self.updater.running:
            await self.updater.stop()

    async def _shutdown(self) -> None:
        await self._stop_polling()
        if self._forwarder is not None:
            await self.intake.join()  # what was fetched reaches the application first
            self._forwarder.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._forwarder
            self._forwarder = None
        if self.application.running:
            await self.application.stop()

    async def stop(self) -> None:
        """Stop polling, finish the updates in hand, close the connections."""
        if self._prune_task is not None:
            self._prune_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._prune_task
            self._prune_task = None
        await self._stack.aclose()

    async def _prune_loop(self) -> None:
        while True:
            try:
                # Shielded: stop() cancels this loop, never a transaction halfway (on SQLite
                # that would leave the write lock held).
                await asyncio.shield(prune_inbound(self.db))
            except Exception:
                log.warning("telegram: pruning old update ids failed", exc_info=True)
            await asyncio.sleep(_PRUNE_EVERY)

    # ------------------------------------------------------------------ webhook

    async def handle_webhook(self, request: web.Request) -> web.Response:
        """``POST /telegram``: check the secret, queue the update, answer 200 at once."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            return web.Response(status=403, text="forbidden")
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.Response(status=413, text="too large")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413, text="too large")
        if len(body) > MAX_BODY:
            return web.Response(status=413, text="too large")
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, self.application.bot)
        except Exception:
            return web.Response(status=400, text="bad update")
        if not self.application.running:
            return web.Response(status=503, text="starting")  # Telegram will deliver again
        await self.intake.put(update)
        return web.Response(status=200, text="ok")

    # ------------------------------------------------------------------ handlers

    async def _forward(self) -> None:
        """Intake → application: each batch recorded at once, repeats dropped, order kept."""
        while True:
            batch = [await self.intake.get()]
            while not self.intake.empty():
                batch.append(self.intake.get_nowait())
            try:
                await self._pass_fresh(batch)
            except Exception:
                log.exception("telegram: forwarding %d update(s) failed", len(batch))
            finally:
                for _ in batch:
                    self.intake.task_done()

    async def _pass_fresh(self, batch: list[object]) -> None:
        ids = [str(u.update_id) for u in batch if isinstance(u, Update)]
        try:
            fresh = iter(await self.ledger.fresh(ids))
        except Exception:
            # Better to risk answering twice than never.
            log.warning("telegram: recording %d update id(s) failed", len(ids), exc_info=True)
            fresh = iter([True] * len(ids))
        for update in batch:
            if isinstance(update, Update) and not next(fresh):
                log.info("telegram: update %s delivered again; skipped", update.update_id)
                continue
            await self.application.update_queue.put(update)

    async def _on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        incoming = incoming_from_update(update, context.bot)
        if incoming is None:
            return
        await self._answer(update.update_id, incoming)
        self.handled += 1

    async def _on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        incoming = incoming_from_update(update, context.bot)
        # Stop the button's spinner right away, while the core works.
        answered = asyncio.create_task(self._answer_query(update.update_id, query.answer()))
        try:
            if incoming is not None:
                await self._answer(update.update_id, incoming)
        finally:
            await answered
        self.handled += 1

    async def _answer_query(self, update_id: int, pending: Awaitable[Any]) -> None:
        try:
            await pending
        except TelegramError as exc:  # e.g. "query is too old": harmless
            log.info("telegram: update %s: answerCallbackQuery failed: %s", update_id, exc)

    async def _on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        member = update.my_chat_member
        if member is None:
            return
        status = member.new_chat_member.status
        if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
            count = await self._deactivate(str(member.chat.id), "blocked")
            log.info(
                "telegram: update %s: removed from chat %s, %s subscription(s) paused",
                update.update_id,
                member.chat.id,
                count,
            )

    async def _answer(self, update_id: int, incoming: Incoming) -> None:
        async with self._core_gate:
            replies = await self.core.handle(incoming)
        await self._send(update_id, incoming, replies)

    async def _send(self, update_id: int, incoming: Incoming, replies: list[Reply]) -> None:
        for reply in replies:
            result = await self.sender.deliver(incoming.address, reply)
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
                await self._deactivate(incoming.chat_id, reason)
            return

    async def _deactivate(self, chat_id: str, reason: str) -> int:
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

    # ------------------------------------------------------------------ errors

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Every error of a handler ends here: log it with the update id; never re-raise."""
        update_id = update.update_id if isinstance(update, Update) else None
        error = context.error
        log.error(
            "telegram: update %s failed: %s",
            update_id,
            redact(f"{type(error).__name__}: {error}", (self._token,)),
            exc_info=(type(error), error, error.__traceback__) if error is not None else None,
        )

    def _on_polling_error(self, error: TelegramError) -> None:
        # PTB retries getUpdates with backoff by itself; we only log, without the token.
        log.warning("telegram: getUpdates failed: %s", redact(str(error), (self._token,)))
