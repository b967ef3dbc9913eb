"""Pacing sends under a platform's limits: an overall rate and a minimum gap per chat.

Reservation-based: each :meth:`Pacer.acquire` books the next free slot and sleeps until it,
so concurrent workers never burst. Waiting for a busy chat happens *before* booking an
overall slot, so one busy chat does not hold up the others.

Flood control: after the platform answers "retry after N seconds" (:meth:`Pacer.pause`),
nothing more goes out until the N seconds have passed, not even the slots already booked:
a task that wakes up for a booked slot the pause now covers gives the slot up and waits
for the end of the pause. (Sending on during flood control is what makes Telegram lengthen
it; before this, one 429 window drew eight more 429s from the slots already booked.) Only a
request already on its way when the 429 came back can still meet the same window.
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
        self._chats: dict[str, float] = {}  # the next free moment per chat (booked)
        self._held: dict[str, float] = {}  # per-chat pauses the platform asked for
        self._pruned = 0.0

    async def acquire(self, chat_id: str) -> None:
        """Wait until a message may be sent to ``chat_id``, and book that moment.

        If a pause comes while this waits for its slot (a 429 to another send), the slot is
        given up and the wait starts again after the pause.
        """
        while True:
            now = self._monotonic()
            free = max(
                self._chats.get(chat_id, 0.0), self._held.get(chat_id, 0.0), self._paused_until
            )
            if free > now:
                await self._sleep(free - now)
                continue
            slot = max(now, self._next)
            booked = self._chats.get(chat_id)
            self._next = slot + self._interval
            self._chats[chat_id] = slot + self.per_chat
            self._prune(now)
            if slot <= now:
                return  # no wait, so no pause can have come in between
            await self._sleep(slot - now)
            if not self._covers(chat_id, slot):
                return
            # Paused while waiting: this slot may not be used. Give the chat's booking back
            # (the overall schedule already restarts at the end of the pause).
            if booked is None:
                self._chats.pop(chat_id, None)
            else:
                self._chats[chat_id] = booked

    def _covers(self, chat_id: str, slot: float) -> bool:
        """Whether a pause (overall, or of this chat) lasts beyond ``slot``."""
        return max(self._paused_until, self._held.get(chat_id, 0.0)) > slot

    def pause(self, seconds: float, chat_id: str | None = None) -> None:
        """The platform said "retry after ``seconds``": hold that chat, or everything."""
        until = self._monotonic() + max(0.0, seconds)
        if chat_id is None:
            self._paused_until = max(self._paused_until, until)
            self._next = max(self._next, until)
        else:
            self._held[chat_id] = max(self._held.get(chat_id, 0.0), until)

    @property
    def paused_for(self) -> float:
        """Seconds left of an overall pause (0 when none)."""
        return max(0.0, self._paused_until - self._monotonic())

    def _prune(self, now: float) -> None:
        if now - self._pruned < 60 or len(self._chats) + len(self._held) < 10_000:
            return
        self._pruned = now
        self._chats = {chat: t for chat, t in self._chats.items() if t > now}
        self._held = {chat: t for chat, t in self._held.items() if t > now}
