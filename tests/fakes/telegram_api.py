"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests and benchmarks.

It serves ``/bot<token>/<method>`` as the real Bot API does (JSON, form or multipart
requests; ``{"ok": true, "result": …}`` answers), records every call, and answers the
methods the bot uses: ``getMe``, ``getUpdates`` (long polling over the queued updates, with
``offset`` acknowledging them), ``sendMessage``, ``sendDocument``, ``editMessageText`` and
``editMessageReplyMarkup`` (of messages it knows: sent through it, or the one a button press
it built is on; "message to edit not found" and "message is not modified" as Telegram says
them), ``answerCallbackQuery``, ``getChatMember`` (the administrators of a group are
:attr:`FakeTelegramAPI.admins`), ``setMyCommands``/``getMyCommands``/``deleteMyCommands``,
``setMyDescription``/``getMyDescription`` and ``setMyShortDescription``/
``getMyShortDescription`` (per language, kept across restarts of the bot),
``setWebhook``/``deleteWebhook``/``getWebhookInfo``, ``sendChatAction``, ``close``/``logOut``.
It can be told to answer the next calls of a method with a 429 (``retry_after``), a 403 or
any other error, and it refuses ``getUpdates`` while a webhook is set (409, like Telegram).
Messages in a forum group's topic carry ``message_thread_id``.

Control endpoints (for benchmarks and manual tries from another process):
``POST /_fake/updates`` (a JSON list of updates, or ``{"text": …, "user_id": …,
"language_code": …}`` for one private message), ``POST /_fake/reset``, ``GET /_fake/stats``,
``GET /_fake/calls?method=sendMessage``.

Run it alone: ``python -m tests.fakes.telegram_api --port 8081 --token 123456:TEST``, then
``TELEGRAM_BOT_TOKEN=123456:TEST TELEGRAM_API_URL=http://127.0.0.1:8081 python -m bot run`` and
``curl -d '{"text": "¿qué hay en junio?", "language_code": "en"}'
http://127.0.0.1:8081/_fake/updates``; ``curl http://127.0.0.1:8081/_fake/calls?method=sendMessage``.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.telegram_html import _check_html, _visible, _visible_len
from tests.fakes.telegram_updates import BOT_ID, BOT_USERNAME, UpdateBuilders

__all__ = ["BOT_ID", "BOT_USERNAME", "TOKEN", "Call", "Failure", "FakeTelegramAPI"]

TOKEN = "123456:TEST-fake-token-ABCdef"

# Parameters that are strings even when they look like JSON ("123" stays "123").
_STRING_PARAMS = frozenset(
    "text caption parse_mode language_code url secret_token callback_query_id "
    "inline_message_id description short_description name ip_address".split()
)


@dataclass
class Call:
    """One recorded Bot API call."""

    method: str
    params: dict[str, Any]
    token: str
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)
    result: Any = None  # what the fake answered (the message sent, for sendMessage)

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def text(self) -> str:
        return str(self.params.get("text") or "")

    def buttons(self) -> list[list[dict[str, Any]]]:
        """The inline keyboard rows of the call, if any."""
        markup = self.params.get("reply_markup") or {}
        return list(markup.get("inline_keyboard") or [])

    def callback_data(self) -> list[str]:
        return [b.get("callback_data", "") for row in self.buttons() for b in row]


@dataclass
class Failure:
    """An error to answer instead of the normal result."""

    method: str
    status: int
    description: str
    retry_after: int | None = None
    chat_id: Any = None
    times: int = 1


class FakeTelegramAPI(UpdateBuilders):
    """The fake server; ``async with FakeTelegramAPI() as api:`` starts it on a free port."""

    def __init__(
        self,
        *,
        token: str = TOKEN,
        host: str = "127.0.0.1",
        port: int = 0,
        max_poll: float = 1.0,
        record: bool = True,
    ) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the fake Bot API only listens on the loopback interface")
        self.token = token
        self.host = host
        self.port = port
        self.max_poll = max_poll  # longest a getUpdates waits, whatever timeout it asks
        self.record = record
        self.calls: list[Call] = []
        self.counts: Counter[str] = Counter()
        self.failures: list[Failure] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.descriptions: dict[str, str] = {}  # language code ("" default) → description
        self.short_descriptions: dict[str, str] = {}
        self.admins: dict[int, set[int]] = {}  # group chat id → its administrators' ids
        # (chat id, message id) → the message's text and keyboard, as the bot left them.
        self.messages: dict[tuple[str, int], dict[str, Any]] = {}
        self.webhook: dict[str, Any] | None = None
        self.updates: list[dict[str, Any]] = []
        self.delivered_until = 0  # highest update_id handed out, for stats
        self.first_delivery: float | None = None
        self._ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._new_updates = asyncio.Event()
        self._changed = asyncio.Condition()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.app = web.Application(client_max_size=64 * 1024 * 1024)
        self.app.router.add_post("/_fake/updates", self._control_updates)
        self.app.router.add_post("/_fake/reset", self._control_reset)
        self.app.router.add_get("/_fake/stats", self._control_stats)
        self.app.router.add_get("/_fake/calls", self._control_calls)
        self.app.router.add_route("*", "/{bot}/{method}", self._handle)

    # ---------------------------------------------------------------- lifecycle

    @property
    def url(self) -> str:
        """The server root, to use as ``TELEGRAM_API_URL``."""
        return f"http://{self.host}:{self.port}"

    async def start(self) -> str:
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        if server is not None and server.sockets:  # type: ignore[union-attr]
            self.port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self.url

    async def stop(self) -> None:
        self._closing = True
        self._new_updates.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegramAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---------------------------------------------------------------- building updates

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for ``getUpdates`` (an ``update_id`` is added if missing)."""
        update = dict(update)
        update.setdefault("update_id", self.next_update_id())
        self.updates.append(update)
        self._new_updates.set()
        return update

    def send_text(self, text: str, **kwargs: Any) -> dict[str, Any]:
        """Queue a text message from a user; returns the update."""
        return self.push(self.message_update(text, **kwargs))

    def press(self, data: str, **kwargs: Any) -> dict[str, Any]:
        """Queue a button press; returns the update."""
        return self.push(self.callback_update(data, **kwargs))

    # ---------------------------------------------------------------- failures

    def fail(
        self,
        method: str,
        status: int,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        chat_id: Any = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (to ``chat_id``, if given) with an
        error: ``fail("sendMessage", 429, retry_after=1)``, ``fail("sendMessage", 403)``."""
        if description is None:
            description = {
                429: f"Too Many Requests: retry after {retry_after or 1}",
                403: "Forbidden: bot was blocked by the user",
                400: "Bad Request: chat not found",
                500: "Internal Server Error",
                502: "Bad Gateway",
            }.get(status, "Error")
        if status == 429 and retry_after is None:
            retry_after = 1
        self.failures.append(Failure(method, status, description, retry_after, chat_id, times))

    def _take_failure(self, method: str, params: dict[str, Any]) -> Failure | None:
        for failure in self.failures:
            if failure.method != method:
                continue
            if failure.chat_id is not None and str(failure.chat_id) != str(params.get("chat_id")):
                continue
            failure.times -= 1
            if failure.times <= 0:
                self.failures.remove(failure)
            return failure
        return None

    # ---------------------------------------------------------------- queries

    def calls_of(self, method: str, chat_id: Any = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method and (chat_id is None or str(c.chat_id) == str(chat_id))
        ]

    def sent(self, chat_id: Any = None) -> list[Call]:
        """Every ``sendMessage`` (to ``chat_id``, if given)."""
        return self.calls_of("sendMessage", chat_id)

    def sent_texts(self, chat_id: Any = None) -> list[str]:
        return [c.text for c in self.sent(chat_id)]

    def edits(self, chat_id: Any = None) -> list[Call]:
        """Every ``editMessageText`` and ``editMessageReplyMarkup`` (in ``chat_id``)."""
        return [
            c
            for c in self.calls
            if c.method in ("editMessageText", "editMessageReplyMarkup")
            and (chat_id is None or str(c.chat_id) == str(chat_id))
        ]

    async def wait_for(self, predicate: Callable[[], bool], within: float = 10.0) -> None:
        """Wait until ``predicate()`` holds (checked after every call); TimeoutError if not."""

        async def _wait() -> None:
            async with self._changed:
                await self._changed.wait_for(predicate)

        await asyncio.wait_for(_wait(), within)

    async def wait_sent(self, count: int, chat_id: Any = None, within: float = 10.0) -> list[Call]:
        """Wait for ``count`` ``sendMessage`` calls (to ``chat_id``); returns them."""
        await self.wait_for(lambda: len(self.sent(chat_id)) >= count, within)
        return self.sent(chat_id)

    # ---------------------------------------------------------------- HTTP

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, Any]]:
        files: dict[str, tuple[str, bytes]] = {}
        raw: dict[str, Any] = dict(request.query)
        ctype = request.content_type
        if ctype == "application/json":
            body = await request.read()
            if body:
                raw.update(json.loads(body))
            return raw, files
        if ctype == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                if part.name is None:
                    continue
                if part.filename:
                    files[part.name] = (part.filename, bytes(await part.read()))
                else:
                    raw[part.name] = await part.text()
        elif request.can_read_body:
            raw.update(await request.post())
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if isinstance(value, str) and key not in _STRING_PARAMS:
                try:
                    params[key] = json.loads(value)
                    continue
                except ValueError:
                    pass
            params[key] = value
        return params, files

    async def _handle(self, request: web.Request) -> web.Response:
        prefix = request.match_info["bot"]
        method = request.match_info["method"]
        if not prefix.startswith("bot"):
            return _error(404, "Not Found")
        token = prefix[3:]
        if token != self.token:
            return _error(401, "Unauthorized")
        try:
            params, files = await self._params(request)
        except ValueError:
            return _error(400, "Bad Request: can't parse JSON")
        call = Call(method, params, token, files)
        if self.record:
            self.calls.append(call)
        self.counts[method] += 1
        failure = self._take_failure(method, params)
        try:
            if failure is not None:
                parameters = {"retry_after": failure.retry_after} if failure.retry_after else None
                return _error(failure.status, failure.description, parameters)
            handler = getattr(self, f"_m_{method}", None)
            if handler is None:
                return _error(404, "Not Found")
            result = await handler(params, files)
            if isinstance(result, web.Response):
                return result
            call.result = result
            return web.json_response({"ok": True, "result": result})
        finally:
            async with self._changed:
                self._changed.notify_all()

    # Methods ---------------------------------------------------------------

    async def _m_getMe(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return self.me()

    async def _m_getUpdates(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        if self.webhook:
            return _error(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        if not self.updates and timeout > 0 and not self._closing:
            self._new_updates.clear()
            try:
                await asyncio.wait_for(self._new_updates.wait(), min(timeout, self.max_poll))
            except TimeoutError:
                pass
        batch = self.updates[:limit]
        if batch:
            if self.first_delivery is None:
                self.first_delivery = time.monotonic()
            self.delivered_until = max(self.delivered_until, batch[-1]["update_id"])
        return batch

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        chat_type = "private" if isinstance(chat_id, int) and chat_id > 0 else "group"
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type},
            "from": self.me(),
        }
        message.update(extra)
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        if params.get("message_thread_id"):
            message["message_thread_id"] = params["message_thread_id"]
            message["is_topic_message"] = True
        if "text" in extra:
            self.messages[(str(chat_id), message["message_id"])] = {
                "text": extra["text"],
                "markup": params.get("reply_markup"),
            }
        return message

    async def _m_sendMessage(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        text = str(params.get("text") or "")
        for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                url = button.get("url")
                if url is not None and not str(url).startswith(("https://", "http://")):
                    return _error(400, "Bad Request: BUTTON_URL_INVALID")
        refused = self._check_text(params)
        if refused is not None:
            return refused
        for row in (params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and len(str(data).encode()) > 64:
                    return _error(400, "Bad Request: BUTTON_DATA_INVALID")
        return self._message(params, text=text)

    def _check_text(self, params: dict[str, Any]) -> web.Response | None:
        # What Telegram refuses in a new or an edited message's text.
        text = str(params.get("text") or "")
        if not text.strip():
            return _error(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096 and params.get("parse_mode") is None:
            return _error(400, "Bad Request: message is too long")
        if params.get("parse_mode") == "HTML":
            problem = _check_html(text)
            if problem:
                return _error(400, f"Bad Request: can't parse entities: {problem}")
            if _visible_len(text) > 4096:
                return _error(400, "Bad Request: message is too long")
        return None

    def _edited(self, params: dict[str, Any], **changes: Any) -> Any:
        key = (str(params.get("chat_id")), int(params.get("message_id") or 0))
        known = self.messages.get(key)
        if known is None:
            return _error(400, "Bad Request: message to edit not found")
        after = {**known, **changes}
        if after == known:
            return _error(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        self.messages[key] = after
        chat_id = params.get("chat_id")
        chat_type = "private" if isinstance(chat_id, int) and chat_id > 0 else "supergroup"
        message = {
            "message_id": key[1],
            "date": int(time.time()) - 1,
            "edit_date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type},
            "from": self.me(),
            "text": _visible(str(after["text"])),
        }
        if after.get("markup"):
            message["reply_markup"] = after["markup"]
        return message

    async def _m_editMessageText(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        refused = self._check_text(params)
        if refused is not None:
            return refused
        return self._edited(
            params, text=str(params.get("text") or ""), markup=params.get("reply_markup")
        )

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return self._edited(params, markup=params.get("reply_markup"))

    async def _m_getChatMember(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        chat_id, user_id = int(params.get("chat_id") or 0), int(params.get("user_id") or 0)
        admins = self.admins.get(chat_id, set())
        user = {"id": user_id, "is_bot": False, "first_name": "Member"}
        if user_id in admins:
            return {"status": "administrator", "user": user, "can_be_edited": False,
                    "is_anonymous": False, "can_manage_chat": True,
                    "can_delete_messages": True, "can_manage_video_chats": True,
                    "can_restrict_members": True, "can_promote_members": False,
                    "can_change_info": True, "can_invite_users": True,
                    "can_post_stories": False, "can_edit_stories": False,
                    "can_delete_stories": False}  # fmt: skip
        return {"status": "member", "user": user}

    async def _m_setMyDescription(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.descriptions[params.get("language_code") or ""] = params.get("description") or ""
        return True

    async def _m_getMyDescription(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return {"description": self.descriptions.get(params.get("language_code") or "", "")}

    async def _m_setMyShortDescription(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        language = params.get("language_code") or ""
        self.short_descriptions[language] = params.get("short_description") or ""
        return True

    async def _m_getMyShortDescription(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        language = params.get("language_code") or ""
        return {"short_description": self.short_descriptions.get(language, "")}

    async def _m_sendDocument(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        name, _content = files.get("document", ("document", b""))
        document = {
            "file_id": f"F{next(self._message_ids)}",
            "file_unique_id": "U",
            "file_name": name,
        }
        return self._message(params, document=document)

    async def _m_sendChatAction(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    async def _m_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    async def _m_setMyCommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.commands[params.get("language_code") or ""] = list(params.get("commands") or [])
        return True

    async def _m_getMyCommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return self.commands.get(params.get("language_code") or "", [])

    async def _m_deleteMyCommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.commands.pop(params.get("language_code") or "", None)
        return True

    async def _m_setWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.webhook = dict(params)
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self.updates.clear()
        return True

    async def _m_getWebhookInfo(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return {
            "url": (self.webhook or {}).get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }

    async def _m_close(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    async def _m_logOut(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    # Control ---------------------------------------------------------------

    async def _control_updates(self, request: web.Request) -> web.Response:
        body = await request.json()
        items = body if isinstance(body, list) else [body]
        pushed = []
        for item in items:
            if "update_id" in item and ("message" in item or "callback_query" in item):
                pushed.append(self.push(item))
            else:
                kwargs = {k: item[k] for k in ("user_id", "chat_id", "language_code") if k in item}
                pushed.append(self.send_text(item["text"], **kwargs))
        return web.json_response({"ok": True, "pushed": len(pushed)})

    async def _control_reset(self, request: web.Request) -> web.Response:
        self.calls.clear()
        self.counts.clear()
        self.failures.clear()
        self.updates.clear()
        self.commands.clear()
        self.messages.clear()
        self.webhook = None
        self.first_delivery = None
        self.delivered_until = 0
        return web.json_response({"ok": True})

    async def _control_stats(self, request: web.Request) -> web.Response:
        chats = len({str(c.chat_id) for c in self.calls if c.method == "sendMessage"})
        return web.json_response(
            {
                "counts": dict(self.counts),
                "pending": len(self.updates),
                "delivered_until": self.delivered_until,
                "chats_answered": chats,
                "commands": self.commands,
            }
        )

    async def _control_calls(self, request: web.Request) -> web.Response:
        method = request.query.get("method")
        rows = [
            {"method": c.method, "params": c.params}
            for c in self.calls
            if method is None or c.method == method
        ]
        return web.json_response(rows)


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


async def _serve(port: int, token: str) -> None:
    api = FakeTelegramAPI(port=port, token=token, max_poll=10.0)
    await api.start()
    print(f"fake Bot API on {api.url} (token {api.token})", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await api.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="A fake Telegram Bot API on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=TOKEN)
    args = parser.parse_args()
    try:
        asyncio.run(_serve(args.port, args.token))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
