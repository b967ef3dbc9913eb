"""Users: found or created on each message, with their language, time zone and role."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.core.messages import Incoming
from bot.db.models import User, utcnow

__all__ = ["load_user", "role_for", "save_language"]


def role_for(settings: Settings, platform: str, platform_user_id: str) -> str | None:
    """The role the settings give this user (``"staff"``), or ``None`` if they say nothing."""
    staff = {"telegram": settings.staff_telegram_ids, "slack": settings.staff_slack_ids}
    if platform_user_id in staff.get(platform, frozenset()):
        return "staff"
    if platform == "console" and settings.console_staff:
        return "staff"
    return None


async def load_user(
    session: AsyncSession, incoming: Incoming, settings: Settings
) -> tuple[User, bool]:
    """The sender's row, created on first contact; returns ``(user, created)``."""
    user = await session.scalar(
        select(User).where(
            User.platform == incoming.platform, User.platform_user_id == incoming.user_id
        )
    )
    created = user is None
    if user is None:
        user = User(
            platform=incoming.platform,
            platform_user_id=incoming.user_id,
            chat_id=incoming.chat_id,
            role=role_for(settings, incoming.platform, incoming.user_id) or "member",
        )
        session.add(user)
        await session.flush()
    else:
        granted = role_for(settings, incoming.platform, incoming.user_id)
        if granted and user.role != granted:
            user.role = granted
        if not incoming.is_group and user.chat_id != incoming.chat_id:
            user.chat_id = incoming.chat_id
        user.last_seen_at = utcnow()
    if incoming.locale_hint and user.locale_hint != incoming.locale_hint:
        user.locale_hint = incoming.locale_hint[:16]
    return user, created


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
