"""``POST /slack/events`` (HTTP mode): a request is checked before bolt parses anything.

bolt parses a body before it checks the signature, and reads what it parsed as a JSON
object: an unsigned ``[1, 2, 3]`` made it answer 500 and log a traceback. Here each step
looks only at what the previous one let through:

1. size: a body over :data:`~bot.web.server.MAX_BODY` → 413;
2. signature, over the raw bytes: ``X-Slack-Request-Timestamp`` (digits, within
   :data:`MAX_AGE` seconds of now) and ``X-Slack-Signature`` (``v0=`` + the HMAC-SHA256 of
   ``v0:{timestamp}:{body}`` with ``SLACK_SIGNING_SECRET``) → 401;
3. text: the body is UTF-8 → 400;
4. shape: the body parses, as bolt parses it, into a JSON object (a JSON body, or a form
   whose ``payload``, if any, is one) → 400.

Each refusal writes one WARNING line with the reason, never the body or a header's value.
Then bolt dispatches (its own signature check is off: it would repeat step 2). What bolt
still trips on in a signed payload (a field of an unexpected type) is answered 400 with one
WARNING line by the error handler :func:`install_error_handler` registers, and a request no
listener takes gets 404 and an INFO line, not bolt's multi-line warning quoting the body.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
import urllib.parse

from aiohttp import web
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from bot.web.server import MAX_BODY

__all__ = ["MAX_AGE", "checked_request", "install_error_handler", "signature_ok"]

log = logging.getLogger(__name__)

# Slack's own rule: a request signed more than five minutes ago (or ahead) is a replay.
MAX_AGE = 300
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SSL_CHECK_SIZE = 512


def signature_ok(secret: str, body: bytes, timestamp: str, signature: str, *, now: float) -> bool:
    """Whether ``signature`` is Slack's for ``body`` sent at ``timestamp``, and recent.

    Over the raw bytes, as received: slack_sdk's ``SignatureVerifier`` decodes the body as
    UTF-8 and reads the timestamp with ``int()`` first, so a non-UTF-8 body or a timestamp
    such as "abc" raised instead of being refused.
    """
    if not _TIMESTAMP.fullmatch(timestamp) or abs(now - int(timestamp)) > MAX_AGE:
        return False
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    # Bytes on both sides: compare_digest refuses str holding non-ASCII characters.
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "surrogateescape"))


def _refused(request: web.Request, status: int, reason: str) -> web.Response:
    log.warning("slack: refused a request from %s: %s (%d)", request.remote, reason, status)
    return web.Response(status=status, text=reason)


def _ssl_check(request: web.Request, body: bytes) -> bool:
    """Slack's unsigned certificate check (``ssl_check=1``), which bolt answers 200 too."""
    if len(body) > _SSL_CHECK_SIZE or request.content_type != "application/x-www-form-urlencoded":
        return False
    fields = urllib.parse.parse_qs(body.decode("latin-1"))
    return fields.get("ssl_check") == ["1"] and "payload" not in fields


async def checked_request(request: web.Request, secret: str) -> AsyncBoltRequest | web.Response:
    """The request as bolt's, or the 4xx answer that refuses it (see the module's steps)."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        return _refused(request, 413, "body too large")
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return _refused(request, 413, "body too large")
    timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
    signature = request.headers.get("X-Slack-Signature", "")
    if not signature_ok(secret, body, timestamp, signature, now=time.time()):
        if _ssl_check(request, body):
            return web.Response(status=200)
        return _refused(request, 401, "signature missing, invalid or too old")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return _refused(request, 400, "body is not UTF-8")
    headers: dict[str, str] = dict(request.headers)
    try:
        checked = AsyncBoltRequest(body=text, query=request.query_string, headers=headers)
    except Exception:
        # bolt parses the body and reads ids out of it as a dict while building the request:
        # a JSON array, string or number, or a form payload that is one, fails in there
        # (AttributeError, TypeError, ValueError…: whatever its parser meets).
        return _refused(request, 400, "body is not a Slack payload")
    if not isinstance(checked.body, dict):
        return _refused(request, 400, "body is not a Slack payload")
    return checked


def install_error_handler(bolt: AsyncApp) -> None:
    """Answer what bolt cannot handle with a 4xx and one log line (no traceback above DEBUG).

    The listeners catch and log their own errors (``SlackAdapter.tracked``); what reaches
    this handler is bolt failing on a payload's shape, or a request no listener takes
    (``raise_error_for_unhandled_request=True``).
    """

    @bolt.error
    async def refuse(error: Exception) -> BoltResponse:
        if isinstance(error, BoltUnhandledRequestError):
            log.info("slack: no listener for a request (answered 404)")
            return BoltResponse(status=404, body="")
        log.warning("slack: refused a signed request bolt cannot read (%s)", type(error).__name__)
        log.debug("slack: what bolt met in the request", exc_info=error)
        return BoltResponse(status=400, body="malformed request")
