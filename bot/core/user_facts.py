"""What a message tells about its sender: the role the settings give them, the row a new
user starts with, and what the row no longer says right (decided here, stored by
:mod:`bot.db.users`, which is handed plain values)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import available_timezones

from bot.config import Settings
from bot.core.messages import Incoming
from bot.core.user_cache import KnownUser
from bot.db.models import utcnow
from bot.db.users import NewUser

__all__ = ["LAST_SEEN_EVERY", "new_user", "pending_changes", "role_for"]

# last_seen_at is for staff statistics, not for every message: refreshing it at most hourly
# keeps the common message free of any database write.
LAST_SEEN_EVERY = timedelta(hours=1)


def role_for(
    settings: Settings, platform: str, platform_user_id: str, *, vouched: bool = False
) -> str | None:
    """The role the settings (or the adapter, ``vouched``) give this user, or ``None``."""
    if vouched:
        return "staff"
    staff = {"telegram": settings.staff_telegram_ids, "slack": settings.staff_slack_ids}
    if platform_user_id in staff.get(platform, frozenset()):
        return "staff"
    if platform == "console" and settings.console_staff:
        return "staff"
    return None


def _role(incoming: Incoming, settings: Settings) -> str:
    # The settings (and the adapter's vouching) are the only source of the staff role, so
    # someone removed from STAFF_*_IDS or the staff channel loses it on their next message.
    granted = role_for(settings, incoming.platform, incoming.user_id, vouched=incoming.staff)
    return granted or "member"


def _hint(incoming: Incoming) -> str | None:
    return incoming.locale_hint[:16] if incoming.locale_hint else None


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _timezone_hint(incoming: Incoming) -> str | None:
    hint = incoming.timezone_hint
    return hint if hint and hint in _zones() else None


def new_user(incoming: Incoming, settings: Settings) -> NewUser:
    """The row the sender of a first message starts with."""
    return NewUser(
        platform=incoming.platform,
        platform_user_id=incoming.user_id,
        chat_id=incoming.chat_id,
        locale_hint=_hint(incoming),
        role=_role(incoming, settings),
    )


def pending_changes(
    user: KnownUser, incoming: Incoming, settings: Settings, *, now: datetime | None = None
) -> dict[str, object]:
    """What this message says about the user that the row does not say yet."""
    changes: dict[str, object] = {}
    role = _role(incoming, settings)
    if user.role != role:
        changes["role"] = role
    if not incoming.is_group and user.chat_id != incoming.chat_id:
        changes["chat_id"] = incoming.chat_id
    hint = _hint(incoming)
    if hint and user.locale_hint != hint:
        changes["locale_hint"] = hint
    if user.timezone is None:
        # The platform's time zone (Slack's tz) until the member chooses one: a choice,
        # once made, is never replaced by the hint.
        zone = _timezone_hint(incoming)
        if zone is not None:
            changes["timezone"] = zone
    now = now or utcnow()
    if user.last_seen_at is None or now - user.last_seen_at >= LAST_SEEN_EVERY:
        changes["last_seen_at"] = now
    return changes
