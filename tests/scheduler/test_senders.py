"""The send loop with a fake sender and fake time: pacing, 429s, Forbidden, retries, failure."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.core.ports import SendResult
from bot.db import outbox
from bot.db.models import Subscription
from bot.db.outbox import Planned
from scheduler.pacing import Pacer

from .conftest import MADRID, FakeSender, FakeTime, add_sub, add_user, broadcast

NOW = datetime(2019, 6, 5, 9, 0, tzinfo=MADRID)


def _broadcast(chat: str, occurrence: str = "b1", **kw) -> Planned:
    return broadcast(chat, kw.pop("due_at", NOW), occurrence=occurrence, **kw)


async def _until_done(worker, fake_time: FakeTime, *, limit: float = 3600.0) -> None:
    """Drain, let fake time pass, drain again, until nothing is pending (or ``limit`` s)."""
    start = fake_time.now()
    while (await outbox.counts(worker.db, platform=worker.platform))["pending"]:
        await worker.drain()
        await fake_time.sleep(1.0)
        assert (fake_time.now() - start).total_seconds() < limit, "did not finish"


async def test_pacer_spaces_sends_overall_and_per_chat():
    time = FakeTime(NOW)
    pacer = Pacer(25.0, 1.0, monotonic=time.monotonic, sleep=time.sleep)
    stamps = []
    for n in range(50):
        await pacer.acquire(str(n))
        stamps.append(time.monotonic())
    assert stamps[-1] - stamps[0] >= 49 / 25 - 1e-3
    same = []
    for _ in range(3):
        await pacer.acquire("same")
        same.append(time.monotonic())
    assert same[1] - same[0] >= 1.0 - 1e-3 and same[2] - same[1] >= 1.0 - 1e-3


async def test_all_sent_once_and_paced(db, make_worker, fake_time):
    fake_time.set(NOW)
    await outbox.enqueue(db, [_broadcast(str(n)) for n in range(100)], now=NOW)
    sender = FakeSender()
    worker = make_worker(sender, rate=25.0)
    await worker.drain()
    assert sorted(chat for chat, _ in sender.sent) == sorted(str(n) for n in range(100))
    assert fake_time.slept >= 99 / 25 - 1e-6
    assert (await outbox.counts(db))["sent"] == 100


async def test_a_429_storm_is_waited_out_without_failing_anything(db, make_worker, fake_time):
    fake_time.set(NOW)
    await outbox.enqueue(db, [_broadcast(str(n)) for n in range(20)], now=NOW)
    times: list[tuple[float, bool]] = []

    def script(address, call):
        storm = call <= 30
        times.append((fake_time.monotonic(), storm))
        return SendResult(ok=False, retry_after=5, error="429") if storm else SendResult(ok=True)

    sender = FakeSender(script=script)
    worker = make_worker(sender, max_attempts=3)
    await _until_done(worker, fake_time)
    assert sorted(chat for chat, _ in sender.sent) == sorted(str(n) for n in range(20))
    assert await outbox.counts(db) == {"pending": 0, "sent": 20, "failed": 0, "skipped": 0}
    assert worker.stats.rate_limited == 30
    # After each 429 the whole platform waited retry_after before the next call.
    for (at, limited), (next_at, _) in itertools.pairwise(times):
        if limited:
            assert next_at - at >= 5 - 1e-6


async def test_a_forbidden_user_is_deactivated_and_others_still_get_theirs(
    db, make_worker, fake_time, planner
):
    fake_time.set(NOW)
    blocked = await add_user(db, "666")
    fine = await add_user(db, "777")
    early = datetime(2019, 5, 1, tzinfo=MADRID)
    for user in (blocked, fine):
        await add_sub(db, user, "item", "ema-forum-2019", at=early)
        await add_sub(db, user, "digest", at=early)
    await planner.tick(datetime(2019, 6, 4, 12, tzinfo=MADRID))
    await planner.tick(datetime(2019, 6, 5, 9, 0, 5, tzinfo=MADRID))

    def script(address, call):
        if address.chat_id == "666":
            return SendResult(ok=False, permanent=True, error="forbidden: bot was blocked")
        return SendResult(ok=True)

    sender = FakeSender(script=script)
    await make_worker(sender).drain()
    assert [chat for chat, _ in sender.sent] == ["777"]
    async with db.read() as session:
        found = (await session.scalars(select(Subscription))).all()
        subs = {(s.user_id, s.target_kind): s.active for s in found}
    assert subs == {
        (blocked, "item"): False,
        (blocked, "digest"): False,
        (fine, "item"): True,
        (fine, "digest"): True,
    }
    # Nothing more is planned for the blocked chat (the digest of Monday 10 June and the
    # day-before reminder of 11 June go to the other one only).
    await planner.tick(datetime(2019, 6, 11, 9, 1, tzinfo=MADRID))
    fake_time.set(datetime(2019, 6, 11, 9, 2, tzinfo=MADRID))
    await make_worker(sender).drain()
    assert [chat for chat, _ in sender.sent] == ["777", "777", "777"]
    failed = await outbox.failed_deliveries(db)
    assert [(f.chat_id, f.last_error) for f in failed] == [("666", "forbidden: bot was blocked")]


async def test_a_delivery_fails_after_the_last_attempt_with_growing_backoff(
    db, make_worker, fake_time
):
    fake_time.set(NOW)
    await outbox.enqueue(db, [_broadcast("1"), _broadcast("2")], now=NOW)
    attempts: list[float] = []

    def script(address, call):
        if address.chat_id == "1":
            attempts.append(fake_time.monotonic())
            return SendResult(ok=False, error="network: 502 Bad Gateway")
        return SendResult(ok=True)

    sender = FakeSender(script=script)
    worker = make_worker(sender, max_attempts=4, backoff_base=5.0)
    await _until_done(worker, fake_time)
    assert len(attempts) == 4
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert gaps == sorted(gaps) and gaps[0] >= 4.0
    counts = await outbox.counts(db)
    assert counts == {"pending": 0, "sent": 1, "failed": 1, "skipped": 0}
    (failed,) = await outbox.failed_deliveries(db)
    assert (failed.attempts, failed.last_error) == (4, "network: 502 Bad Gateway")


async def test_a_sender_that_raises_counts_as_an_error(db, make_worker, fake_time):
    fake_time.set(NOW)
    await outbox.enqueue(db, [_broadcast("1")], now=NOW)

    class Broken(FakeSender):
        async def send(self, address, reply):
            raise RuntimeError("boom")

    worker = make_worker(Broken(), max_attempts=2)
    await _until_done(worker, fake_time)
    (failed,) = await outbox.failed_deliveries(db)
    assert failed.last_error == "RuntimeError: boom"


async def test_rows_past_their_use_are_skipped_not_sent(db, make_worker, fake_time):
    await outbox.enqueue(
        db, [_broadcast("1", expires_at=NOW + timedelta(minutes=1)), _broadcast("2")], now=NOW
    )
    fake_time.set(NOW + timedelta(minutes=2))
    sender = FakeSender()
    await make_worker(sender).drain()
    assert [chat for chat, _ in sender.sent] == ["2"]
    assert (await outbox.counts(db))["skipped"] == 1


async def test_the_running_worker_delivers_and_stops_cleanly(db, renderer):
    import asyncio

    from bot.core.ports import SystemClock
    from scheduler.senders import DeliveryWorker, SendPolicy

    clock = SystemClock(MADRID)
    now = clock.now()
    rows = [_broadcast(str(n), due_at=now, expires_at=now + timedelta(hours=1)) for n in range(40)]
    await outbox.enqueue(db, rows, now=now)
    sender = FakeSender()
    worker = DeliveryWorker(
        db, sender, renderer, clock, SendPolicy(rate=400.0, concurrency=4, poll_seconds=0.05)
    )
    await worker.start()
    for _ in range(200):
        if len(sender.sent) == 40:
            break
        await asyncio.sleep(0.02)
    await worker.stop()
    assert sorted(chat for chat, _ in sender.sent) == sorted(str(n) for n in range(40))
    assert (await outbox.counts(db))["sent"] == 40
