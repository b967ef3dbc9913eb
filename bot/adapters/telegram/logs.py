"""Keeping the bot token out of the logs.

python-telegram-bot logs the API URL (which contains the token) at DEBUG level, httpx logs
every request URL at INFO level, and ``InvalidToken`` messages quote the token. A filter on
those loggers rewrites each record with the token replaced by ``***`` before any handler
sees it.
"""

from __future__ import annotations

import logging

from bot.logs import redact

__all__ = ["protect_token", "redact"]

# Loggers that can carry the URL or the token; PTB's are named after its classes.
_LOGGERS = (
    "httpx",
    "httpcore",
    "telegram",
    "telegram.Bot",
    "telegram.ext",
    "telegram.ext.ExtBot",
    "telegram.ext.Application",
    "telegram.ext.Updater",
    "telegram.ext.BaseRequest",
    "telegram.request",
    "telegram.request.BaseRequest",
    "telegram.request.HTTPXRequest",
    "bot.adapters.telegram",
    "bot.adapters.telegram.adapter",
    "bot.adapters.telegram.sender",
)


class _RedactingFilter(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler
            return True
        cleaned = redact(message, self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        return True


_FILTER = _RedactingFilter()


def protect_token(*secrets: str | None) -> None:
    """Redact ``secrets`` from every record of the Telegram-related loggers (idempotent)."""
    _FILTER.secrets.update(s for s in secrets if s)
    names = set(_LOGGERS) | {
        name
        for name in list(logging.root.manager.loggerDict)
        if name.startswith(("telegram", "httpx", "httpcore", "bot.adapters.telegram"))
    }
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
    httpx_logger = logging.getLogger("httpx")
    if httpx_logger.level == logging.NOTSET:
        # One INFO line per request (every poll) is noise; warnings still show.
        httpx_logger.setLevel(logging.WARNING)
