"""What Telegram's answer to a start-up call means for the operator: one line naming the
variable to check (:class:`~bot.startup.StartupError`), never the token.

Used by the adapter's start (polling or webhook) and by the sender's own check, which the
``clock`` process runs because it talks to Telegram only to send.
"""

from __future__ import annotations

from telegram.error import InvalidToken, TelegramError

from bot.adapters.telegram.logs import redact
from bot.startup import StartupError, platform_refused, platform_unreachable

__all__ = ["refusal", "startup_error"]


def refusal(error: InvalidToken) -> str:
    """What Telegram answered, e.g. ``401 Unauthorized``, without the token (PTB quotes it).

    PTB raises ``InvalidToken`` for a 401 or a 404 (a malformed token), keeping Telegram's
    own description in the exception it re-raises from.
    """
    said = str(getattr(error.__cause__, "message", "") or "").strip()
    known = {"unauthorized": "401 Unauthorized", "not found": "404 Not Found"}
    return known.get(said.lower(), "the token was rejected")


def startup_error(error: TelegramError, token: str, api_url: str) -> StartupError:
    """The start-up failure ``error`` stands for: the token refused (``REFUSED``), or the Bot
    API not reached or failing (``UNREACHABLE``)."""
    if isinstance(error, InvalidToken):
        return platform_refused("Telegram", "TELEGRAM_BOT_TOKEN", refusal(error))
    detail = redact(f"{type(error).__name__}: {error}", (token,))
    return platform_unreachable("Telegram", "TELEGRAM_API_URL", api_url, detail)
