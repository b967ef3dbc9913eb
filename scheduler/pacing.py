"""Pacing sends under a platform's limits: an overall rate and a minimum gap per chat.

Reservation-based: each :meth:`Pacer.acquire` books the next free slot and sleeps until it,
so concurrent workers never burst. Waiting for a busy chat happens *before* booking an
overall slot, so one busy chat does not hold up the others.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

__all__ = ["Pacer"]


class Pacer:
    """At most ``rate`` sends per second overall and one per ``per_chat`` seconds per chat.

    Args:
        rate: Overall sends per second (evenly spaced).
        per_chat: Minimum seconds between two sends to the same chat.
        monotonic: The time source (seconds); tests pass a fake one.
        sleep: How to wait; tests pass one that moves the fake time.
    """

    def __init__(
        self,
        rate: float,
        per_chat: float = 1.0,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.per_chat = per_chat
        self._interval = 1.0 / rate
        self._monotonic = monotonic
        self._sleep = sleep
        self._next = 0.0
        self._paused_until = 0.0
        self._chats: dict[str, float] = {}
        self._pruned = 0.0

    async def acquire(self, chat_id: str) -> None:
        """Wait until a message may be sent to ``chat_id``, and book that moment."""
        while True:
            now = self._monotonic()
            wait = max(self._chats.get(chat_id, 0.0), self._paused_until) - now
            if wait <= 0:
                break
            await self._sleep(wait)
        slot = max(now, self._next)
        self._next = slot + self._interval
        self._chats[chat_id] = slot + self.per_chat
        self._prune(now)
        if slot > now:
            await self._sleep(slot - now)

    def pause(self, seconds: float, chat_id: str | None = None) -> None:
        """The platform said "retry after ``seconds``": hold that chat, or everything."""
        until = self._monotonic() + max(0.0, seconds)
        if chat_id is None:
            self._paused_until = max(self._paused_until, until)
            self._next = max(self._next, until)
        else:
            self._chats[chat_id] = max(self._chats.get(chat_id, 0.0), until)

    @property
    def paused_for(self) -> float:
        """Seconds left of an overall pause (0 when none)."""
        return max(0.0, self._paused_until - self._monotonic())

    def _prune(self, now: float) -> None:
        if now - self._pruned < 60 or len(self._chats) < 10_000:
            return
        self._pruned = now
        self._chats = {chat: t for chat, t in self._chats.items() if t > now}
