"""The Slack adapter as runtime services: HTTP mode (routes on the shared web server) or Socket
Mode (a websocket opened with the app-level token), and which process role runs which."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from bot.adapters.slack.adapter import CONNECT_TIMEOUT, SlackAdapter
from bot.adapters.slack.checks import socket_mode_url
from bot.startup import platform_unreachable

if TYPE_CHECKING:
    from bot.app import App
    from bot.runtime import Service
    from bot.web.server import WebServer

__all__ = ["slack_services"]


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
