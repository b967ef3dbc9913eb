"""Members of ``SLACK_STAFF_CHANNEL`` are staff: the member list, fetched and cached.

The adapter vouches for a sender with ``Incoming.staff`` only after Slack's own
``conversations.members`` said so; the core then stores the role like the configured ids.
A failed lookup keeps the last list read (empty at first) and is retried within a minute.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

__all__ = ["StaffChannel"]

log = logging.getLogger(__name__)


class StaffChannel:
    """Whether a user is in the staff channel, re-read at most every ``ttl`` seconds."""

    def __init__(
        self,
        client: AsyncWebClient,
        channel: str | None,
        *,
        ttl: float = 300,
        wait: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self.channel = channel
        self._ttl = ttl
        self._wait = wait
        self._clock = clock
        self._members: frozenset[str] = frozenset()
        self._until = float("-inf")
        self._lock = asyncio.Lock()

    async def members(self) -> frozenset[str]:
        """The channel's members (empty without a channel or when Slack cannot be asked)."""
        if not self.channel:
            return frozenset()
        if self._clock() < self._until:
            return self._members
        async with self._lock:
            if self._clock() < self._until:
                return self._members
            try:
                found = await asyncio.wait_for(self._fetch(self.channel), self._wait)
            except (SlackApiError, aiohttp.ClientError, TimeoutError, OSError) as exc:
                log.warning("slack: staff channel members unavailable: %s", type(exc).__name__)
                self._until = self._clock() + min(self._ttl, 60)
                return self._members
            self._members = frozenset(found)
            self._until = self._clock() + self._ttl
            return self._members

    async def has(self, user_id: str) -> bool:
        """Whether ``user_id`` is a member of the staff channel."""
        return bool(user_id) and user_id in await self.members()

    async def _fetch(self, channel: str) -> set[str]:
        found: set[str] = set()
        cursor: str | None = None
        for _ in range(50):  # 50 pages of 1,000: far more than any staff channel
            response = await self._client.conversations_members(
                channel=channel, limit=1000, cursor=cursor
            )
            found.update(str(m) for m in response.get("members") or ())
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                break
        return found
