"""Which long-lived services a process runs, by role (the Procfile's process types).

- ``all``: everything in one process (``python -m bot run``, the embedded default);
- ``web``: the HTTP server (Telegram webhook, Slack HTTP events, calendars, health);
- ``worker``: Telegram long polling and Slack Socket Mode;
- ``clock``: the scheduler and the senders.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from bot.runtime import Service
from bot.web.server import WebServer

if TYPE_CHECKING:
    from bot.app import App

__all__ = ["ROLES", "services_for"]

ROLES = ("all", "web", "worker", "clock")


class _WebService:
    name = "web"

    def __init__(self, server: WebServer) -> None:
        self.server = server

    async def start(self) -> None:
        await self.server.start()

    async def stop(self) -> None:
        await self.server.stop()


def services_for(app: App, role: str) -> list[Service]:
    """The services of ``role``, in start order: adapters mount their web routes first."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    services: list[Service] = []
    web = WebServer(host=app.settings.host, port=app.settings.port)
    # Each feature adds its services here, e.g.:
    #   if app.settings.telegram_token and role in ("all", "worker", "web"): ...
    if role in ("all", "web"):
        from bot.web import calendar, health

        health.mount(web, app)
        calendar.mount(web, app)
    if app.settings.slack_bot_token:
        from bot.adapters.slack.services import slack_services

        services.extend(slack_services(app, role, web))
    telegram = _telegram_service(app, role, web)
    if web.has_routes and role in ("all", "web"):
        services.append(_WebService(web))
    if telegram is not None:
        # After the web server: in webhook mode, /telegram listens before setWebhook.
        services.append(telegram)
    if role in ("all", "clock"):
        from bot.app import build_senders
        from scheduler.clock import clock_services

        senders = build_senders(app.settings)
        if role == "clock":
            # Alone, the clock would meet a refused token only at its first send; with the
            # adapters ("all"), their own start checks the tokens.
            services.append(_TokensChecked(senders))
        services.extend(clock_services(app, senders))
    return services


@runtime_checkable
class _Checked(Protocol):
    async def check(self) -> None: ...


class _TokensChecked:
    """Each sender's token tried once before the clock starts (see ``check()``)."""

    name = "platform tokens"

    def __init__(self, senders: Sequence[object]) -> None:
        self.senders = [s for s in senders if isinstance(s, _Checked)]

    async def start(self) -> None:
        for sender in self.senders:
            await sender.check()

    async def stop(self) -> None:
        """Nothing to release: the clock closes the senders."""


def _telegram_service(app: App, role: str, web: WebServer) -> Service | None:
    """Telegram: long polling in ``worker``/``all``; with ``TELEGRAM_WEBHOOK_URL``, the webhook
    in ``web``/``all`` (its route is mounted now, before the web server starts)."""
    if not app.settings.telegram_token:
        return None
    from bot.adapters.telegram.adapter import TelegramAdapter

    if app.settings.telegram_webhook_url:
        return TelegramAdapter(app, web=web, webhook=True) if role in ("all", "web") else None
    return TelegramAdapter(app, webhook=False) if role in ("all", "worker") else None
