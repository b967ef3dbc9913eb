"""Personal calendar feeds: tokens, who owns one, what they follow, and the feed links.

A token is ``secrets.token_urlsafe(32)`` (256 random bits, 43 characters), stored as is in
``users.calendar_token`` (unique, so indexed). It says nothing about its owner, and
``/calendar reset`` replaces it, which turns the old link off at once.

Looking a token up (:func:`feed_owner`) does the same work whether the token is known, unknown
or malformed, so that its duration tells an attacker nothing about how close a guess was:

- one indexed query ``WHERE calendar_token = :token``, always; a malformed token (wrong
  length or characters) is swapped for a same-length random stand-in that matches no row,
  so the query still runs;
- then one constant-time comparison, :func:`hmac.compare_digest`, of the given token with the
  stored one, or with the stand-in when no row came back; no ``==`` on the secret and no
  early return before it.

Whether the token is valid is not secret: the answer (a feed or 404) says it. What must
not leak is *how nearly* a wrong token matches, which is what lets an attacker guess a
secret piece by piece; the database's own index search compares bytes too, but a few
nanoseconds per byte vanish in the noise of a network request and a 256-bit random token
cannot be walked towards by its prefix. See docs/calendars.md and
``bench/calendar_token_timing.py``.
"""

from __future__ import annotations

import hmac
import re
import secrets
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.engine import Database
from bot.db.models import Subscription, User

__all__ = [
    "TOKEN_BYTES",
    "FeedOwner",
    "calendar_of",
    "feed_owner",
    "new_token",
    "personal_url",
    "plan_url",
    "reset_token",
    "revoke_token",
    "subscriptions_of",
    "token_for",
]

TOKEN_BYTES = 32
TOKEN_LENGTH = len(secrets.token_urlsafe(TOKEN_BYTES))  # 43
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]+")
# Subscription kinds that put items in a personal feed (the weekly digest does not).
FEED_TARGETS = ("item", "theme", "all_events")


def new_token() -> str:
    """A fresh, random calendar token."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def personal_url(base_url: str, token: str) -> str:
    """The address of a personal feed."""
    return f"{base_url.rstrip('/')}/calendar/{quote(token, safe='')}.ics"


def plan_url(base_url: str, language: str, year: int | None = None) -> str:
    """The address of the feed of every plan (or of the plan of ``year``) in ``language``."""
    url = f"{base_url.rstrip('/')}/calendar.ics?lang={quote(language, safe='')}"
    return url if year is None else f"{url}&year={year}"


@dataclass(frozen=True, slots=True)
class FeedOwner:
    """The user a valid token belongs to, with what their feed needs."""

    user_id: int
    language: str | None


async def feed_owner(db: Database, token: str) -> FeedOwner | None:
    """The owner of ``token``, or ``None`` if it is unknown, revoked or malformed.

    Takes the same steps for every input (see the module's docstring).
    """
    # A random stand-in of the right shape, drawn on every call: it replaces a malformed
    # token in the query, and an absent row in the comparison, so every path does the same.
    stand_in = new_token()
    well_formed = len(token) == TOKEN_LENGTH and _TOKEN_SHAPE.fullmatch(token) is not None
    probe = token if well_formed else stand_in
    async with db.read() as session:
        row = (
            await session.execute(
                select(User.id, User.calendar_token, User.language_choice, User.language).where(
                    User.calendar_token == probe
                )
            )
        ).first()
    stored = row.calendar_token if row is not None else stand_in
    same = hmac.compare_digest(stored.encode(), probe.encode())
    # Both conditions are evaluated whatever the first says (``&``, not ``and``).
    if not (same & well_formed & (row is not None)):
        return None
    assert row is not None
    return FeedOwner(user_id=row.id, language=row.language_choice or row.language)


async def token_for(db: Database, user_id: int) -> str:
    """The user's token, created on first use."""
    # Most calls find the token: a read, without SQLite's write lock.
    async with db.read() as session:
        current = await session.scalar(select(User.calendar_token).where(User.id == user_id))
    return current or await _create_token(db, user_id)


async def calendar_of(db: Database, user_id: int) -> tuple[str, list[tuple[str, str]]]:
    """The user's token (created on first use) and their subscriptions that feed a
    calendar (see :func:`subscriptions_of`), read in one transaction."""
    async with db.read() as session:
        current = await session.scalar(select(User.calendar_token).where(User.id == user_id))
        subscriptions = await _feeding(session, user_id)
    return current or await _create_token(db, user_id), subscriptions


async def _create_token(db: Database, user_id: int) -> str:
    # Two concurrent first calls agree on one token: the update only fills an empty column,
    # and both read back what was stored.
    async with db.write() as session:
        current = await session.scalar(select(User.calendar_token).where(User.id == user_id))
        if current:
            return current
        await session.execute(
            update(User)
            .where(User.id == user_id, User.calendar_token.is_(None))
            .values(calendar_token=new_token())
        )
        stored = await session.scalar(select(User.calendar_token).where(User.id == user_id))
    if not stored:
        raise LookupError(f"no user {user_id}")
    return stored


async def reset_token(db: Database, user_id: int) -> str:
    """Replace the user's token: the old link stops working at once."""
    token = new_token()
    async with db.write() as session:
        result = await session.execute(
            update(User).where(User.id == user_id).values(calendar_token=token)
        )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise LookupError(f"no user {user_id}")
    return token


async def revoke_token(db: Database, user_id: int) -> None:
    """Turn the user's feed off (no new link until they ask for one)."""
    async with db.write() as session:
        await session.execute(update(User).where(User.id == user_id).values(calendar_token=None))


async def subscriptions_of(db: Database, user_id: int) -> list[tuple[str, str]]:
    """The user's active subscriptions that feed a calendar, as ``(target_kind, target)``."""
    async with db.read() as session:
        return await _feeding(session, user_id)


async def _feeding(session: AsyncSession, user_id: int) -> list[tuple[str, str]]:
    rows = await session.execute(
        select(Subscription.target_kind, Subscription.target)
        .where(
            Subscription.user_id == user_id,
            Subscription.active.is_(True),
            Subscription.target_kind.in_(FEED_TARGETS),
        )
        .order_by(Subscription.id)
    )
    return [(kind, target) for kind, target in rows.all()]
