"""Conversations kept in memory and in the database.

Reads come from memory when this process can trust it: with SQLite (the embedded default,
one process) the cache is the truth once loaded. With PostgreSQL several web processes may
answer the same member in turn, so each message reads the row (one small query), unless this
process still holds a newer state it has not written yet. Writes happen after the reply, many
per transaction, a moment later (:class:`bot.db.batches.Batcher`); an idle conversation
expires (default 30 minutes) and its row is pruned.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta

from bot.conversation.state import ConversationState
from bot.db.batches import Batcher
from bot.db.conversations import (
    ConversationKey,
    load_conversation,
    prune_conversations,
    save_conversations,
)
from bot.db.engine import Database

__all__ = ["ConversationStore"]

_EMPTY = ConversationState()
# Rows idle for longer are deleted, at most this often.
_PRUNE_EVERY = timedelta(minutes=10)


class ConversationStore:
    """Every member's conversation state, cached and stored.

    Args:
        db: Where states are stored.
        idle_seconds: A conversation idle for longer starts afresh.
        trust_cache: Whether this process is the only writer (SQLite); otherwise each read
            asks the database.
        delay: Seconds between a reply and the write of its state.
        max_cached: How many conversations stay in memory (the least recent go first).
    """

    def __init__(
        self,
        db: Database,
        *,
        idle_seconds: float = 1800.0,
        trust_cache: bool | None = None,
        delay: float = 0.25,
        max_cached: int = 10_000,
    ) -> None:
        self.db = db
        self.idle_seconds = idle_seconds
        self.trust_cache = db.is_sqlite if trust_cache is None else trust_cache
        self._cache: OrderedDict[ConversationKey, ConversationState] = OrderedDict()
        self._max = max_cached
        self._writes: Batcher[ConversationKey, ConversationState] = Batcher(
            "conversation-writes", self._write, delay=delay
        )
        self._pruned_at: datetime | None = None

    async def get(
        self, key: ConversationKey, now: datetime, *, new: bool = False
    ) -> ConversationState:
        """The conversation's state now (empty when there is none or it expired).

        Args:
            key: (platform, chat id, platform user id).
            now: The current instant (expiry is counted from it).
            new: The member wrote for the first time: nothing can be stored yet.
        """
        state = self._writes.queued(key) or (self._cache.get(key) if self.trust_cache else None)
        if state is None and not new:
            found = await load_conversation(self.db, key)
            if found is not None:
                state = ConversationState.from_record(*found)
        if state is None:
            state = _EMPTY
        self._remember(key, state)
        if state is not _EMPTY and state.expired(now, self.idle_seconds):
            return _EMPTY
        return state

    def peek(self, key: ConversationKey) -> ConversationState | None:
        """The state this process last saw for ``key``, without asking the database."""
        return self._writes.queued(key) or self._cache.get(key)

    def put(self, key: ConversationKey, state: ConversationState) -> None:
        """Remember ``state`` and write it a moment later."""
        self._remember(key, state)
        self._writes.later(key, state)

    async def flush(self) -> None:
        """Write every state queued."""
        await self._writes.flush()

    async def close(self) -> None:
        """Write what is queued and stop."""
        await self._writes.close()

    def _remember(self, key: ConversationKey, state: ConversationState) -> None:
        self._cache[key] = state
        self._cache.move_to_end(key)
        while len(self._cache) > self._max:
            self._cache.popitem(last=False)

    async def _write(self, batch: dict[ConversationKey, ConversationState]) -> None:
        rows = {
            key: (state.to_record(), state.updated_at)
            for key, state in batch.items()
            if state.updated_at is not None
        }
        await save_conversations(self.db, rows)
        newest = max((at for _, at in rows.values()), default=None)
        if newest is not None and (
            self._pruned_at is None or newest - self._pruned_at >= _PRUNE_EVERY
        ):
            self._pruned_at = newest
            await prune_conversations(self.db, before=newest - timedelta(seconds=self.idle_seconds))
