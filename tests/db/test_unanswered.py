"""The unanswered log: what members asked that the bot did not understand, with no trace of
who asked, kept 90 days, read by frequency (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, inspect, select

from bot.db.engine import Database
from bot.db.models import Unanswered
from bot.db.unanswered import KEEP, UnansweredLog

NOW = datetime(2019, 5, 20, 10, tzinfo=UTC)


def _record(log: UnansweredLog, text: str, *, language: str = "en", days: int = 0) -> str:
    return log.record(
        text,
        key=text.lower(),
        language=language,
        platform="telegram",
        kind="fallback",
        at=NOW - timedelta(days=days),
    )


async def _count(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(Unanswered)) or 0)


def test_no_column_can_say_who_asked() -> None:
    columns = {c.name for c in inspect(Unanswered).columns}
    assert columns == {"id", "token", "text", "folded", "language", "platform", "kind", "at"}


async def test_the_most_asked_first(db: Database) -> None:
    log = UnansweredLog(db, delay=60)
    for _ in range(3):
        _record(log, "Weather in Paris?")
    _record(log, "weather in paris?", days=1)
    _record(log, "¿Dónde aparco?", language="es")
    _record(log, "old question", days=40)
    found = await log.most_asked(since=NOW - timedelta(days=30))
    assert [(a.text, a.language, a.count) for a in found] == [
        ("Weather in Paris?", "en", 4),
        ("¿Dónde aparco?", "es", 1),
    ]
    assert found[0].last == NOW and found[0].last.tzinfo is not None
    await log.close()


async def test_a_picked_did_you_mean_is_taken_out(db: Database) -> None:
    log = UnansweredLog(db, delay=60)
    queued = _record(log, "megga")
    log.forget(queued)  # picked before it was written: never written
    written = _record(log, "metro airprot")
    await log.flush()
    assert await _count(db) == 1
    log.forget(written)  # picked after: deleted
    await log.flush()
    assert await _count(db) == 0
    await log.close()


async def test_entries_are_kept_ninety_days(db: Database) -> None:
    log = UnansweredLog(db, delay=60)
    _record(log, "too old", days=KEEP.days + 1)
    _record(log, "recent", days=KEEP.days - 1)
    await log.flush()
    assert await log.prune(now=NOW) == 1
    assert await _count(db) == 1
    await log.close()
