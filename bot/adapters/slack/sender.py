"""Delivering replies to Slack: the outbox's :class:`SlackSender` and the shared posting code.

:class:`SlackSender` implements :class:`bot.core.ports.Sender` for the scheduler's senders. It
makes one attempt per call and reports what happened; it does not sleep on rate limits but
returns ``retry_after`` (from ``Retry-After``) so the outbox reschedules the row. Errors that
mean the address is gone (``channel_not_found``, ``not_in_channel``, ``account_inactive``,
``is_archived``…) come back as ``permanent`` so the caller deactivates the subscription.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.checks import FAILURES, startup_error
from bot.adapters.slack.convert import to_messages
from bot.adapters.slack.poster import MessagePoster
from bot.core.messages import Address, Reply
from bot.core.ports import SendResult

__all__ = [
    "PERMANENT_ERRORS",
    "SlackSender",
    "make_client",
    "pinned_logger",
    "post_reply",
    "result_of",
]

log = logging.getLogger(__name__)

DEFAULT_API_URL = "https://slack.com/api/"

# Errors after which sending to the same channel again can never work.
PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "account_inactive",
        "is_archived",
        "user_not_found",
        "user_disabled",
        "cannot_dm_bot",
        "restricted_action",
    }
)


def pinned_logger(name: str) -> logging.Logger:
    """The logger ``name`` with its level set to the level it has now in effect.

    slack_sdk and slack-bolt decide whether to build their debug messages by reading
    ``logger.level``, not ``isEnabledFor()``. A logger left at ``NOTSET`` (0) reads as "debug
    on", so every API call would format the whole request and response (blocks included)
    into a message that the configured level then drops. Pinning the level keeps debug
    logging available (``LOG_LEVEL=DEBUG`` pins DEBUG) without paying for it otherwise.
    """
    logger = logging.getLogger(name)
    if logger.level == logging.NOTSET:
        logger.setLevel(logger.getEffectiveLevel())
    return logger


def make_client(
    token: str,
    api_url: str = DEFAULT_API_URL,
    *,
    session: aiohttp.ClientSession | None = None,
    retry_rate_limits: bool = True,
    timeout: int = 30,
) -> AsyncWebClient:
    """A real ``AsyncWebClient`` on ``api_url``.

    With ``retry_rate_limits`` a 429 is retried once after ``Retry-After`` (slack_sdk's
    ``AsyncRateLimitErrorRetryHandler``); dropped connections are retried once either way.
    Pass a ``session`` to reuse connections (slack_sdk opens one per call otherwise).
    """
    handlers: list[AsyncRetryHandler] = [AsyncConnectionErrorRetryHandler()]
    if retry_rate_limits:
        handlers.append(AsyncRateLimitErrorRetryHandler(max_retry_count=2))
    base_url = api_url if api_url.endswith("/") else api_url + "/"
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        session=session,
        timeout=timeout,
        retry_handlers=handlers,
        logger=pinned_logger("bot.adapters.slack.web_api"),
    )


async def post_reply(
    poster: MessagePoster,
    channel: str,
    reply: Reply,
    *,
    thread_ts: str | None = None,
    ephemeral_user: str | None = None,
) -> None:
    """Post ``reply`` in ``channel`` (as an ephemeral message to ``ephemeral_user`` if given).

    A reply's document is uploaded to ``channel`` (files are never ephemeral: for an ephemeral
    reply it goes to the user's direct messages instead).

    Raises:
        SlackApiError: Slack refused the first message (later parts are logged, not raised,
            so that a retry never doubles what was delivered).
    """
    for index, message in enumerate(to_messages(reply)):
        payload: dict[str, Any] = {"channel": channel, **message.as_kwargs()}
        if thread_ts:
            payload["thread_ts"] = thread_ts
        if ephemeral_user:
            payload["user"] = ephemeral_user
        else:
            payload["unfurl_links"] = payload["unfurl_media"] = False
        try:
            await poster.post(
                "chat.postEphemeral" if ephemeral_user else "chat.postMessage", payload
            )
        except SlackApiError:
            if index == 0:
                raise
            log.warning("slack: part %d of a long reply was refused", index + 1)
            return
    if reply.document is not None:
        await upload_document(
            poster.client, channel, reply, thread_ts=thread_ts, private_user=ephemeral_user
        )


async def upload_document(
    client: AsyncWebClient,
    channel: str,
    reply: Reply,
    *,
    thread_ts: str | None = None,
    private_user: str | None = None,
) -> None:
    """Upload the reply's document; to ``private_user``'s direct messages when given."""
    assert reply.document is not None
    filename, content = reply.document
    try:
        if private_user:
            opened = await client.conversations_open(users=private_user)
            channel = opened["channel"]["id"]
            thread_ts = None
        kwargs: dict[str, Any] = {"thread_ts": thread_ts} if thread_ts else {}
        await client.files_upload_v2(
            channel=channel, filename=filename, title=filename, content=content, **kwargs
        )
    except (TimeoutError, SlackApiError, aiohttp.ClientError) as exc:
        log.warning("slack: could not upload %s: %s", filename, _describe(exc))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or f"http {exc.response.status_code}")
    return type(exc).__name__


def result_of(exc: BaseException) -> SendResult:
    """What a failed Web API call means for the outbox (never contains a secret)."""
    if isinstance(exc, SlackApiError):
        response = exc.response
        if response.status_code == 429:
            raw = response.headers.get("Retry-After") or response.headers.get("retry-after")
            try:
                wait = float(raw[0] if isinstance(raw, list) else raw)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                wait = 1.0
            return SendResult(ok=False, retry_after=max(wait, 0.0), error="ratelimited")
        code = str(response.get("error") or f"http {response.status_code}")
        return SendResult(ok=False, permanent=code in PERMANENT_ERRORS, error=code)
    return SendResult(ok=False, error=f"network: {type(exc).__name__}")


class SlackSender:
    """Sends pushed messages (reminders, staff updates) to Slack channels and DMs.

    Args:
        token: The bot token (``xoxb-…``); never logged.
        api_url: The Web API root (``SLACK_API_URL``), e.g. a fake server in tests.
        client: An existing client, made with a session, to use instead (then :meth:`close`
            leaves it alone).

    ``address.chat_id`` is a channel id, or a user id for a direct message.
    """

    platform = "slack"

    def __init__(
        self,
        token: str,
        api_url: str = DEFAULT_API_URL,
        *,
        client: AsyncWebClient | None = None,
        timeout: int = 30,
    ) -> None:
        self._token = token
        self._api_url = api_url
        self._timeout = timeout
        self._client = client
        self._owns_client = client is None
        self._session: aiohttp.ClientSession | None = None
        self._poster: MessagePoster | None = None

    def __repr__(self) -> str:
        return f"SlackSender(api_url={self._api_url!r})"

    def _get_client(self) -> AsyncWebClient:
        if self._client is None:
            # Created on first use, inside the running loop.
            self._session = aiohttp.ClientSession(
                timeout=aiohttp.ClientTimeout(total=self._timeout)
            )
            self._client = make_client(
                self._token,
                self._api_url,
                session=self._session,
                retry_rate_limits=False,  # the outbox reschedules; report retry_after instead
                timeout=self._timeout,
            )
        return self._client

    async def send(self, address: Address, reply: Reply) -> SendResult:
        """Send ``reply`` to ``address`` once; never raises for platform or network errors."""
        if address.platform != self.platform:
            return SendResult(ok=False, permanent=True, error=f"not a slack address: {address}")
        try:
            if self._poster is None:
                self._poster = MessagePoster(self._get_client())
            await post_reply(self._poster, address.chat_id, reply)
        except (TimeoutError, SlackApiError, aiohttp.ClientError, OSError) as exc:
            result = result_of(exc)
            log.info("slack: send to %s failed: %s", address.chat_id, result.error)
            return result
        return SendResult(ok=True)

    async def check(self) -> None:
        """``auth.test`` with the token, once, at start-up: in a process that only sends
        (``clock``), a refused token then stops it in one line instead of failing every
        delivery.

        Raises:
            StartupError: Slack refused ``SLACK_BOT_TOKEN``, or did not answer.
        """
        try:
            await self._get_client().auth_test()
        except FAILURES as exc:
            await self.close()
            raise startup_error(exc, "SLACK_BOT_TOKEN", self._api_url) from None

    async def close(self) -> None:
        """Close the HTTP session this sender opened (safe to call twice)."""
        if self._session is not None:
            await self._session.close()
            self._session = None
        if self._owns_client:
            self._client = None
            self._poster = None
