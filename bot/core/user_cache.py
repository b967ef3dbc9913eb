"""Recently seen users, kept in memory so an ordinary message needs no database round trip."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

__all__ = ["KnownUser", "UserCache"]


@dataclass(frozen=True, slots=True)
class KnownUser:
    """The fields of a user's row that the core reads on every message."""

    id: int
    platform: str
    platform_user_id: str
    chat_id: str
    language: str | None
    language_choice: str | None
    timezone: str | None
    role: str
    locale_hint: str | None
    last_seen_at: datetime | None

    @classmethod
    def from_row(cls, row: Any) -> KnownUser:
        """Copy the fields from a ``User`` row."""
        return cls(**{name: getattr(row, name) for name in cls.__slots__})

    def with_(self, **changes: Any) -> KnownUser:
        """A copy with some fields changed."""
        return replace(self, **changes)


class UserCache:
    """A small LRU of :class:`KnownUser` with a time to live.

    The time to live bounds how long another process's change to a user (a language chosen
    through another web process) can go unseen here; this process's own changes are written
    through at once.
    """

    def __init__(self, ttl: float = 30.0, size: int = 20_000) -> None:
        self.ttl = ttl
        self.size = size
        self._entries: OrderedDict[tuple[str, str], tuple[float, KnownUser]] = OrderedDict()

    def get(self, platform: str, user_id: str) -> KnownUser | None:
        """The cached user, if seen within the time to live."""
        key = (platform, user_id)
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] < time.monotonic():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry[1]

    def put(self, user: KnownUser) -> None:
        """Remember ``user`` (replacing what was known)."""
        key = (user.platform, user.platform_user_id)
        self._entries[key] = (time.monotonic() + self.ttl, user)
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def drop(self, platform: str, user_id: str) -> None:
        """Forget a user (after a failure, the database is read again)."""
        self._entries.pop((platform, user_id), None)
