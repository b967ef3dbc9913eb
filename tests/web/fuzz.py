"""A seeded generator of odd HTTP requests for the web endpoints, and a sender for them.

Random methods, paths (the real ones, traversal, percent-encoded junk, very long), headers
(content types, encodings, Slack's and Telegram's own, right and wrong) and bodies of odd
types and sizes (random bytes, JSON of every shape and depth, lone surrogate escapes, forms
with payloads, gzip that is not gzip, a gzip bomb, more than the size limit); some signed with
the right Slack secret or carrying the right Telegram secret, so that the checks behind the
signature are reached too. Seeded: a failure names its case and replays.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import random
import string
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import aiohttp

__all__ = ["Request", "generate", "raw_request_lines", "send"]

PATHS = [
    "/",
    "/healthz",
    "/calendar.ics",
    "/calendar.ics?lang=fr",
    "/calendar.ics?lang=xx",
    "/calendar/{token}.ics",
    "/calendar/{token}.ics?q=1",
    "/calendar/not-a-token.ics",
    "/calendar/%2e%2e/%2e%2e/etc/passwd",
    "/calendar/../../etc/passwd",
    "/slack/events",
    "/slack/events?ssl_check=1",
    "/slack/events/../healthz",
    "/telegram",
    "/telegram/",
    "/telegram?update_id=1",
    "//slack//events",
    "/%00",
    "/%ff%fe",
]
METHODS = ["GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"]
CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=latin-1",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "multipart/form-data",
    "text/plain",
    "application/octet-stream",
    "application/json; charset=nonsense",
    "",
    "}{",
]


@dataclass
class Request:
    """One generated request."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    def describe(self) -> str:
        size = 0 if self.body is None else len(self.body)
        return f"{self.method} {self.path[:80]} {sorted(self.headers)} body={size} B"


def _text(rng: random.Random, size: int) -> str:
    alphabet = string.printable + "áéíóúñçü€😀\u2060\ufffd"
    return "".join(rng.choice(alphabet) for _ in range(size))


def _json_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(9 if depth < 4 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice([0, -1, 2**70, 1.5, -0.0, 10**-300])
    if kind in (3, 4):
        return _text(rng, rng.randrange(0, 40))
    if kind in (5, 6):
        return [_json_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    keys = ["type", "event", "event_id", "user", "channel", "text", "payload", "actions",
            "update_id", "message", "callback_query", "chat", "from", "id", "challenge",
            "authorizations", "team_id", "trigger_id", "command", "view", "container"]  # fmt: skip
    return {rng.choice(keys): _json_value(rng, depth + 1) for _ in range(rng.randrange(0, 6))}


def _slack_shaped(rng: random.Random) -> dict[str, Any]:
    """An Events API envelope with odd values where Slack puts ids and text."""
    event = {
        "type": rng.choice(["message", "app_mention", "app_home_opened", "reaction_added", 7]),
        "user": rng.choice(["UEN0001", 5, None, ["U"], {"id": "U"}, "\ud800"]),
        "channel": rng.choice(["DEN0001", "C0000GEN", None, 3, ["C"], ""]),
        "channel_type": rng.choice(["im", "channel", None, 1]),
        "text": rng.choice(["hola", "", None, 5, ["x"], "\ud800 next events", "<@UBOT0001> hi"]),
        "ts": rng.choice(["1.1", 1.1, None, ["1"]]),
        "tab": rng.choice(["home", "messages", None, 0]),
    }
    return {
        "type": rng.choice(["event_callback", "url_verification", None, 3]),
        "event": event,
        "event_id": rng.choice([f"EvF{rng.randrange(10**9)}", None, 5, ["Ev"]]),
        "challenge": rng.choice(["c", None, 5]),
        "team_id": rng.choice(["T0000TEAM", None, 1]),
    }


def _body(rng: random.Random) -> tuple[bytes | None, str | None]:
    """A body and, sometimes, the content type that goes with it."""
    kind = rng.randrange(12)
    if kind == 0:
        return None, None
    if kind == 1:
        return rng.randbytes(rng.choice([0, 1, 7, 300, 5000])), None
    if kind in (2, 3):
        return json.dumps(_json_value(rng)).encode(), "application/json"
    if kind == 4:
        return json.dumps(_slack_shaped(rng)).encode(), "application/json"
    if kind == 5:
        payload = json.dumps(rng.choice([_json_value(rng), _slack_shaped(rng), [1, 2]]))
        fields = {"payload": payload, "command": "/metropolis", "text": _text(rng, 10)}
        chosen = dict(rng.sample(sorted(fields.items()), rng.randrange(1, 4)))
        return urllib.parse.urlencode(chosen).encode(), "application/x-www-form-urlencoded"
    if kind == 6:
        depth = rng.choice([50, 1000, 100_000])
        return ("[" * depth + "]" * depth).encode(), "application/json"
    if kind == 7:
        return rng.choice([b'"\\ud800"', b'{"text": "\\udfff\\u0000"}', b"\xff\xfe\x00"]), None
    if kind == 8:
        return b"x" * rng.choice([1024 * 1024 + 1, 2 * 1024 * 1024]), None
    if kind == 9:
        return gzip.compress(b"{" + b" " * 5_000_000 + b"}"), "application/json"  # a bomb
    if kind == 10:
        update = {"update_id": rng.choice([1, "1", -1, 2**63, None]), "message": _json_value(rng)}
        return json.dumps(update).encode(), "application/json"
    return _text(rng, rng.randrange(0, 200)).encode("utf-8", "surrogatepass"), None


def generate(
    seed: int, count: int, *, slack_secret: str, telegram_secret: str, calendar_token: str
) -> list[Request]:
    """``count`` requests from ``seed``."""
    rng = random.Random(seed)
    requests: list[Request] = []
    for _ in range(count):
        method = rng.choice(METHODS)
        path = rng.choice(PATHS).format(token=calendar_token)
        if rng.random() < 0.1:
            path += "?" + urllib.parse.quote(_text(rng, rng.choice([5, 500, 7000])), safe="=&")
        if rng.random() < 0.05:
            path = "/" + urllib.parse.quote(_text(rng, rng.randrange(1, 300)))
        body, content_type = _body(rng)
        headers: dict[str, str] = {}
        if content_type is not None or rng.random() < 0.5:
            headers["Content-Type"] = content_type or rng.choice(CONTENT_TYPES)
        if rng.random() < 0.1:
            headers["Content-Encoding"] = rng.choice(["gzip", "deflate", "br", "nonsense"])
        if body is not None and content_type == "application/json" and len(body) > 1000:
            if body[:2] == b"\x1f\x8b":
                headers["Content-Encoding"] = "gzip"
        if rng.random() < 0.3:
            timestamp = rng.choice(
                [str(int(time.time())), "abc", "9" * 30, "-5", "", "1e9", "١٢٣", str(10**10)]
            )
            headers["X-Slack-Request-Timestamp"] = timestamp
            headers["X-Slack-Signature"] = rng.choice(["v0=abc", "", "v0=" + "0" * 64, "x"])
        if rng.random() < 0.3:
            _sign(headers, body or b"", slack_secret)
        if rng.random() < 0.3:
            headers["X-Telegram-Bot-Api-Secret-Token"] = rng.choice(
                [telegram_secret, telegram_secret, "wrong", ""]
            )
        if rng.random() < 0.1:
            headers["Accept"] = "text/html"
        requests.append(Request(method, path, headers, body))
    return requests


def _sign(headers: dict[str, str], body: bytes, secret: str) -> None:
    ts = str(int(time.time()))
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    headers["X-Slack-Request-Timestamp"] = ts
    headers["X-Slack-Signature"] = "v0=" + digest.hexdigest()


async def send(http: aiohttp.ClientSession, base_url: str, request: Request) -> int | None:
    """The status the server answered; ``None`` when the client itself refused to send it or
    the server closed the connection (a refusal, not an error)."""
    try:
        async with http.request(
            request.method,
            base_url + request.path,
            data=request.body,
            headers=request.headers,
            skip_auto_headers=("Content-Type",),
            auto_decompress=False,
        ) as response:
            await response.read()
            return response.status
    except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError):
        return None
    except aiohttp.ClientResponseError:  # the client could not parse what came back
        return None
    except ValueError:  # a header the client will not write (the server never saw it)
        return None


def raw_request_lines(seed: int, count: int, calendar_token: str) -> list[bytes]:
    """Raw bytes for the request line and headers, as no HTTP client would send them."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        kind = rng.randrange(6)
        path = f"/calendar/{calendar_token}.ics"
        if kind == 0:
            line = f"GET {path}?q={'a' * rng.choice([9000, 20000, 70000])} HTTP/1.1\r\n\r\n"
            lines.append(line.encode())
        elif kind == 1:
            lines.append(rng.randbytes(rng.randrange(1, 3000)) + b"\r\n\r\n")
        elif kind == 2:
            header = "X-" + "h" * rng.choice([10, 9000]) + ": " + "v" * rng.choice([10, 9000])
            lines.append(f"GET {path} HTTP/1.1\r\nHost: x\r\n{header}\r\n\r\n".encode())
        elif kind == 3:
            method = "".join(rng.choice(string.printable) for _ in range(rng.randrange(1, 9)))
            lines.append(f"{method} {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode(errors="replace"))
        elif kind == 4:
            many = "".join(f"X-{i}: {i}\r\n" for i in range(rng.choice([50, 200, 500])))
            lines.append(f"GET {path} HTTP/1.1\r\nHost: x\r\n{many}\r\n".encode())
        else:
            lines.append(
                b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + rng.choice([b"-1", b"abc", b"99999999999999999999", b"5, 6"])
                + b"\r\n\r\nabc"
            )
    return lines
