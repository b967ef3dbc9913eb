"""The ``conversations`` table: one row per (platform, chat, user), its state as JSON.

Rows are written many per transaction (:class:`bot.db.batches.Batcher`) with an upsert that
never replaces a newer row with an older one (``updated_at`` decides), so two web processes
answering the same member one after the other cannot undo each other's state.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from bot.db.change_feed import ChangeFeed
from bot.db.engine import Database
from bot.db.models import Conversation

__all__ = ["ConversationKey", "load_conversation", "prune_conversations", "save_conversations"]

# (platform, chat id, platform user id)
ConversationKey = tuple[str, str, str]


async def load_conversation(
    db: Database, key: ConversationKey
) -> tuple[dict[str, Any], datetime] | None:
    """The stored state of a conversation and when it was written, or ``None``."""
    platform, chat_id, user_id = key
    async with db.read() as session:
        row = (
            await session.execute(
                select(Conversation.state, Conversation.updated_at).where(
                    Conversation.platform == platform,
                    Conversation.chat_id == chat_id,
                    Conversation.user_id == user_id,
                )
            )
        ).first()
    return None if row is None else (dict(row.state or {}), row.updated_at)


async def save_conversations(
    db: Database,
    states: Mapping[ConversationKey, tuple[dict[str, Any], datetime]],
    *,
    feed: ChangeFeed | None = None,
) -> None:
    """Write every state of ``states`` in one transaction; an older write loses to a newer row.

    With ``feed``, the other processes hear which conversations changed when it commits.
    """
    if not states:
        return
    rows = [
        {
            "platform": platform,
            "chat_id": chat_id,
            "user_id": user_id,
            "state": state,
            "updated_at": updated_at,
        }
        for (platform, chat_id, user_id), (state, updated_at) in states.items()
    ]
    dialect = sqlite if db.is_sqlite else postgresql
    statement = dialect.insert(Conversation)
    statement = statement.on_conflict_do_update(
        index_elements=["platform", "chat_id", "user_id"],
        set_={"state": statement.excluded.state, "updated_at": statement.excluded.updated_at},
        where=Conversation.updated_at <= statement.excluded.updated_at,
    )
    async with db.write() as session:
        await session.execute(statement, rows)
        if feed is not None:
            await feed.announce(session, states)


async def prune_conversations(db: Database, *, before: datetime) -> int:
    """Delete the conversations idle since before ``before``; how many went."""
    async with db.write() as session:
        result = await session.execute(delete(Conversation).where(Conversation.updated_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
