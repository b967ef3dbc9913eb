"""Users: found or created on each message, with their language, time zone and role."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.core.messages import Incoming
from bot.db.engine import Database
from bot.db.models import User, utcnow

__all__ = [
    "create_user",
    "find_user",
    "pending_changes",
    "role_for",
    "save_language",
]


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


# last_seen_at is for staff statistics, not for every message: refreshing it at most hourly
# keeps the common message free of any database write.
LAST_SEEN_EVERY = timedelta(hours=1)


async def find_user(db: Database, platform: str, platform_user_id: str) -> User | None:
    """The user's row, or ``None`` on first contact (a read, no lock taken)."""
    async with db.read() as session:
        return await session.scalar(
            select(User).where(User.platform == platform, User.platform_user_id == platform_user_id)
        )


async def create_user(
    db: Database,
    incoming: Incoming,
    settings: Settings,
    *,
    language: str | None = None,
    language_choice: str | None = None,
) -> User:
    """Create the sender's row; safe when two first messages race (insert if absent).

    When another process created the row first, that row is returned as it is.
    """
    now = utcnow()
    values = {
        "platform": incoming.platform,
        "platform_user_id": incoming.user_id,
        "chat_id": incoming.chat_id,
        "language": language,
        "language_choice": language_choice,
        "locale_hint": (incoming.locale_hint or None) and incoming.locale_hint[:16],
        "role": role_for(settings, incoming.platform, incoming.user_id, vouched=incoming.staff)
        or "member",
        "created_at": now,
        "last_seen_at": now,
    }
    # The values go as parameters, so the statement is compiled once, not per new user.
    statement = db.insert_if_absent(User, key=("platform", "platform_user_id")).returning(User)
    async with db.write() as session:
        user = await session.scalar(statement, values)
        if user is None:  # lost the race: read the winner's row
            user = await session.scalar(
                select(User).where(
                    User.platform == incoming.platform, User.platform_user_id == incoming.user_id
                )
            )
    assert user is not None
    return user


def pending_changes(user: User, incoming: Incoming, settings: Settings) -> dict[str, object]:
    """What this message says about the user that the row does not say yet."""
    changes: dict[str, object] = {}
    # The settings (and the adapter's vouching) are the only source of the staff role, so
    # someone removed from STAFF_*_IDS or the staff channel loses it on their next message.
    granted = role_for(settings, incoming.platform, incoming.user_id, vouched=incoming.staff)
    role = granted or "member"
    if user.role != role:
        changes["role"] = role
    if not incoming.is_group and user.chat_id != incoming.chat_id:
        changes["chat_id"] = incoming.chat_id
    hint = incoming.locale_hint[:16] if incoming.locale_hint else None
    if hint and user.locale_hint != hint:
        changes["locale_hint"] = hint
    now = utcnow()
    if user.last_seen_at is None or now - user.last_seen_at >= LAST_SEEN_EVERY:
        changes["last_seen_at"] = now
    return changes


async def save_language(
    session: AsyncSession, user_id: int, language: str, choice: str | None
) -> None:
    """Remember the language of the last reply and, when given, the user's explicit choice."""
    user = await session.get(User, user_id)
    if user is None:
        return
    user.language = language
    if choice is not None:
        user.language_choice = choice
