"""``POST /telegram`` (webhook mode): the secret header checked, big or malformed bodies
refused, the update read; the adapter queues it and answers 200 at once."""

from __future__ import annotations

import hashlib
import hmac
import json

from aiohttp import web
from telegram import Bot, Update

from bot.web.server import MAX_BODY

__all__ = ["SECRET_HEADER", "WEBHOOK_PATH", "read_update", "webhook_secret"]

WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_secret(token: str, configured: str | None) -> str:
    """The webhook's secret token: ``TELEGRAM_WEBHOOK_SECRET``, or one derived from the bot
    token (the same in every ``web`` process; only ``A-Za-z0-9_-`` as Telegram requires)."""
    if configured:
        return configured
    return hashlib.sha256(f"metropolis-telegram-webhook:{token}".encode()).hexdigest()


async def read_update(request: web.Request, secret: str, bot: Bot) -> Update | web.Response:
    """The request's update, or the answer that refuses it (403 without the secret, 413 too
    large, 400 not an update)."""
    given = request.headers.get(SECRET_HEADER, "")
    if not hmac.compare_digest(given.encode(), secret.encode()):
        return web.Response(status=403, text="forbidden")
    if request.content_length is not None and request.content_length > MAX_BODY:
        return web.Response(status=413, text="too large")
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return web.Response(status=413, text="too large")
    if len(body) > MAX_BODY:
        return web.Response(status=413, text="too large")
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            raise ValueError("not an update")
        return Update.de_json(data, bot)
    except Exception:
        return web.Response(status=400, text="bad update")
