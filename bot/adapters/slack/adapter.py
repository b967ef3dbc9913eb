"""Slack through the real slack-bolt ``AsyncApp``: events, the slash command, buttons, App Home.

Thin: it turns Slack payloads into :class:`~bot.core.messages.Incoming`, asks the core, and
posts the replies back. Two ways in, same listeners:

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
- a button: in a DM, a new message there; in a channel, an ephemeral answer to whoever
  pressed it; on the App Home tab, a DM to the user, and the tab is published again.

Ignored: the bot's own messages, other bots, edits, deletions and other message subtypes.
Each event is handled once: its ``event_id`` goes to the ``inbound_updates`` table first, so
Slack's retries (``X-Slack-Retry-Num``) and copies on other processes are dropped; slash
commands and button presses likewise by their ``trigger_id`` (a signed request replayed
within its five minutes is acked and not run again).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.app.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.exc import IntegrityError

from bot.adapters.slack.checks import check_bot_token, socket_mode_url
from bot.adapters.slack.convert import from_slack, to_messages
from bot.adapters.slack.home import build_home
from bot.adapters.slack.http import checked_request, install_error_handler
from bot.adapters.slack.locale import LocaleCache
from bot.adapters.slack.poster import MessagePoster
from bot.adapters.slack.sender import (
    PERMANENT_ERRORS,
    make_client,
    pinned_logger,
    post_reply,
    upload_document,
)
from bot.adapters.slack.staff import StaffChannel
from bot.adapters.text import safe_text
from bot.core.messages import Incoming, Reply
from bot.core.text import fold
from bot.db.inbound import InboundLedger
from bot.startup import platform_unreachable

if TYPE_CHECKING:
    from bot.app import App
    from bot.runtime import Service
    from bot.web.server import WebServer

__all__ = ["EVENTS_PATH", "SHARE_WORDS", "SlackAdapter", "slack_services", "split_share"]

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
CONNECT_TIMEOUT = 30.0
# Answers computed at once: each holds a database session (the pools hold 10 to 15), and
# SQLite serialises writers anyway; more events wait their turn on the loop, cheaply.
ANSWER_CONCURRENCY = 8

# A slash command whose first or last word is one of these is answered in the channel.
SHARE_WORDS = frozenset({"share", "compartir", "partager", "partage"})

# Errors that say the user, not just a channel, is out of reach.
_USER_GONE = frozenset({"account_inactive", "user_disabled", "user_not_found", "cannot_dm_bot"})

# Message subtypes that are still a person writing to the bot.
_PLAIN_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})


def split_share(text: str) -> tuple[str, bool]:
    """``(question, shared)``: a leading or trailing share word removed and reported."""
    parts = text.split()
    if parts and fold(parts[-1]).strip(".,;:!?¡¿") in SHARE_WORDS:
        return " ".join(parts[:-1]), True
    if parts and fold(parts[0]).strip(".,;:!?¡¿") in SHARE_WORDS:
        return " ".join(parts[1:]), True
    return text.strip(), False


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


def _from_a_bot(event: dict[str, Any]) -> bool:
    return bool(event.get("bot_id") or event.get("bot_profile")) or (
        event.get("subtype") == "bot_message"
    )


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
        self.locales: LocaleCache | None = None
        self.staff: StaffChannel | None = None
        self._session: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
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
        self.locales = LocaleCache(self.client)
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
        self._register(bolt)
        self.bolt = bolt
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
        """Let answers in progress finish (briefly), then close the HTTP session."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=5)
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

    async def publish_home(self, user_id: str) -> None:
        """Publish the App Home tab of ``user_id``."""
        assert self.client is not None and self.locales is not None
        locale = await self.locales.get(user_id)
        view = await build_home(self.bot, user_id, locale)
        await self.client.views_publish(user_id=user_id, view=view)

    # --- listeners -----------------------------------------------------------------------

    def _register(self, bolt: AsyncApp) -> None:
        adapter = self

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
            await adapter._tracked(adapter._answer_event(body, event, context, is_group=False))

        @bolt.event("app_mention")
        async def on_mention(
            body: dict[str, Any], event: dict[str, Any], context: dict[str, Any]
        ) -> None:
            if _from_a_bot(event) or event.get("subtype") not in _PLAIN_SUBTYPES:
                return
            if str(event.get("channel", "")).startswith("D"):
                return  # a direct message: the message listener answers it
            await adapter._tracked(adapter._answer_event(body, event, context, is_group=True))

        @bolt.command(re.compile(r"^/"))
        async def on_command(ack: Any, command: dict[str, Any], respond: Any) -> None:
            await ack()
            await adapter._tracked(adapter._answer_command(command, respond))

        @bolt.action(re.compile(r".+"))
        async def on_action(
            ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any
        ) -> None:
            await ack()
            await adapter._tracked(adapter._answer_action(body, action, respond))

        @bolt.event("app_home_opened")
        async def on_home(body: dict[str, Any], event: dict[str, Any]) -> None:
            user = _text(event.get("user"))
            if event.get("tab", "home") != "home" or not user:
                return
            await adapter._tracked(adapter._open_home(body, user))

    async def _first_time(self, delivery_id: object) -> bool:
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

    async def _handle(self, incoming: Incoming) -> list[Reply]:
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

    async def _tracked(self, work: Awaitable[None]) -> None:
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

    async def _incoming(
        self,
        *,
        user: str,
        chat_id: str,
        text: str = "",
        action: str | None = None,
        is_group: bool,
    ) -> Incoming:
        assert self.locales is not None
        # Every Incoming is built here: the one place Slack's strings are made safe.
        user, chat_id, text = safe_text(user), safe_text(chat_id), safe_text(text)
        locale = await self.locales.get(user)
        return Incoming(
            platform="slack",
            user_id=user,
            chat_id=chat_id,
            text=text,
            action=None if action is None else safe_text(action),
            locale_hint=None if locale is None else safe_text(locale),
            is_group=is_group,
            staff=self.staff is not None and await self.staff.has(user),
        )

    async def _open_home(self, body: dict[str, Any], user: str) -> None:
        if not await self._first_time(body.get("event_id")):
            return
        try:
            await self.publish_home(user)
        except SlackApiError as exc:
            log.warning("slack: views.publish failed: %s", exc.response.get("error"))

    async def _answer_event(
        self,
        body: dict[str, Any],
        event: dict[str, Any],
        context: dict[str, Any],
        *,
        is_group: bool,
    ) -> None:
        user = _text(event.get("user"))
        channel = _text(event.get("channel"))
        if not user or not channel:
            return
        if not await self._first_time(body.get("event_id")):
            return
        text = from_slack(_text(event.get("text")), bot_user_id=context.get("bot_user_id"))
        # In a DM the user is the chat (reminders go to their DM, whatever its channel id).
        incoming = await self._incoming(
            user=user, chat_id=channel if is_group else user, text=text, is_group=is_group
        )
        replies = await self._handle(incoming)
        thread = (event.get("thread_ts") or event.get("ts")) if is_group else event.get("thread_ts")
        await self._post_all(channel, replies, incoming, thread_ts=thread)

    async def _answer_command(self, command: dict[str, Any], respond: Any) -> None:
        if not await self._first_time(command.get("trigger_id")):
            return
        user = command.get("user_id", "")
        channel = command.get("channel_id", "")
        question, shared = split_share(command.get("text") or "")
        incoming = await self._incoming(
            user=user,
            chat_id=channel if shared else user,
            text=question,
            action=None if question else "cmd:help",
            is_group=shared,
        )
        replies = await self._handle(incoming)
        kind = "in_channel" if shared else "ephemeral"
        for reply in replies:
            await self._respond(respond, reply, kind, user=user, channel=channel)

    async def _respond(
        self, respond: Any, reply: Reply, kind: str, *, user: str, channel: str
    ) -> None:
        """Answer through ``response_url``; if Slack refuses it, through the Web API."""
        assert self.client is not None and self.poster is not None
        private = kind == "ephemeral"
        for index, message in enumerate(to_messages(reply)):
            failed = respond is None  # no response_url in the payload
            if not failed:
                try:
                    result = await respond(
                        **message.as_kwargs(), response_type=kind, replace_original=False
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
                return
            if failed:
                return
        if reply.document is not None:
            await upload_document(
                self.client, channel, reply, private_user=user if private else None
            )

    async def _answer_action(
        self, body: dict[str, Any], action: dict[str, Any], respond: Any
    ) -> None:
        value = _text(action.get("value")) or _text(action.get("action_id")).split("#")[0]
        user = _text(_field(body, "user").get("id"))
        if not value or not user:
            return
        if not await self._first_time(body.get("trigger_id")):
            return
        container = _field(body, "container")
        from_home = container.get("type") == "view"
        channel = _text(container.get("channel_id")) or _text(_field(body, "channel").get("id"))
        # Whoever pressed is the one answered, and their subscriptions go to their DM.
        incoming = await self._incoming(user=user, chat_id=user, action=value, is_group=False)
        replies = await self._handle(incoming)
        if from_home or not channel:
            await self._post_all(user, replies, incoming)
        elif channel.startswith("D"):
            await self._post_all(channel, replies, incoming)
        else:  # a channel: only the presser sees the answer
            for reply in replies:
                await self._respond(respond, reply, "ephemeral", user=user, channel=channel)
        if from_home or value.startswith(("sub:", "unsub:")):
            try:
                await self.publish_home(user)
            except SlackApiError as exc:
                log.warning("slack: views.publish failed: %s", exc.response.get("error"))

    async def _post_all(
        self,
        channel: str,
        replies: list[Reply],
        incoming: Incoming,
        *,
        thread_ts: str | None = None,
    ) -> None:
        for reply in replies:
            if not await self._post(channel, reply, incoming, thread_ts=thread_ts):
                return

    async def _post(
        self,
        channel: str,
        reply: Reply,
        incoming: Incoming,
        *,
        thread_ts: str | None = None,
        ephemeral_user: str | None = None,
    ) -> bool:
        """Post one reply; on a permanent error, deactivate that chat's subscriptions."""
        assert self.poster is not None
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
                await self._deactivate(chats, code)
            return False
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("slack: reply to %s failed: %s", channel, type(exc).__name__)
            return False
        return True

    async def _deactivate(self, chats: set[str], reason: str) -> None:
        from bot.db.subscriptions import deactivate_chat

        async with self.bot.db.write() as session:
            for chat in chats:
                count = await deactivate_chat(session, "slack", chat, reason)
                if count:
                    log.info(
                        "slack: %d subscription(s) of %s deactivated (%s)", count, chat, reason
                    )


# --- services ------------------------------------------------------------------------------


class _SlackHttpService:
    """HTTP mode: the adapter's routes are on the shared web server, which starts after."""

    name = "slack-http"

    def __init__(self, adapter: SlackAdapter) -> None:
        self.adapter = adapter

    async def start(self) -> None:
        """Build the bolt app and check ``SLACK_BOT_TOKEN`` (``auth.test``).

        Raises:
            StartupError: Slack refused the token, or did not answer.
        """
        try:
            await self.adapter.open_checked()
        except BaseException:
            await self.adapter.close()
            raise

    async def stop(self) -> None:
        await self.adapter.close()


class _SlackSocketService:
    """Socket Mode: a websocket to Slack opened with the app-level token."""

    name = "slack-socket"

    def __init__(self, adapter: SlackAdapter, app_token: str) -> None:
        self.adapter = adapter
        self._app_token = app_token
        self._handler: Any = None

    async def start(self) -> None:
        """Check both tokens, then connect (within :data:`CONNECT_TIMEOUT`).

        Raises:
            StartupError: Slack refused a token (``REFUSED``), or could not be reached
                (``UNREACHABLE``); what was opened is closed first.
        """
        try:
            await self._connect()
        except BaseException:
            await self.stop()
            raise

    async def _connect(self) -> None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        bolt = await self.adapter.open_checked()
        assert self.adapter.client is not None
        settings = self.adapter.bot.settings
        # Asked once here, so that a refused SLACK_APP_TOKEN ends start-up at once; the
        # client then connects to this URL instead of asking (and retrying) by itself.
        url = await socket_mode_url(self.adapter.client, self._app_token, settings.slack_api_url)
        self._handler = AsyncSocketModeHandler(bolt, self._app_token)
        self._handler.client.wss_uri = url
        try:
            # slack_sdk retries a failed connection forever: give start-up a deadline.
            await asyncio.wait_for(self._handler.connect_async(), CONNECT_TIMEOUT)
        except TimeoutError:
            raise platform_unreachable(
                "Slack",
                "SLACK_API_URL",
                settings.slack_api_url,
                f"Socket Mode did not connect within {CONNECT_TIMEOUT:.0f} s",
            ) from None

    async def stop(self) -> None:
        if self._handler is not None:
            await self._handler.close_async()
            self._handler = None
        await self.adapter.close()


def slack_services(bot: App, role: str, web_server: WebServer) -> list[Service]:
    """The Slack services of a process ``role`` (``all``, ``web``, ``worker``, ``clock``).

    Socket Mode (``SLACK_APP_TOKEN`` set) runs in ``all`` and ``worker``; HTTP mode mounts
    ``/slack/events`` in ``all`` and ``web``. Nothing when ``SLACK_BOT_TOKEN`` is unset.
    """
    settings = bot.settings
    if not settings.slack_bot_token:
        return []
    if settings.slack_app_token:
        if role not in ("all", "worker"):
            return []
        adapter = SlackAdapter(bot, socket_mode=True)
        return [_SlackSocketService(adapter, settings.slack_app_token)]
    if role not in ("all", "web"):
        return []
    adapter = SlackAdapter(bot)
    adapter.mount(web_server)
    return [_SlackHttpService(adapter)]
