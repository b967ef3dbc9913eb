"""Named leases: one holder at a time, renewals, expiry hands over, the service follows."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.db.engine import Database
from bot.db.leases import LeasedService, acquire, holder, release
from bot.db.models import utcnow


async def test_one_holder_renewals_and_expiry(db: Database) -> None:
    t0 = utcnow()
    assert await acquire(db, "sender:telegram", "a", ttl=10, now=t0)
    assert not await acquire(db, "sender:telegram", "b", ttl=10, now=t0 + timedelta(seconds=1))
    assert await acquire(db, "sender:telegram", "a", ttl=10, now=t0 + timedelta(seconds=5))
    # a renewed until t0+15: b still waits at t0+12, takes over at t0+16.
    assert not await acquire(db, "sender:telegram", "b", ttl=10, now=t0 + timedelta(seconds=12))
    assert await acquire(db, "sender:telegram", "b", ttl=10, now=t0 + timedelta(seconds=16))
    info = await holder(db, "sender:telegram")
    assert info is not None and info.owner == "b"
    assert info.acquired_at == t0 + timedelta(seconds=16)
    assert info.until == t0 + timedelta(seconds=26)
    # Other names are independent.
    assert await acquire(db, "sender:slack", "a", ttl=10, now=t0 + timedelta(seconds=16))


async def test_renewal_keeps_the_first_acquisition_time(db: Database) -> None:
    t0 = utcnow()
    await acquire(db, "x", "a", ttl=10, now=t0)
    await acquire(db, "x", "a", ttl=10, now=t0 + timedelta(seconds=3))
    info = await holder(db, "x")
    assert info is not None and info.acquired_at == t0
    assert info.held(t0 + timedelta(seconds=12)) and not info.held(t0 + timedelta(seconds=14))


async def test_release_only_by_its_holder(db: Database) -> None:
    assert await acquire(db, "x", "a", ttl=60)
    assert not await release(db, "x", "b")
    assert await release(db, "x", "a")
    assert await holder(db, "x") is None
    assert await acquire(db, "x", "b", ttl=60)


async def test_racing_processes_one_wins(database_url: str, db: Database) -> None:
    others = [Database(database_url) for _ in range(6)]
    try:
        won = await asyncio.gather(
            *(acquire(other, "sender:telegram", f"p{i}", ttl=30) for i, other in enumerate(others))
        )
    finally:
        for other in others:
            await other.dispose()
    assert sum(won) == 1
    info = await holder(db, "sender:telegram")
    assert info is not None and info.owner == f"p{won.index(True)}"


class _Recorder:
    name = "recorder"

    def __init__(self) -> None:
        self.events: list[str] = []

    async def start(self) -> None:
        self.events.append("start")

    async def stop(self) -> None:
        self.events.append("stop")


async def _until(predicate, within: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_standby_takes_over_when_the_holder_goes(db: Database) -> None:
    first, second = _Recorder(), _Recorder()
    a = LeasedService(db, "sender:telegram", first, ttl=0.6, owner="a")
    b = LeasedService(db, "sender:telegram", second, ttl=0.6, owner="b")
    await a.start()
    await _until(lambda: a.running)
    await b.start()
    await asyncio.sleep(0.5)
    assert not b.running and second.events == []
    # A clean stop releases at once: b takes over on its next try (every ttl/3).
    await a.stop()
    assert first.events == ["start", "stop"]
    await _until(lambda: b.running, within=2.0)
    await b.stop()
    assert second.events == ["start", "stop"]
    assert await holder(db, "sender:telegram") is None


async def test_a_holder_that_stops_renewing_is_replaced_after_the_ttl(db: Database) -> None:
    # The holder "freezes" (its renew task dies without releasing, like a killed process).
    first, second = _Recorder(), _Recorder()
    a = LeasedService(db, "sender:telegram", first, ttl=0.8, owner="a")
    await a.start()
    await _until(lambda: a.running)
    assert a._task is not None
    a._task.cancel()
    started = asyncio.get_running_loop().time()
    b = LeasedService(db, "sender:telegram", second, ttl=0.8, owner="b")
    await b.start()
    await _until(lambda: b.running, within=3.0)
    waited = asyncio.get_running_loop().time() - started
    assert 0.3 < waited < 2.0
    await b.stop()
