"""Which long-lived services a process runs, by role (the Procfile's process types).

- ``all``: everything in one process (``python -m bot run``, the embedded default);
- ``web``: the HTTP server (Telegram webhook, Slack HTTP events, calendars, health);
- ``worker``: Telegram long polling and Slack Socket Mode;
- ``clock``: the scheduler and the senders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    web = WebServer(port=app.settings.port)
    # Each feature adds its services here, e.g.:
    #   if app.settings.telegram_token and role in ("all", "worker", "web"): ...
    if role in ("all", "web"):
        from bot.web import calendar, health

        health.mount(web, app)
        calendar.mount(web, app)
    if web.has_routes and role in ("all", "web"):
        services.append(_WebService(web))
    return services
