"""The process's log: its format and level, and the filter that keeps secrets out of it.

Each component keeps its own secrets out at the source (the Telegram loggers redact the bot
token, the web server writes no request line, Slack refusals name no header value). The
filter installed here on the process's log handlers is the net under all of them: whatever
component writes a record — aiohttp, bolt, slack_sdk, SQLAlchemy, ours — its message and
its traceback reach the output with every configured secret and every personal calendar
path (``/calendar/<token>.ics``) replaced by ``***``.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterable

from sqlalchemy.engine import make_url

from bot.config import Settings

__all__ = [
    "LOG_FORMAT",
    "QUIET_LOGGERS",
    "SecretFilter",
    "configure_logging",
    "redact",
    "redact_paths",
    "secrets_of",
]

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Loggers held at WARNING whatever LOG_LEVEL says: at INFO and DEBUG they write every SQL
# statement with its parameters — calendar tokens, members' messages.
QUIET_LOGGERS = ("aiosqlite", "sqlalchemy.engine", "sqlalchemy.pool", "sqlalchemy.orm")

# A personal feed's path: the token is the member's credential. Matched without the ".ics"
# too, since a logged line may be cut inside the token.
_CALENDAR_PATH = re.compile(r"/calendar/[A-Za-z0-9_%-]+")


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (and every token's part after ``:``) replaced by ``***``."""
    for secret in secrets:
        if not secret:
            continue
        text = text.replace(secret, "***")
        _, _, tail = secret.partition(":")
        if len(tail) >= 8:  # a Telegram token's secret half, quoted alone
            text = text.replace(tail, "***")
    return text


def redact_paths(text: str) -> str:
    """``text`` with the token of every personal calendar path replaced by ``***``."""
    if "/calendar/" not in text:
        return text
    return _CALENDAR_PATH.sub("/calendar/***", text)


class SecretFilter(logging.Filter):
    """Rewrites each record so that no secret reaches the handler's output.

    Args:
        secrets: The values never to write (tokens, signing secrets, passwords).
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = frozenset(s for s in secrets if s and len(s) >= 4)

    def clean(self, text: str) -> str:
        """``text`` without the secrets and calendar tokens."""
        return redact_paths(redact(text, self.secrets))

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: the handler reports it as it would
            return True
        cleaned = self.clean(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.clean(record.exc_text)
        if record.stack_info:
            record.stack_info = self.clean(record.stack_info)
        return True


def secrets_of(settings: Settings) -> list[str]:
    """The configured values no log line may hold: tokens, secrets, the database password."""
    values = [
        settings.telegram_token,
        settings.telegram_webhook_secret,
        settings.slack_bot_token,
        settings.slack_app_token,
        settings.slack_signing_secret,
    ]
    # An unparsable URL is refused elsewhere; there is no password to hide from it here.
    with contextlib.suppress(Exception):
        values.append(make_url(settings.database_url).password)  # type: ignore[arg-type]
    return [v for v in values if v]


def configure_logging(level: str = "WARNING", secrets: Iterable[str] = ()) -> SecretFilter:
    """Log to stderr at ``level`` (``LOG_LEVEL``), through a :class:`SecretFilter`, with the
    :data:`QUIET_LOGGERS` at WARNING.

    Called again (the settings are read after the level), it replaces the filter.
    """
    logging.basicConfig(level=level.upper(), format=LOG_FORMAT)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    guard = SecretFilter(secrets)
    for handler in logging.getLogger().handlers:
        for old in [f for f in handler.filters if isinstance(f, SecretFilter)]:
            handler.removeFilter(old)
        handler.addFilter(guard)
    return guard
