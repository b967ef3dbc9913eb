"""Calendar tokens on the migrated schema, on SQLite and PostgreSQL (the shared ``db`` fixture)."""

from __future__ import annotations

import asyncio
import secrets

from sqlalchemy import text

from bot.calendars import (
    TOKEN_LENGTH,
    feed_owner,
    reset_token,
    revoke_token,
    subscriptions_of,
    token_for,
)
from bot.db.engine import Database
from bot.db.models import Subscription, User


async def _user(db: Database, name: str, language: str | None = "en") -> int:
    async with db.write() as session:
        user = User(platform="slack", platform_user_id=name, chat_id=name, language=language)
        session.add(user)
        await session.flush()
        return user.id


async def test_token_life(db: Database) -> None:
    user = await _user(db, "U1", "fr")
    other = await _user(db, "U2")
    token = await token_for(db, user)
    assert len(token) == TOKEN_LENGTH == 43
    assert await token_for(db, user) == token
    assert await token_for(db, other) != token
    owner = await feed_owner(db, token)
    assert owner is not None and (owner.user_id, owner.language) == (user, "fr")

    new = await reset_token(db, user)
    assert await feed_owner(db, token) is None
    assert (await feed_owner(db, new)).user_id == user  # type: ignore[union-attr]
    await revoke_token(db, user)
    assert await feed_owner(db, new) is None
    for wrong in (secrets.token_urlsafe(32), new[:-1] + "~", "", "x" * 43, new.upper()):
        if wrong != new:
            assert await feed_owner(db, wrong) is None


async def test_concurrent_first_requests_agree_on_one_token(db: Database) -> None:
    user = await _user(db, "U3")
    tokens = await asyncio.gather(*(token_for(db, user) for _ in range(8)))
    assert len(set(tokens)) == 1
    assert (await feed_owner(db, tokens[0])).user_id == user  # type: ignore[union-attr]


async def test_subscriptions_that_feed_a_calendar(db: Database) -> None:
    user = await _user(db, "U4")
    async with db.write() as session:
        for kind, target, active in (
            ("item", "mega", True),
            ("theme", "mobility", True),
            ("all_events", "*", True),
            ("digest", "*", True),
            ("item", "old", False),
        ):
            session.add(
                Subscription(
                    user_id=user,
                    target_kind=kind,
                    target=target,
                    platform="slack",
                    chat_id="U4",
                    active=active,
                )
            )
    assert await subscriptions_of(db, user) == [
        ("item", "mega"),
        ("theme", "mobility"),
        ("all_events", "*"),
    ]


async def test_the_lookup_uses_the_index(db: Database) -> None:
    query = "SELECT id FROM users WHERE calendar_token = 'abc'"
    async with db.read() as session:
        if db.is_sqlite:
            plan = " ".join(
                str(row) for row in (await session.execute(text(f"EXPLAIN QUERY PLAN {query}")))
            )
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
        else:
            # With a handful of rows the planner prefers a scan; forbid it to see the index.
            await session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = " ".join(str(row) for row in (await session.execute(text(f"EXPLAIN {query}"))))
            assert "Index" in plan, plan
