"""Slack through the real slack-bolt ``AsyncApp``: events, the slash command, buttons, modals,
App Home.

Thin: it turns Slack payloads into :class:`~bot.core.messages.Incoming`, asks the core, and
hands the replies to :mod:`.replies` (where answers go), :mod:`.forms` (modals) and
:mod:`.home` (the App Home). Two ways in, same listeners (:mod:`.services`):

- **HTTP mode** (no ``SLACK_APP_TOKEN``): ``POST /slack/events`` on the shared web server for
  events, slash commands and interactivity; :mod:`bot.adapters.slack.http` checks the size,
  the signature (``SLACK_SIGNING_SECRET``; bad, or older than 5 minutes: 401) and the
  payload's shape before bolt sees the request; bolt answers ``url_verification``.
- **Socket Mode** (``SLACK_APP_TOKEN=xapp-…``): ``AsyncSocketModeHandler.connect_async()``.

Where answers go:

- a mention in a channel: in a thread under the mention;
- a direct message: in the same conversation;
- ``/metropolis <question>``: acked at once, then the answer visible only to the asker
  (``response_url``, ephemeral). If the question starts or ends with a share word
  (:data:`SHARE_WORDS`: "share", "compartir", "partager"), the answer goes to the channel;
  an answer that offers a form (``/metropolis subscribe``, staff ``announce``, ``edit``)
  opens its modal instead;
- a button: in place of its message when the answer says so (see :mod:`.replies`); else in a
  DM, a new message there; in a channel, an ephemeral answer to whoever pressed it; on the
  App Home tab, a DM to the user. The App Home's pickers change the member's language and
  time zone.

After any change to a member's settings or subscriptions, wherever made, their App Home is
published again (the core calls :meth:`SlackAdapter.home_changed`). Each member's Slack
locale and time zone come from ``users.info`` once a day (:mod:`.profiles`).

Ignored: the bot's own messages, other bots, edits, deletions and other message subtypes.
Each event is handled once: its ``event_id`` goes to the ``inbound_updates`` table first, so
Slack's retries (``X-Slack-Retry-Num``) and copies on other processes are dropped; slash
commands and button presses likewise by their ``trigger_id`` (a signed request replayed
within its five minutes is acked and not run again).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import IntegrityError

from bot.adapters.slack.checks import check_bot_token
from bot.adapters.slack.forms import Forms
from bot.adapters.slack.home import build_home
from bot.adapters.slack.http import checked_request, install_error_handler
from bot.adapters.slack.listeners import SHARE_WORDS, register, split_share
from bot.adapters.slack.poster import MessagePoster
from bot.adapters.slack.profiles import ProfileCache
from bot.adapters.slack.replies import Replies
from bot.adapters.slack.sender import make_client, pinned_logger
from bot.adapters.slack.staff import StaffChannel
from bot.adapters.text import safe_text
from bot.core.messages import Incoming, Reply
from bot.db.inbound import InboundLedger

if TYPE_CHECKING:
    from bot.app import App
    from bot.web.server import WebServer

__all__ = ["CONNECT_TIMEOUT", "EVENTS_PATH", "SHARE_WORDS", "SlackAdapter", "split_share"]


log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
CONNECT_TIMEOUT = 30.0
# Answers computed at once: each holds a database session (the pools hold 10 to 15), and
# SQLite serialises writers anyway; more events wait their turn on the loop, cheaply.
ANSWER_CONCURRENCY = 8
# Messages are answered by this many workers, in the order they came: a burst of events
# waits in a queue (costing nothing) rather than as hundreds of half-done answers whose
# steps fill every turn of the event loop and hold back the acknowledgement of the next
# requests.
ANSWER_WORKERS = 16


def _quiet_token_notice(record: logging.LogRecord) -> bool:
    # bolt reads SLACK_BOT_TOKEN from the environment by itself and warns that the client we
    # give it (same token, our retry handlers and session) wins: expected, not worth a warning.
    return "`token` will be unused" not in record.getMessage()


def _text(value: object) -> str:
    """A payload's string field; anything else (a number, a list: never sent by Slack, but
    signed payloads are read defensively all the same) counts as absent."""
    return value if isinstance(value, str) else ""


def _field(payload: dict[str, Any], name: str) -> dict[str, Any]:
    """A payload's object field, or an empty one."""
    value = payload.get(name)
    return value if isinstance(value, dict) else {}


class SlackAdapter:
    """The bolt app, its Web API client and the translation to and from the core.

    Args:
        bot: The assembled bot (core, database, catalog, settings).
        socket_mode: Run without request signatures (Socket Mode delivers over a websocket).
    """

    def __init__(self, bot: App, *, socket_mode: bool = False) -> None:
        settings = bot.settings
        if not settings.slack_bot_token:
            raise ValueError("SLACK_BOT_TOKEN is not set")
        if not socket_mode and not settings.slack_signing_secret:
            raise ValueError("SLACK_SIGNING_SECRET is needed for HTTP mode (or SLACK_APP_TOKEN)")
        self.bot = bot
        self.socket_mode = socket_mode
        self.bolt: AsyncApp | None = None
        self.client: AsyncWebClient | None = None
        self.poster: MessagePoster | None = None
        self.replies: Replies | None = None
        self.forms: Forms | None = None
        self.profiles: ProfileCache | None = None
        self.staff: StaffChannel | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._homes_due: set[str] = set()
        self._turns: asyncio.Queue[Awaitable[None]] = asyncio.Queue()
        self._workers: list[asyncio.Task[None]] = []
        self.ledger: InboundLedger | None = None
        self._answering = asyncio.Semaphore(ANSWER_CONCURRENCY)

    def __repr__(self) -> str:
        return f"SlackAdapter(socket_mode={self.socket_mode})"

    # --- life cycle ----------------------------------------------------------------------

    async def open(self) -> AsyncApp:
        """Build the client and the bolt app (on the running loop); nothing is sent yet."""
        if self.bolt is not None:
            return self.bolt
        settings = self.bot.settings
        assert settings.slack_bot_token
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        self.client = make_client(
            settings.slack_bot_token, settings.slack_api_url, session=self._session
        )
        self.poster = MessagePoster(self.client)
        self.replies = Replies(self.poster, self.bot.db)
        self.forms = Forms(
            self.bot, self.client, ask=self.handle, make=self.incoming, post=self.post_dm
        )
        self.profiles = ProfileCache(self.client)
        self.staff = StaffChannel(self.client, settings.slack_staff_channel)
        self.ledger = InboundLedger(self.bot.db, "slack")
        bolt_logger = pinned_logger("bot.adapters.slack.bolt")
        bolt_logger.addFilter(_quiet_token_notice)
        bolt = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret or "",
            # HTTP requests are verified before bolt parses them (checked_request); Socket
            # Mode needs no signature.
            request_verification_enabled=False,
            raise_error_for_unhandled_request=True,
            process_before_response=False,
            # The listeners never use the AI-assistant helpers (say_stream, set_status…):
            # not building them for every event saves about 10 µs of bolt's ~150 per event.
            attaching_conversation_kwargs_enabled=False,
            logger=bolt_logger,
        )
        install_error_handler(bolt)
        register(bolt, self)
        self.bolt = bolt
        self.bot.core.attach("slack", changed=self.home_changed)
        self._workers = [
            asyncio.ensure_future(self._answer_in_turn()) for _ in range(ANSWER_WORKERS)
        ]
        return bolt

    async def open_checked(self) -> AsyncApp:
        """:meth:`open`, then ``SLACK_BOT_TOKEN`` checked with Slack (``auth.test``).

        Raises:
            StartupError: Slack refused the token, or did not answer.
        """
        bolt = await self.open()
        assert self.client is not None
        await check_bot_token(self.client, self.bot.settings.slack_api_url, bolt)
        return bolt

    async def close(self) -> None:
        """Let answers in progress and waiting finish (briefly), then close the HTTP
        session."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=5)
        if self._workers:
            try:
                await asyncio.wait_for(self._turns.join(), 5)
            except TimeoutError:
                log.warning("slack: %d answer(s) left unsent at shutdown", self._turns.qsize())
            for worker in self._workers:
                worker.cancel()
            await asyncio.gather(*self._workers, return_exceptions=True)
            self._workers = []
        if self._session is not None:
            await self._session.close()
            self._session = None
        self.bolt = None

    def mount(self, web_server: WebServer) -> None:
        """Serve ``POST /slack/events`` on the shared web server (HTTP mode)."""
        web_server.add_post(EVENTS_PATH, self.handle_http)

    async def handle_http(self, request: web.Request) -> web.Response:
        """One request from Slack: checked (size, signature, shape), then through bolt."""
        if self.bolt is None:
            return web.Response(status=503, text="starting")
        checked = await checked_request(request, self.bot.settings.slack_signing_secret or "")
        if isinstance(checked, web.Response):
            return checked  # refused before any work
        return await to_aiohttp_response(await self.bolt.async_dispatch(checked))

    # --- App Home ------------------------------------------------------------------------

    async def publish_home(self, user_id: str) -> None:
        """Publish the App Home tab of ``user_id``."""
        assert self.client is not None and self.profiles is not None
        profile = await self.profiles.get(user_id)
        view = await build_home(self.bot, user_id, profile.locale)
        await self.client.views_publish(user_id=user_id, view=view)

    def home_changed(self, user_id: str) -> None:
        """The core changed ``user_id``'s settings or subscriptions: publish their App Home
        again, once for changes that come together."""
        if user_id in self._homes_due or self.bolt is None:
            return
        self._homes_due.add(user_id)
        task = asyncio.ensure_future(self._republish(user_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _republish(self, user_id: str) -> None:
        await asyncio.sleep(0)  # changes of the same moment are published together
        self._homes_due.discard(user_id)
        try:
            await self.publish_home(user_id)
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            code = exc.response.get("error") if isinstance(exc, SlackApiError) else None
            log.warning("slack: views.publish failed: %s", code or type(exc).__name__)

    # --- listeners -----------------------------------------------------------------------

    async def first_time(self, delivery_id: object) -> bool:
        """Record a delivery's id (an event's ``event_id``; a slash command's or a button
        press's ``trigger_id``, the same in a replayed request); ``False`` if it was handled
        already. The two kinds cannot collide: event ids are ``Ev…``, trigger ids digits and
        dots."""
        if not delivery_id or not isinstance(delivery_id, str):
            return True
        assert self.ledger is not None
        if await self.ledger.seen_before(delivery_id):
            log.info("slack: %s already handled, skipped", delivery_id)
            return False
        return True

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Ask the core, a bounded number at a time (database connections are few).

        The core catches its handlers' errors; what can still escape is its user-loading
        transaction, rolled back — e.g. two first messages of a new user racing to create
        the user row on PostgreSQL. That is retried once; anything else gets the core's
        apology rather than silence.
        """
        async with self._answering:
            try:
                return await self.bot.core.handle(incoming)
            except IntegrityError:
                log.info("slack: user row race for %s, retrying once", incoming.user_id)
            except Exception:
                log.exception("slack: the core failed on a message from %s", incoming.user_id)
                return [self._apology(incoming)]
            try:
                return await self.bot.core.handle(incoming)
            except Exception:
                log.exception("slack: the core failed on a message from %s", incoming.user_id)
                return [self._apology(incoming)]

    def _apology(self, incoming: Incoming) -> Reply:
        language = self.bot.core.resolver.resolve(
            incoming.text, chosen=None, hint=incoming.locale_hint, previous=None
        ).language
        return Reply(text=self.bot.catalog.get("core.error", language), language=language)

    def in_turn(self, work: Awaitable[None]) -> None:
        """Queue ``work`` (an answer) for the answer workers."""
        self._turns.put_nowait(work)

    async def _answer_in_turn(self) -> None:
        while True:
            work = await self._turns.get()
            try:
                await work
            except Exception:
                log.exception("slack: answering failed")
            finally:
                self._turns.task_done()

    async def tracked(self, work: Awaitable[None]) -> None:
        """Run ``work`` in the current task (bolt's, for this listener), known to
        :meth:`close` meanwhile; its errors are logged here, not left to bolt."""
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await work
        except Exception:
            log.exception("slack: answering failed")
        finally:
            self._tasks.discard(task)

    # --- answering -----------------------------------------------------------------------

    async def incoming(
        self,
        *,
        user: str,
        chat_id: str,
        text: str = "",
        action: str | None = None,
        is_group: bool,
        fields: tuple[tuple[str, str], ...] = (),
    ) -> Incoming:
        assert self.profiles is not None
        # Every Incoming is built here: the one place Slack's strings are made safe.
        user, chat_id, text = safe_text(user), safe_text(chat_id), safe_text(text)
        profile = await self.profiles.get(user)
        return Incoming(
            platform="slack",
            user_id=user,
            chat_id=chat_id,
            text=text,
            action=None if action is None else safe_text(action),
            locale_hint=None if profile.locale is None else safe_text(profile.locale),
            is_group=is_group,
            staff=self.staff is not None and await self.staff.has(user),
            timezone_hint=profile.timezone,
            fields=tuple((safe_text(k), safe_text(v)) for k, v in fields),
        )

    async def post_dm(self, user: str, replies: list[Reply], incoming: Incoming) -> None:
        assert self.replies is not None and self.forms is not None
        await self.replies.post_all(user, [self.forms.offer(r) for r in replies], incoming)

    async def open_home(self, body: dict[str, Any], user: str) -> None:
        if not await self.first_time(body.get("event_id")):
            return
        try:
            await self.publish_home(user)
        except SlackApiError as exc:
            log.warning("slack: views.publish failed: %s", exc.response.get("error"))
