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
update. Updates of one chat are handled in order; different chats concurrently
(:mod:`.ordering`); how each is answered — buttons in place, toasts, topics — is
:mod:`.answers`.

At start-up, after ``getMe``: the command menus and the profile texts per language
(:mod:`.commands`, :mod:`.profile`), and the core is lent what only Telegram knows: who
administers a group (:class:`~.groups.GroupAdmins`) and the bot's deep link
(``https://t.me/<bot>?start=<payload>``, for staff's ``/link``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING

from aiohttp import web
from telegram import Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    MessageHandler,
    Updater,
    filters,
)

from bot.adapters.telegram.answers import Answers
from bot.adapters.telegram.checks import startup_error
from bot.adapters.telegram.commands import register_commands
from bot.adapters.telegram.convert import PLATFORM
from bot.adapters.telegram.groups import GroupAdmins
from bot.adapters.telegram.logs import protect_token, redact
from bot.adapters.telegram.ordering import ChatOrderedProcessor
from bot.adapters.telegram.profile import sync_profile
from bot.adapters.telegram.sender import POOL_SIZE, TelegramSender
from bot.adapters.telegram.transport import AiohttpRequest
from bot.adapters.telegram.webhook import (
    SECRET_HEADER,
    WEBHOOK_PATH,
    read_update,
    webhook_secret,
)
from bot.db.inbound import InboundLedger, prune_inbound
from bot.startup import ExitCode, StartupError

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

# What the bot listens to: messages, button presses, and being blocked/unblocked.
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
_PRUNE_EVERY = 6 * 3600.0


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
        self.answers = Answers(
            self.core, self.sender, self.db, concurrency=core_concurrency or concurrency
        )
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
        except TelegramError as exc:
            await self._abort()
            if isinstance(exc, BadRequest) and self.webhook:
                detail = redact(f"{type(exc).__name__}: {exc}", (self._token,))
                raise StartupError(
                    f"Telegram refused TELEGRAM_WEBHOOK_URL ({detail})", ExitCode.CONFIG
                ) from None
            raise startup_error(exc, self._token, self.settings.telegram_api_url) from None
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
        await sync_profile(bot, self.app.catalog, default_language=self.settings.default_language)
        self.core.attach(
            PLATFORM,
            group_roles=GroupAdmins(bot),
            deep_link=f"https://t.me/{bot.username}?start={{payload}}",
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
        update = await read_update(request, self._secret, self.application.bot)
        if isinstance(update, web.Response):
            return update
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
        await self.answers.message(update, context.bot)
        self.handled += 1

    async def _on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            await self.answers.button(update, context.bot)
        finally:
            self.handled += 1

    async def _on_membership(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.answers.membership(update)

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
