"""Subscriptions: who wants to hear about what, on which chat; and each user's time zone.

Target kinds: ``item`` (one pilot project, event or action, by slug), ``theme`` (a theme
slug: everything tagged with it), ``all_events`` (target ``"*"``) and ``digest`` (the weekly
digest, target ``"*"``). Every function takes an open session; the caller owns the
transaction (use :meth:`bot.db.engine.Database.write`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Subscription, User, utcnow

__all__ = [
    "TARGET_KINDS",
    "Recipient",
    "active_recipients",
    "active_subscriptions",
    "deactivate_chat",
    "find_timezone",
    "set_timezone",
    "subscribe",
    "unsubscribe",
    "unsubscribe_all",
]

TARGET_KINDS = ("item", "theme", "all_events", "digest")


@dataclass(frozen=True, slots=True)
class Recipient:
    """One active subscription with what the planner needs of its user."""

    subscription_id: int
    user_id: int
    platform: str
    chat_id: str
    target_kind: str
    target: str
    language: str
    timezone: str
    created_at: datetime


async def subscribe(
    session: AsyncSession,
    *,
    user_id: int,
    platform: str,
    chat_id: str,
    target_kind: str,
    target: str,
    now: datetime | None = None,
) -> tuple[Subscription, bool]:
    """Subscribe a user (idempotent); returns ``(subscription, newly_active)``.

    An inactive subscription (undone, or deactivated after a delivery error) is made active
    again, on the chat given now. ``now`` (the bot's clock) dates it: reminders that fell
    due before a subscription began are not owed to it.
    """
    now = now or utcnow()
    if target_kind not in TARGET_KINDS:
        raise ValueError(f"unknown target kind {target_kind!r}")
    row = await session.scalar(
        select(Subscription).where(
            Subscription.user_id == user_id,
            Subscription.target_kind == target_kind,
            Subscription.target == target,
        )
    )
    if row is None:
        row = Subscription(
            user_id=user_id,
            target_kind=target_kind,
            target=target,
            platform=platform,
            chat_id=chat_id,
            active=True,
            created_at=now,
        )
        session.add(row)
        await session.flush()
        return row, True
    was_active = row.active
    row.platform, row.chat_id = platform, chat_id
    if not was_active:
        row.active = True
        row.deactivated_reason = None
        # A renewed subscription starts now: what fell due while it was off is not "missed".
        row.created_at = now
    return row, not was_active


async def _deactivate(session: AsyncSession, condition: Any, reason: str) -> int:
    # The one statement that turns subscriptions off (a user's choice or a chat gone), so
    # every way of stopping them records its reason the same way.
    result = await session.execute(
        update(Subscription)
        .where(condition, Subscription.active.is_(True))
        .values(active=False, deactivated_reason=reason[:64])
    )
    return int(result.rowcount or 0)


async def unsubscribe(
    session: AsyncSession, *, user_id: int, target_kind: str, target: str, reason: str = "user"
) -> bool:
    """Deactivate one subscription; returns whether an active one was found."""
    mine = (
        (Subscription.user_id == user_id)
        & (Subscription.target_kind == target_kind)
        & (Subscription.target == target)
    )
    return bool(await _deactivate(session, mine, reason))


async def unsubscribe_all(session: AsyncSession, *, user_id: int, reason: str = "user") -> int:
    """Deactivate every subscription of a user; returns how many were active."""
    return await _deactivate(session, Subscription.user_id == user_id, reason)


async def active_subscriptions(session: AsyncSession, user_id: int) -> list[Subscription]:
    """A user's active subscriptions, oldest first."""
    rows = await session.scalars(
        select(Subscription)
        .where(Subscription.user_id == user_id, Subscription.active.is_(True))
        .order_by(Subscription.id)
    )
    return list(rows.all())


async def deactivate_chat(session: AsyncSession, platform: str, chat_id: str, reason: str) -> int:
    """Deactivate every subscription delivered to a chat that is gone (blocked, not found)."""
    chat = (Subscription.platform == platform) & (Subscription.chat_id == chat_id)
    return await _deactivate(session, chat, reason)


# The fields of a Recipient that are the subscription's columns as they are.
_AS_STORED = ("user_id", "platform", "chat_id", "target_kind", "target", "created_at")


async def active_recipients(
    session: AsyncSession,
    *,
    default_language: str,
    default_timezone: str,
    target_kinds: Sequence[str] | None = None,
) -> list[Recipient]:
    """Every active subscription with its user's language and time zone."""
    query = (
        select(Subscription, User.language_choice, User.language, User.timezone)
        .join(User, User.id == Subscription.user_id)
        .where(Subscription.active.is_(True))
        .order_by(Subscription.id)
    )
    if target_kinds is not None:
        query = query.where(Subscription.target_kind.in_(tuple(target_kinds)))
    found = []
    for sub, choice, language, timezone in (await session.execute(query)).all():
        found.append(
            Recipient(
                **{name: getattr(sub, name) for name in _AS_STORED},
                subscription_id=sub.id,
                language=choice or language or default_language,
                timezone=_valid_tz(timezone) or default_timezone,
            )
        )
    return found


def _valid_tz(name: str | None) -> str | None:
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


_ZONES: dict[str, str] | None = None


def find_timezone(text: str) -> str | None:
    """The IANA time zone named in ``text`` (``"europe/paris"``, ``"Paris"``, ``"UTC"``), if any.

    Case does not matter; a bare city matches when exactly one zone ends with it.
    """
    global _ZONES
    if _ZONES is None:
        _ZONES = {zone.casefold(): zone for zone in available_timezones()}
    raw = text.strip().strip(".!?¿¡").replace(" ", "_")
    if not raw:
        return None
    exact = _ZONES.get(raw.casefold())
    if exact:
        return exact
    tail = "/" + raw.casefold()
    ends = sorted(
        zone
        for key, zone in _ZONES.items()
        if key.endswith(tail) and not key.startswith(("etc/", "posix/", "right/"))
    )
    return ends[0] if len(ends) == 1 else None


async def set_timezone(session: AsyncSession, user_id: int, timezone: str) -> None:
    """Store a user's time zone (an IANA name, already validated)."""
    ZoneInfo(timezone)
    await session.execute(update(User).where(User.id == user_id).values(timezone=timezone))
