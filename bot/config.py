"""Settings from the environment, read once at start-up by the composition root."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.db import DEFAULT_URL as _DEFAULT_DB

__all__ = ["Settings", "load_settings"]


def _ids(value: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (value or "").split(",") if part.strip())


def _int_list(value: str | None, default: tuple[int, ...]) -> tuple[int, ...]:
    if not value:
        return default
    return tuple(int(part) for part in value.split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with the embedded defaults.

    Secrets are kept out of ``repr`` so that logging a Settings object leaks nothing.
    """

    database_url: str = _DEFAULT_DB
    timezone: str = "Europe/Madrid"
    default_language: str = "en"
    today: date | None = None
    content_dir: Path = field(
        default_factory=lambda: Path(__file__).resolve().parents[1] / "content" / "plan"
    )
    port: int = 8080
    public_base_url: str = "http://127.0.0.1:8080"
    # Where the web server listens and when the bot thinks it is (HOST, BOT_NOW).
    host: str = "0.0.0.0"
    now: datetime | None = None
    telegram_token: str | None = field(default=None, repr=False)
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = field(default=None, repr=False)
    slack_bot_token: str | None = field(default=None, repr=False)
    slack_app_token: str | None = field(default=None, repr=False)
    slack_signing_secret: str | None = field(default=None, repr=False)
    slack_api_url: str = "https://slack.com/api/"
    slack_staff_channel: str | None = None
    staff_telegram_ids: frozenset[str] = frozenset()
    staff_slack_ids: frozenset[str] = frozenset()
    console_staff: bool = False
    reminder_days: tuple[int, ...] = (7, 1)
    staff_reminder_days: tuple[int, ...] = (14, 3)
    send_hour: int = 9
    tick_seconds: int = 30
    # A conversation idle this long starts afresh ("it", "the second one" no longer refer).
    conversation_idle_minutes: int = 30
    # Sending: messages per second per platform (Telegram about 30/s in bulk, more with paid
    # broadcasts; Slack about 1/s per channel), how long a claimed delivery is a sender's
    # (a killed sender's rows wait this long), and the lease that keeps one sending process
    # per platform (how soon a standby takes over).
    telegram_send_rate: float = 25.0
    slack_send_rate: float = 20.0
    delivery_lease_seconds: float = 120.0
    sender_lease_seconds: float = 30.0

    @property
    def tz(self) -> ZoneInfo:
        """The bot's time zone."""
        return ZoneInfo(self.timezone)

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (used by the CLI's flags and by tests)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _host_and_now(get: Callable[[str], str | None], timezone: str) -> dict[str, object]:
    """``HOST`` (the web server's bind address) and ``BOT_NOW`` (a moved, running clock).

    ``BOT_NOW=YYYY-MM-DDTHH:MM`` is a local time in ``BOT_TIMEZONE`` (an explicit offset is
    honoured): rehearsing "what goes out at 09:00 on 13 June" needs the time of day as well
    as the date ``BOT_TODAY`` moves.
    """
    raw = (get("BOT_NOW") or "").strip()
    now = None
    if raw:
        try:
            if "T" not in raw.upper() and " " not in raw:
                raise ValueError("no time of day")
            now = datetime.fromisoformat(raw)
        except ValueError:
            raise ValueError(f"BOT_NOW must be YYYY-MM-DDTHH:MM, got {raw!r}") from None
        tz = ZoneInfo(timezone)
        now = now.replace(tzinfo=tz) if now.tzinfo is None else now.astimezone(tz)
        if get("BOT_TODAY"):
            raise ValueError("set BOT_NOW or BOT_TODAY, not both")
    return {"host": (get("HOST") or "").strip() or "0.0.0.0", "now": now}


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings from ``env`` (the process environment by default).

    Raises:
        ValueError: A variable holds a value that cannot be used; the message names it.
    """
    env = os.environ if env is None else env
    get = env.get

    def need_int(name: str, default: int) -> int:
        raw = get(name)
        if not raw:
            return default
        try:
            return int(raw)
        except ValueError:
            raise ValueError(f"{name} must be a whole number, got {raw!r}") from None

    def need_positive(name: str, default: float) -> float:
        raw = get(name)
        if not raw:
            return default
        try:
            value = float(raw)
        except ValueError:
            value = 0.0
        if not value > 0 or value == float("inf"):
            raise ValueError(f"{name} must be a positive number, got {raw!r}")
        return value

    today = None
    if get("BOT_TODAY"):
        try:
            today = date.fromisoformat(get("BOT_TODAY", ""))
        except ValueError:
            raise ValueError(f"BOT_TODAY must be YYYY-MM-DD, got {get('BOT_TODAY')!r}") from None
    timezone = get("BOT_TIMEZONE") or "Europe/Madrid"
    try:
        ZoneInfo(timezone)
    except Exception:
        raise ValueError(f"BOT_TIMEZONE is not a known time zone: {timezone!r}") from None
    language = (get("BOT_DEFAULT_LANGUAGE") or "en").lower()
    if language not in ("es", "en", "fr"):
        raise ValueError(f"BOT_DEFAULT_LANGUAGE must be es, en or fr, got {language!r}")
    port = need_int("PORT", 8080)
    defaults = Settings()
    return Settings(
        database_url=get("DATABASE_URL") or _DEFAULT_DB,
        timezone=timezone,
        default_language=language,
        today=today,
        content_dir=Path(get("BOT_CONTENT_DIR"))
        if get("BOT_CONTENT_DIR")
        else defaults.content_dir,
        port=port,
        public_base_url=(get("PUBLIC_BASE_URL") or f"http://127.0.0.1:{port}").rstrip("/"),
        **_host_and_now(get, timezone),  # type: ignore[arg-type]
        telegram_token=get("TELEGRAM_BOT_TOKEN") or None,
        telegram_api_url=(get("TELEGRAM_API_URL") or "https://api.telegram.org").rstrip("/"),
        telegram_webhook_url=get("TELEGRAM_WEBHOOK_URL") or None,
        telegram_webhook_secret=get("TELEGRAM_WEBHOOK_SECRET") or None,
        slack_bot_token=get("SLACK_BOT_TOKEN") or None,
        slack_app_token=get("SLACK_APP_TOKEN") or None,
        slack_signing_secret=get("SLACK_SIGNING_SECRET") or None,
        slack_api_url=get("SLACK_API_URL") or "https://slack.com/api/",
        slack_staff_channel=get("SLACK_STAFF_CHANNEL") or None,
        staff_telegram_ids=_ids(get("STAFF_TELEGRAM_IDS")),
        staff_slack_ids=_ids(get("STAFF_SLACK_IDS")),
        reminder_days=_int_list(get("REMINDER_DAYS"), (7, 1)),
        staff_reminder_days=_int_list(get("STAFF_REMINDER_DAYS"), (14, 3)),
        send_hour=need_int("BOT_SEND_HOUR", 9),
        tick_seconds=need_int("BOT_TICK_SECONDS", 30),
        conversation_idle_minutes=need_int("CONVERSATION_IDLE_MINUTES", 30),
        telegram_send_rate=need_positive("TELEGRAM_SEND_RATE", defaults.telegram_send_rate),
        slack_send_rate=need_positive("SLACK_SEND_RATE", defaults.slack_send_rate),
        delivery_lease_seconds=need_positive(
            "DELIVERY_LEASE_SECONDS", defaults.delivery_lease_seconds
        ),
        sender_lease_seconds=need_positive("SENDER_LEASE_SECONDS", defaults.sender_lease_seconds),
    )
