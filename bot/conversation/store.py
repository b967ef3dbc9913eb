"""Conversations kept in memory and in the database.

Reads come from memory when this process can trust it: with SQLite (the embedded default,
one process) the cache is the truth once loaded. With PostgreSQL several web processes may
answer the same member in turn: each announces the conversations it writes
(:class:`bot.db.change_feed.ChangeFeed`) and drops those the others announce, so the cache
is trusted while the feed listens; when it does not, each message reads the row (one small
query), unless this process still holds a newer state it has not written yet. Writes happen
after the reply, many per transaction, a moment later (:class:`bot.db.batches.Batcher`); an
idle conversation expires (default 30 minutes) and its row is pruned.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta

from bot.conversation.state import ConversationState
from bot.db.batches import Batcher
from bot.db.change_feed import ChangeFeed
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
            asks the database, unless ``feed`` listens.
        delay: Seconds between a reply and the write of its state.
        max_cached: How many conversations stay in memory (the least recent go first).
        feed: Tells the other processes which conversations this one wrote, and this one
            which the others wrote (PostgreSQL); the store starts and stops it.
    """

    def __init__(
        self,
        db: Database,
        *,
        idle_seconds: float = 1800.0,
        trust_cache: bool | None = None,
        delay: float = 0.25,
        max_cached: int = 10_000,
        feed: ChangeFeed | None = None,
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
        self._feed = feed
        # Counts what the feed said; a read during which it spoke may be stale already.
        self._heard = 0
        if feed is not None:
            feed.on_change(self._changed_elsewhere)
            feed.on_reset(self._forget_all)

    @property
    def trusted(self) -> bool:
        """Whether what this process holds is the truth (no read needed)."""
        return self.trust_cache or (self._feed is not None and self._feed.live)

    async def get(
        self, key: ConversationKey, now: datetime, *, new: bool = False
    ) -> ConversationState:
        """The conversation's state now (empty when there is none or it expired).

        Args:
            key: (platform, chat id, platform user id).
            now: The current instant (expiry is counted from it).
            new: The member wrote for the first time: nothing can be stored yet.
        """
        if self._feed is not None:
            self._feed.start()  # the first message starts it: other roles never listen
        state = self._writes.queued(key) or (self._cache.get(key) if self.trusted else None)
        heard = self._heard
        if state is None and not new:
            found = await load_conversation(self.db, key)
            if found is not None:
                state = ConversationState.from_record(*found)
        if state is None:
            state = _EMPTY
        if self._heard == heard:
            self._remember(key, state)
        else:  # another process wrote meanwhile: this read may be older than its notice
            self._cache.pop(key, None)
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
        """Write what is queued and stop (the feed too)."""
        try:
            await self._writes.close()
        finally:
            if self._feed is not None:
                await self._feed.stop()

    def _changed_elsewhere(self, keys: list[tuple[str, ...]]) -> None:
        self._heard += 1
        for key in keys:
            self._cache.pop(key, None)  # type: ignore[call-overload]

    def _forget_all(self) -> None:
        self._heard += 1
        self._cache.clear()

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
        await save_conversations(self.db, rows, feed=self._feed)
        newest = max((at for _, at in rows.values()), default=None)
        if newest is not None and (
            self._pruned_at is None or newest - self._pruned_at >= _PRUNE_EVERY
        ):
            self._pruned_at = newest
            await prune_conversations(self.db, before=newest - timedelta(seconds=self.idle_seconds))
