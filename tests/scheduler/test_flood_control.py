"""Flood control: after a 429 with ``retry_after``, nothing more goes to the platform (or to
the chat, for a chat's pause) until ``retry_after`` has passed, not even the send slots the
pacer had already booked (issue 19, item 7)."""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from bot.adapters.telegram.sender import TelegramSender
from bot.core.messages import Address, Reply
from bot.core.ports import SendResult, SystemClock
from bot.db import outbox
from scheduler.pacing import Pacer
from scheduler.senders import DeliveryWorker, SendPolicy
from tests.fakes.telegram_api import TOKEN

from .conftest import MADRID, broadcast
from .limited_fakes import FloodTelegramAPI


class VirtualTime:
    """Time that moves only when every task is asleep; sleepers wake in time order."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        wake = (self.now + max(0.0, seconds), next(self._order), future)
        heapq.heappush(self._sleepers, wake)
        await future

    async def run(self, *steps: Awaitable[None]) -> None:
        tasks = [asyncio.ensure_future(step) for step in steps]
        while not all(task.done() for task in tasks):
            for _ in range(50):  # let every task that can run do so
                await asyncio.sleep(0)
            if self._sleepers:
                at, _, future = heapq.heappop(self._sleepers)
                self.now = max(self.now, at)
                future.set_result(None)
        for task in tasks:
            task.result()


async def _pace(
    time_: VirtualTime,
    pacer: Pacer,
    chats: list[str],
    after_first: Callable[[], None],
) -> list[tuple[str, float]]:
    """Each chat's send goes through the pacer concurrently; the first send "gets a 429"
    50 ms after it went out (``after_first``). Returns (chat, moment it was let through)."""
    granted: list[tuple[str, float]] = []

    async def send(n: int, chat: str) -> None:
        await pacer.acquire(chat)
        granted.append((chat, time_.now))
        if n == 0:
            await time_.sleep(0.05)
            after_first()

    await time_.run(*(send(n, chat) for n, chat in enumerate(chats)))
    return granted


async def test_a_pause_voids_the_slots_already_booked() -> None:
    time_ = VirtualTime()
    pacer = Pacer(10.0, 0.0, monotonic=time_.monotonic, sleep=time_.sleep)
    chats = [f"c{n}" for n in range(8)]  # booked at 0.0, 0.1, … 0.7
    granted = await _pace(time_, pacer, chats, lambda: pacer.pause(1.0))
    moments = sorted(at for _, at in granted)
    assert moments[0] == 0.0
    # Nothing between the 429 (0.05) and the end of its pause (1.05); then evenly spaced.
    assert all(at >= 1.05 - 1e-9 for at in moments[1:]), moments
    assert all(b - a >= 0.1 - 1e-9 for a, b in itertools.pairwise(moments[1:])), moments


async def test_a_chats_pause_holds_that_chat_only() -> None:
    time_ = VirtualTime()
    pacer = Pacer(10.0, 0.0, monotonic=time_.monotonic, sleep=time_.sleep)
    granted = await _pace(time_, pacer, ["x", "y", "x", "z"], lambda: pacer.pause(1.0, "x"))
    in_order = sorted(granted, key=lambda g: g[1])
    # y and z keep their slots (0.1, 0.3); x's second send waits for the end of x's pause.
    assert [chat for chat, _ in in_order] == ["x", "y", "z", "x"]
    assert [at for _, at in in_order] == pytest.approx([0.0, 0.1, 0.3, 1.05])


@dataclass
class _Recording:
    """A sender that notes when each send started and ended, and what came of it."""

    inner: TelegramSender
    platform: str = "telegram"
    sends: list[tuple[float, float, SendResult]] = field(default_factory=list)

    async def send(self, address: Address, reply: Reply) -> SendResult:
        start = time.monotonic()
        result = await self.inner.send(address, reply)
        # Nothing awaits between here and the worker's pacer.pause(): this is the moment
        # the worker learns of a 429.
        self.sends.append((start, time.monotonic(), result))
        return result


async def test_one_429_per_window_against_the_fake_bot_api(db, renderer) -> None:
    clock = SystemClock(MADRID)
    now = clock.now()
    chats = [str(1000 + n) for n in range(30)]
    rows = [broadcast(chat, now, occurrence="flood") for chat in chats]
    await outbox.enqueue(db, rows, now=now)
    async with FloodTelegramAPI(flood_after=5, retry_after=1) as api:
        sender = _Recording(TelegramSender(TOKEN, api.url))
        policy = SendPolicy(rate=40.0, per_chat=0.0, concurrency=8, poll_seconds=0.05)
        worker = DeliveryWorker(db, sender, renderer, clock, policy)
        await worker.start()
        try:
            await api.wait_for(lambda: api.accepted >= len(chats), within=60)
        finally:
            await worker.stop()
            await sender.inner.close()
    # Everyone got their message once; the refused ones were sent again after the pause.
    assert api.delivered == dict.fromkeys(chats, 1)
    assert await outbox.counts(db) == {"pending": 0, "sent": 30, "failed": 0, "skipped": 0}
    limited = [(start, end) for start, end, result in sender.sends if result.retry_after]
    assert limited and len(limited) == len(api.refused) == worker.stats.rate_limited
    learned = min(end for _, end in limited)
    # After the first 429 came back, nothing was sent until retry_after (1 s) had passed…
    assert not [s for s, _, _ in sender.sends if learned <= s < learned + 1.0]
    # …so any other 429 of that window answered a request already on its way.
    assert all(start < learned for start, _ in limited)
