"""A fake Slack Web API on 127.0.0.1 for end-to-end tests and benchmarks.

It answers the methods the bot uses (``auth.test``, ``chat.postMessage``,
``chat.postEphemeral``, ``chat.update``, ``views.publish``, ``views.open``, ``users.info``
(with each user's locale and time zone), ``conversations.open``, file uploads) plus
``response_url`` posts, records every call, and can be told to answer the next calls of a
method with a 429 (``Retry-After``) or with an error such as ``channel_not_found``.

Also here: :func:`sign` and builders for signed Events API, slash-command and interactivity
requests (button presses, select menus, modal submissions and closings), as Slack sends them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.slack_requests import (
    BOT_ID,
    BOT_USER,
    TEAM,
    action_body,
    command_body,
    event_body,
    select_body,
    sign,
    trigger_id,
    view_body,
)

__all__ = [
    "BOT_ID",
    "BOT_USER",
    "TEAM",
    "Call",
    "FakeSlackAPI",
    "action_body",
    "command_body",
    "event_body",
    "select_body",
    "sign",
    "trigger_id",
    "view_body",
]


@dataclass
class Call:
    """One recorded Web API call: the method and its arguments (form and JSON merged)."""

    method: str
    args: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.monotonic)
    result: dict[str, Any] = field(default_factory=dict)  # what the fake answered

    def blocks(self) -> list[dict[str, Any]]:
        raw = self.args.get("blocks")
        if isinstance(raw, str):
            return json.loads(raw)
        return list(raw or [])

    def all_text(self) -> str:
        """The message's fallback text and every text in its blocks (or view), joined."""
        parts = [str(self.args.get("text") or "")]
        view = self.args.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        blocks = self.blocks() + (view or {}).get("blocks", [])

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if isinstance(node.get("text"), str):
                    parts.append(node["text"])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(blocks)
        return "\n".join(parts)


@dataclass
class _Failure:
    status: int
    error: str | None
    retry_after: int | None


@dataclass
class FakeSlackAPI:
    """Start with ``await fake.start()``; point clients at :attr:`api_url`."""

    token: str = "xoxb-test-token"
    app_token: str = "xapp-1-test-app-token"
    locales: dict[str, str] = field(default_factory=dict)
    timezones: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._ts = itertools.count(1)
        self.port = 0
        self.responses: list[dict[str, Any]] = []  # posts to response_url
        self.socket_acks: list[dict[str, Any]] = []  # what Socket Mode clients sent back
        self._sockets: list[web.WebSocketResponse] = []
        self._socket_open = asyncio.Event()
        self.posted: dict[tuple[str, str], dict[str, Any]] = {}  # (channel, ts) → message

    # --- control -------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "cmd") -> str:
        return f"http://127.0.0.1:{self.port}/response/{name}"

    def rate_limit(self, method: str, *, retry_after: int = 0, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 and ``Retry-After``."""
        for _ in range(times):
            self._failures[method].append(_Failure(429, "ratelimited", retry_after))

    def fail(self, method: str, error: str, *, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with ``{"ok": false, "error": …}``."""
        for _ in range(times):
            self._failures[method].append(_Failure(200, error, None))

    def of(self, method: str) -> list[Call]:
        """The recorded calls of ``method`` (answered or not)."""
        return [c for c in self.calls if c.method == method]

    def reset(self) -> None:
        self.calls.clear()
        self.responses.clear()
        self._failures.clear()

    async def wait_for(self, method: str, count: int = 1, within: float = 10.0) -> list[Call]:
        """Wait until ``method`` was called at least ``count`` times; return those calls."""
        return await self._wait(lambda: len(self.of(method)) >= count, within, method, count)

    async def wait_for_socket(self, within: float = 10.0) -> None:
        """Wait until a Socket Mode client is connected."""
        await asyncio.wait_for(self._socket_open.wait(), within)

    async def socket_push(self, kind: str, payload: dict[str, Any], **extra: Any) -> str:
        """Send an envelope (``events_api``, ``slash_commands``, ``interactive``) over the
        socket; returns its ``envelope_id``."""
        envelope_id = f"env-{next(self._ts)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
            **extra,
        }
        await self._sockets[-1].send_str(json.dumps(envelope))
        return envelope_id

    async def wait_for_ack(self, envelope_id: str, within: float = 10.0) -> dict[str, Any]:
        def acked() -> bool:
            return any(a.get("envelope_id") == envelope_id for a in self.socket_acks)

        await self._wait(acked, within, "socket ack", 1)
        return next(a for a in self.socket_acks if a.get("envelope_id") == envelope_id)

    async def wait_for_responses(self, count: int = 1, within: float = 10.0) -> list[Any]:
        await self._wait(lambda: len(self.responses) >= count, within, "response_url", count)
        return self.responses

    async def _wait(self, done: Any, within: float, what: str, count: int) -> Any:
        deadline = asyncio.get_running_loop().time() + within
        while not done():
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                seen = sorted({c.method for c in self.calls})
                raise AssertionError(f"{what} not called {count} time(s); calls seen: {seen}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.5))
            except TimeoutError:
                pass
        return self.of(what)

    # --- server --------------------------------------------------------------------------

    async def start(self) -> FakeSlackAPI:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _args(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                args.update(body)
        elif request.can_read_body:
            form = await request.post()
            args.update({k: v for k, v in form.items() if isinstance(v, str)})
        return args

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._args(request)
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
        call = Call(method, args, token)
        self.calls.append(call)
        self._changed.set()
        expected = self.app_token if method == "apps.connections.open" else self.token
        if token != expected:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        queue = self._failures.get(method)
        if queue:
            failure = queue.popleft()
            headers = {}
            if failure.retry_after is not None:
                headers["Retry-After"] = str(failure.retry_after)
            return web.json_response(
                {"ok": False, "error": failure.error}, status=failure.status, headers=headers
            )
        call.result = self._answer(method, args)
        return web.json_response(call.result)

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://metropolis-test.slack.com/",
                "team": "Metropolis",
                "user": "metropolis_bot",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
            }
        if method == "chat.update":
            key = (str(args.get("channel")), str(args.get("ts")))
            if key not in self.posted:
                return {"ok": False, "error": "message_not_found"}
            self.posted[key] = args
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
        if method == "views.open":
            view = args.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {"id": f"V{next(self._ts):06d}", **(view or {})}}
        if method in ("chat.postMessage", "chat.postEphemeral"):
            ts = f"{int(time.time())}.{next(self._ts):06d}"
            answer: dict[str, Any] = {"ok": True, "channel": args.get("channel")}
            answer["message_ts" if method == "chat.postEphemeral" else "ts"] = ts
            if method == "chat.postMessage":
                self.posted[(str(args.get("channel")), ts)] = args
            return answer
        if method == "views.publish":
            view = args.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            return {"ok": True, "view": {"id": "V1", **(view or {})}}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        if method == "users.info":
            user = args.get("user", "")
            locale = self.locales.get(user, "en-US")
            found = {"id": user, "name": user.lower(), "locale": locale, "is_bot": False}
            if user in self.timezones:
                found["tz"] = self.timezones[user]
            return {"ok": True, "user": found}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(args.get("users", "X"))[1:]}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):08d}"
            return {
                "ok": True,
                "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}",
                "file_id": file_id,
            }
        if method == "files.completeUploadExternal":
            files = args.get("files")
            files = json.loads(files) if isinstance(files, str) else files
            return {"ok": True, "files": files or []}
        return {"ok": True}

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        self._socket_open.set()
        async for message in socket:
            if message.type == web.WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
                self._changed.set()
        return socket

    async def _response(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.responses.append(body)
        self.calls.append(Call("response_url", dict(body), None))
        self._changed.set()
        return web.Response(text="ok", content_type="text/plain")

    async def _upload(self, request: web.Request) -> web.Response:
        data = await request.read()
        file_id = request.match_info["file_id"]
        self.calls.append(Call("upload", {"file_id": file_id, "size": len(data)}, None))
        self._changed.set()
        return web.Response(text=f"OK - {len(data)}", content_type="text/plain")
