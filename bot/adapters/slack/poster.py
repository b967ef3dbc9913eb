"""Replies posted to Slack in one JSON request each, without slack_sdk's generic call path.

Every answered message costs one ``chat.postMessage`` (or ``chat.postEphemeral``). Through
``AsyncWebClient.chat_postMessage`` that call spends ~60 µs of CPU on top of aiohttp before
anything is sent — joining the URL, converting and filtering arguments, reading deprecation
settings from the environment, building retry bookkeeping objects — and ~10 µs more encoding
its ~2 KB of Block Kit with the standard ``json`` module (orjson: ~1 µs). That made it the
adapter's largest cost after bolt itself. :class:`MessagePoster` makes the same request on the
same client's session, token and base URL, and keeps the client's contract:

- the response is an ``AsyncSlackResponse``, validated the same way (``SlackApiError`` when
  Slack says ``ok: false`` or answers anything but 200), so callers handle errors as before;
- a failed attempt (an exception, or a status other than 200) is offered to the client's own
  retry handlers (slack_sdk's documented ``AsyncRetryHandler`` interface): a 429 waits out
  ``Retry-After`` and a dropped connection is retried, exactly as the client would.

Other Web API methods (users.info, views.publish, files…) still go through the client.
"""

from __future__ import annotations

import platform
from typing import Any

import orjson
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.version import __version__ as slack_sdk_version
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

__all__ = ["POSTING_METHODS", "MessagePoster"]

POSTING_METHODS = ("chat.postMessage", "chat.postEphemeral", "chat.update")

_USER_AGENT = f"Python/{platform.python_version()} slackclient/{slack_sdk_version} metropolis-bot"


class MessagePoster:
    """Posts messages through ``client``'s session, token, base URL and retry handlers.

    Args:
        client: A client made with a session (see
            :func:`bot.adapters.slack.sender.make_client`); its session is reused, never
            closed here.

    Raises:
        ValueError: ``client`` has no session of its own to share.
    """

    def __init__(self, client: AsyncWebClient) -> None:
        if client.session is None:
            raise ValueError("MessagePoster needs a client created with an aiohttp session")
        self.client = client
        self._session = client.session
        self._urls = {method: client.base_url + method for method in POSTING_METHODS}
        self._headers = {
            "Authorization": f"Bearer {client.token}",
            "Content-Type": "application/json;charset=utf-8",
            "User-Agent": _USER_AGENT,
            **(client.headers or {}),
        }

    def __repr__(self) -> str:
        return f"MessagePoster(base_url={self.client.base_url!r})"

    async def post(self, method: str, payload: dict[str, Any]) -> AsyncSlackResponse:
        """Call ``method`` (one of :data:`POSTING_METHODS`) with ``payload`` as JSON.

        Returns:
            The validated response.

        Raises:
            SlackApiError: Slack refused the call (after the retry handlers gave up).
            aiohttp.ClientError, TimeoutError, OSError: The network failed, retries included.
        """
        url = self._urls[method]
        body = orjson.dumps(payload)  # UTF-8 JSON, as the Content-Type header says
        state: RetryState | None = None
        while True:
            if state is not None:
                state.next_attempt_requested = False
            try:
                async with self._session.post(url, data=body, headers=self._headers) as res:
                    status = res.status
                    headers = res.headers
                    answer_body = await res.read()
            except Exception as exc:  # offered to the retry handlers, re-raised if none retries
                state = state or RetryState()
                if await self._retry(state, url, payload, error=exc):
                    continue
                raise
            data = _decode(answer_body)
            if status != 200:
                state = state or RetryState()
                answer = HttpResponse(status_code=status, headers=dict(headers), body=data)
                if await self._retry(state, url, payload, response=answer):
                    continue
            response = AsyncSlackResponse(
                client=self.client,
                http_verb="POST",
                api_url=url,
                req_args={"json": payload},
                data=data,
                headers=headers,  # type: ignore[arg-type]  # case-insensitive, as slack_sdk passes it
                status_code=status,
            )
            return response.validate()

    async def _retry(
        self,
        state: RetryState,
        url: str,
        payload: dict[str, Any],
        *,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        """Whether one of the client's retry handlers takes this failure (having waited).

        The same protocol as slack_sdk's own loop: the first handler that can retry prepares
        the next attempt (sleeps, counts it) and says so in ``state.next_attempt_requested``.
        """
        request = HttpRequest(method="POST", url=url, headers=self._headers, body_params=payload)
        for handler in self.client.retry_handlers or ():
            if await handler.can_retry_async(
                state=state, request=request, response=response, error=error
            ):
                await handler.prepare_for_next_attempt_async(
                    state=state, request=request, response=response, error=error
                )
                return state.next_attempt_requested
        return False


def _decode(body: bytes) -> dict[str, Any]:
    """The JSON object Slack answered; empty when it is not one (a proxy's error page…), which
    validation then reports as a failed call, like slack_sdk."""
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}
