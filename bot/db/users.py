"""Users: found by platform and id, or created with the values the core decided."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import Database
from bot.db.models import User, utcnow

__all__ = ["NewUser", "create_user", "find_user", "save_language"]


@dataclass(frozen=True, slots=True)
class NewUser:
    """The values a new user's row starts with (the core decides them).

    Attributes:
        platform: ``telegram``, ``slack`` or ``console``.
        platform_user_id: The user's id on that platform.
        chat_id: Where to write to them (their private chat).
        locale_hint: The platform's language hint, at most 16 characters, if any.
        role: ``member`` or ``staff``.
    """

    platform: str
    platform_user_id: str
    chat_id: str
    locale_hint: str | None
    role: str


async def find_user(db: Database, platform: str, platform_user_id: str) -> User | None:
    """The user's row, or ``None`` on first contact (a read, no lock taken)."""
    async with db.read() as session:
        return await session.scalar(
            select(User).where(User.platform == platform, User.platform_user_id == platform_user_id)
        )


async def create_user(
    db: Database,
    user: NewUser,
    *,
    language: str | None = None,
    language_choice: str | None = None,
) -> User:
    """Create the user's row; safe when two first messages race (insert if absent).

    When another process created the row first, that row is returned as it is.
    """
    now = utcnow()
    values = {
        "platform": user.platform,
        "platform_user_id": user.platform_user_id,
        "chat_id": user.chat_id,
        "language": language,
        "language_choice": language_choice,
        "locale_hint": user.locale_hint,
        "role": user.role,
        "created_at": now,
        "last_seen_at": now,
    }
    # The values go as parameters, so the statement is compiled once, not per new user.
    statement = db.insert_if_absent(User, key=("platform", "platform_user_id")).returning(User)
    async with db.write() as session:
        row = await session.scalar(statement, values)
        if row is None:  # lost the race: read the winner's row
            row = await session.scalar(
                select(User).where(
                    User.platform == user.platform, User.platform_user_id == user.platform_user_id
                )
            )
    assert row is not None
    return row


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
