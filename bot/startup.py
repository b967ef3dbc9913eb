"""Why a process could not start: one line for the operator, and an exit code per cause.

A refused token, an unreachable database or a broken ``DATABASE_URL`` used to end in a raw
traceback and exit 1. Each is now a :class:`StartupError`: ``python -m bot`` prints its
message — one line naming the variable to check, never a secret — and exits with its
:class:`ExitCode` (docs/operations.md lists them), after everything opened was closed.
"""

from __future__ import annotations

from enum import IntEnum

from sqlalchemy.engine import make_url

from bot.db.engine import Database

__all__ = [
    "ExitCode",
    "StartupError",
    "database_unusable",
    "one_line",
    "open_database",
    "platform_refused",
    "platform_unreachable",
    "shown_url",
]


class ExitCode(IntEnum):
    """``python -m bot``'s exit codes."""

    OK = 0  # stopped: at the end of its work, or by SIGTERM/SIGINT (during start-up too)
    FAILED = 1  # an unexpected error (a bug): its traceback is in the log
    CONFIG = 2  # a variable is missing or invalid (DATABASE_URL, BOT_NOW, LOG_LEVEL…)
    CONTENT = 3  # the work-plan files are invalid
    DATABASE = 4  # the database cannot be reached, or its schema cannot be used
    REFUSED = 5  # a platform refused a token (TELEGRAM_BOT_TOKEN, SLACK_BOT_TOKEN…)
    UNREACHABLE = 6  # a platform's API cannot be reached, or failed at start-up
    ADDRESS = 7  # the web server cannot listen on HOST:PORT


class StartupError(Exception):
    """A reason not to start, said in one line (no traceback, no secret).

    Args:
        message: What went wrong and which variable to check.
        code: The process's exit code.
    """

    def __init__(self, message: str, code: ExitCode) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def one_line(error: BaseException, *, limit: int = 200) -> str:
    """``error``'s class and the first line of its message, shortened.

    SQLAlchemy's errors carry the driver's error as ``orig``, and a multi-line text (the SQL,
    a link): the driver's first line is the useful part.
    """
    error = getattr(error, "orig", None) or error
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def shown_url(url: str) -> str:
    """A database URL as it may be shown: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: show nothing of it (it may hold a password)
        return "<not a URL>"


def open_database(url: str) -> Database:
    """The :class:`Database` for ``DATABASE_URL`` (nothing connects yet).

    Raises:
        StartupError: ``CONFIG``: the URL cannot be parsed, or names no async driver this bot
            has (aiosqlite, asyncpg).
    """
    try:
        return Database(url)
    except Exception as exc:  # ArgumentError, NoSuchModuleError, a sync driver's refusal…
        raise StartupError(
            f"DATABASE_URL is not usable ({shown_url(url)}: {one_line(exc)}): use "
            "sqlite+aiosqlite:///path/to.db or postgresql+asyncpg://user@host/database",
            ExitCode.CONFIG,
        ) from None


def database_unusable(error: BaseException, url: str) -> StartupError:
    """The start-up error for a database that could not be reached or migrated."""
    return StartupError(
        f"cannot use the database at DATABASE_URL ({shown_url(url)}): {one_line(error)}: "
        "check that the server is up and the URL, user and password are right",
        ExitCode.DATABASE,
    )


def platform_refused(platform: str, variable: str, detail: str) -> StartupError:
    """A platform said no to a token: ``Telegram refused TELEGRAM_BOT_TOKEN (401 …)``."""
    return StartupError(
        f"{platform} refused {variable} ({detail}): check the token", ExitCode.REFUSED
    )


def platform_unreachable(platform: str, variable: str, url: str, detail: str) -> StartupError:
    """A platform's API could not be reached (or failed) at start-up."""
    return StartupError(
        f"cannot reach {platform} at {variable} ({url}): {detail}: check the network and "
        f"{variable}",
        ExitCode.UNREACHABLE,
    )
