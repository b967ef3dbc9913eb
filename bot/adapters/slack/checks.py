"""Slack's tokens checked at start-up, so that a refused one stops the process in one line.

Without this, a refused ``SLACK_BOT_TOKEN`` surfaced only at the first event (bolt's
``auth.test``, an error per request), and a refused ``SLACK_APP_TOKEN`` made slack_sdk retry
``apps.connections.open`` for the whole connect timeout, a traceback every few seconds.

- :func:`check_bot_token`: ``auth.test``; its answer is handed to bolt's authorization,
  which would otherwise ask again on the first request.
- :func:`socket_mode_url`: ``apps.connections.open`` with the app-level token, once; the
  URL it returns is the one the Socket Mode client connects to.

A token Slack refuses is a :class:`~bot.startup.StartupError` (``REFUSED``); no answer, or
an error of Slack's own, ``UNREACHABLE``.
"""

from __future__ import annotations

from typing import Any

import aiohttp
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.middleware.authorization.async_single_team_authorization import (
    AsyncSingleTeamAuthorization,
)
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.startup import StartupError, one_line, platform_refused, platform_unreachable

__all__ = ["FAILURES", "REFUSED", "check_bot_token", "socket_mode_url", "startup_error"]

# Slack's answers that mean "not this token" (documented for auth.test and
# apps.connections.open).
REFUSED = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "no_permission",
        "missing_scope",
        "team_access_not_granted",
    }
)
# What a start-up call may raise: Slack's refusal, or no answer.
FAILURES = (SlackApiError, aiohttp.ClientError, TimeoutError, OSError)


def startup_error(error: BaseException, variable: str, api_url: str) -> StartupError:
    """The start-up failure ``error`` stands for: ``variable`` refused (``REFUSED``), or Slack
    not reached or failing (``UNREACHABLE``)."""
    if isinstance(error, SlackApiError):
        said = str(error.response.get("error") or f"HTTP {error.response.status_code}")
        if said in REFUSED:
            return platform_refused("Slack", variable, said)
        return platform_unreachable("Slack", "SLACK_API_URL", api_url, f"Slack answered {said}")
    return platform_unreachable("Slack", "SLACK_API_URL", api_url, one_line(error))


async def check_bot_token(client: AsyncWebClient, api_url: str, bolt: AsyncApp) -> None:
    """``auth.test`` with ``SLACK_BOT_TOKEN``, its answer given to ``bolt``.

    Raises:
        StartupError: Slack refused the token, or did not answer.
    """
    try:
        answer = await client.auth_test()
    except FAILURES as exc:
        raise startup_error(exc, "SLACK_BOT_TOKEN", api_url) from None
    _seed_authorization(bolt, answer)


def _seed_authorization(bolt: AsyncApp, answer: AsyncSlackResponse) -> None:
    # bolt's single-workspace authorization keeps the first auth.test answer it gets
    # (auth_test_result); giving it ours saves that call on the first request. The list of
    # middleware is bolt's own attribute: if it is ever renamed, bolt simply asks again.
    middleware: list[Any] = getattr(bolt, "_async_middleware_list", [])
    for step in middleware:
        if isinstance(step, AsyncSingleTeamAuthorization) and step.auth_test_result is None:
            step.auth_test_result = answer


async def socket_mode_url(client: AsyncWebClient, app_token: str, api_url: str) -> str:
    """A Socket Mode URL from ``apps.connections.open`` with ``SLACK_APP_TOKEN``.

    Raises:
        StartupError: Slack refused the token, or did not answer.
    """
    try:
        answer = await client.apps_connections_open(app_token=app_token)
    except FAILURES as exc:
        raise startup_error(exc, "SLACK_APP_TOKEN", api_url) from None
    return str(answer["url"])
