"""Fake Telegram and Slack APIs that enforce rate limits, for the crash test and the fan-out
benchmark (127.0.0.1 only).

They extend the project's fakes (tests/fakes) with:

- an overall limit of ``limit`` messages in any sliding second (``0``: none) and at most one
  message per chat per ``per_chat`` seconds; beyond either they answer 429 with
  ``retry_after`` (Telegram) or ``Retry-After`` (Slack), as the platforms do;
- counts of what was *accepted* per chat (a message answered 429 was not delivered), of the
  429s sent, and the time of the first and last accepted message.

Run one alone (the benchmark does, so that the server has its own CPU)::

    python -m tests.scheduler.limited_fakes telegram --limit 300
    python -m tests.scheduler.limited_fakes slack --limit 50

It prints ``PORT <n>`` and serves ``GET /_limits/stats/json`` (and ``POST
/_limits/reset/json``).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter, deque
from typing import Any

from aiohttp import web

from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI, _error

__all__ = ["FloodTelegramAPI", "LimitedSlackAPI", "LimitedTelegramAPI", "Limiter"]


class Limiter:
    """Counts accepted messages and refuses those over the limits."""

    def __init__(self, limit: float, per_chat: float = 1.0) -> None:
        self.limit = limit
        self.per_chat = per_chat
        self.window: deque[float] = deque()
        self.last: dict[str, float] = {}
        self.delivered: Counter[str] = Counter()
        self.rejected = 0
        self.rejected_chat = 0
        self.first: float | None = None
        self.final: float | None = None

    def admit(self, chat: str) -> bool:
        now = time.monotonic()
        while self.window and now - self.window[0] >= 1.0:
            self.window.popleft()
        if self.limit and len(self.window) >= self.limit:
            self.rejected += 1
            return False
        if self.per_chat and now - self.last.get(chat, -1e9) < self.per_chat:
            self.rejected += 1
            self.rejected_chat += 1
            return False
        self.window.append(now)
        self.last[chat] = now
        self.delivered[chat] += 1
        if self.first is None:
            self.first = now
        self.final = now
        return True

    def stats(self) -> dict[str, Any]:
        span = (self.final - self.first) if self.first is not None and self.final else 0.0
        return {
            "limit": self.limit,
            "per_chat": self.per_chat,
            "delivered": dict(self.delivered),
            "accepted": sum(self.delivered.values()),
            "rejected_429": self.rejected,
            "rejected_per_chat": self.rejected_chat,
            "span_seconds": span,
        }

    def reset(self) -> None:
        self.__init__(self.limit, self.per_chat)  # type: ignore[misc]


class LimitedTelegramAPI(FakeTelegramAPI):
    """The fake Bot API with an overall and a per-chat limit on ``sendMessage``."""

    def __init__(self, *, limit: float = 0, per_chat: float = 1.0, **kwargs: Any) -> None:
        kwargs.setdefault("record", False)
        super().__init__(**kwargs)
        self.limiter = Limiter(limit, per_chat)
        self.app.router.add_get("/_limits/stats/json", self._stats)
        self.app.router.add_post("/_limits/reset/json", self._reset)

    async def _m_sendMessage(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        if not self.limiter.admit(str(params.get("chat_id"))):
            return _error(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        return await super()._m_sendMessage(params, files)

    async def _stats(self, request: web.Request) -> web.Response:
        return web.json_response(self.limiter.stats())

    async def _reset(self, request: web.Request) -> web.Response:
        self.limiter.reset()
        return web.json_response({"ok": True})


class FloodTelegramAPI(FakeTelegramAPI):
    """The fake Bot API with Telegram's flood control: after ``flood_after`` accepted
    messages it answers 429 with ``retry_after`` and refuses every ``sendMessage`` that
    arrives in the next ``retry_after`` seconds (``refused`` holds their arrival times)."""

    def __init__(self, *, flood_after: int, retry_after: int = 1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.flood_after = flood_after
        self.retry_after = retry_after
        self.accepted = 0
        self.delivered: Counter[str] = Counter()
        self.window: tuple[float, float] | None = None
        self.refused: list[float] = []

    async def _m_sendMessage(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        now = time.monotonic()
        if self.window is None and self.accepted >= self.flood_after:
            self.window = (now, now + self.retry_after)
        if self.window is not None and self.window[0] <= now < self.window[1]:
            self.refused.append(now)
            return _error(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        self.accepted += 1
        self.delivered[str(params.get("chat_id"))] += 1
        return await super()._m_sendMessage(params, files)


class LimitedSlackAPI(FakeSlackAPI):
    """The fake Slack Web API with an overall and a per-channel limit on chat.postMessage."""

    def __init__(self, *, limit: float = 0, per_chat: float = 1.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limiter = Limiter(limit, per_chat)

    async def start(self) -> LimitedSlackAPI:
        await super().start()
        return self

    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["method"] == "chat.postMessage":
            args = await self._args(request)
            if not self.limiter.admit(str(args.get("channel"))):
                return web.json_response(
                    {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
                )
            self.calls.clear()  # keep memory flat: the limiter counts deliveries
        return await super()._api(request)


async def _serve(kind: str, limit: float, per_chat: float) -> None:
    if kind == "telegram":
        api: Any = LimitedTelegramAPI(limit=limit, per_chat=per_chat, token=TOKEN)
        await api.start()
        port = api.port
    else:
        api = LimitedSlackAPI(limit=limit, per_chat=per_chat)
        await api.start()
        port = api.port
        runner = None
        stats_app = web.Application()

        async def stats(request: web.Request) -> web.Response:
            return web.json_response(api.limiter.stats())

        stats_app.router.add_get("/_limits/stats/json", stats)
        runner = web.AppRunner(stats_app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        print(f"STATS {site._server.sockets[0].getsockname()[1]}", flush=True)  # type: ignore[union-attr]
    print(f"PORT {port}", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("telegram", "slack"))
    parser.add_argument("--limit", type=float, default=300.0, help="messages per second (0: none)")
    parser.add_argument("--per-chat", type=float, default=1.0, help="seconds between two per chat")
    args = parser.parse_args()
    try:
        asyncio.run(_serve(args.kind, args.limit, args.per_chat))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
