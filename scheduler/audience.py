"""Who is told: each chat with the subscriptions behind it (or the staff channel), and the
outbox row planned for one of them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.db.outbox import Planned
from bot.db.subscriptions import Recipient, active_recipients
from content.index import ContentItem
from content.schema import plain_slug

__all__ = [
    "Chat",
    "ItemRef",
    "Occurrence",
    "chats_of",
    "covers",
    "planned",
    "subscribed_chats",
    "unsub_action",
]

MISSED = "missed: no longer useful"


@dataclass(frozen=True)
class ItemRef:
    """What :func:`covers` needs of an item that may no longer be in the live content."""

    slug: str
    kind: str
    themes: tuple[str, ...]


def covers(target_kind: str, target: str, item: ContentItem | ItemRef) -> bool:
    """Whether a subscription to ``(target_kind, target)`` is about ``item``.

    Plans recur: a subscription to an item covers the item of the same slug in the other
    plans (``statutory`` and ``statutory@2020``), and one to a theme covers the items of every
    plan tagged with it.
    """
    if target_kind == "item":
        return plain_slug(item.slug) == plain_slug(target)
    if target_kind == "theme":
        theme = plain_slug(target)
        return theme in item.themes or plain_slug(item.slug) == theme
    if target_kind == "all_events":
        return item.kind == "event"
    return False


@dataclass
class Chat:
    """One chat to tell things: a subscriber's, with everything it subscribed to, or the
    staff channel (``staff``), which hears of every event and has no subscriptions."""

    platform: str
    chat_id: str
    user_id: int | None
    language: str
    tz: ZoneInfo
    subs: list[Recipient] = field(default_factory=list)
    staff: bool = False

    def covering(self, item: ContentItem | ItemRef, at: datetime) -> list[Recipient]:
        """The subscriptions (begun by ``at``) that make this chat hear of ``item``."""
        return [
            s for s in self.subs if s.created_at <= at and covers(s.target_kind, s.target, item)
        ]

    def digest(self, at: datetime) -> Recipient | None:
        """The chat's weekly-digest subscription, if it had one by ``at``."""
        return next(
            (s for s in self.subs if s.target_kind == "digest" and s.created_at <= at), None
        )


def chats_of(recipients: Iterable[Recipient]) -> dict[tuple[str, str], Chat]:
    """Active subscriptions grouped by the chat they are delivered to."""
    chats: dict[tuple[str, str], Chat] = {}
    for r in recipients:
        chat = chats.get((r.platform, r.chat_id))
        if chat is None:
            chat = chats[(r.platform, r.chat_id)] = Chat(
                r.platform, r.chat_id, r.user_id, r.language, ZoneInfo(r.timezone)
            )
        chat.subs.append(r)
    return chats


async def subscribed_chats(
    session: AsyncSession, settings: Settings, target_kinds: Sequence[str] | None = None
) -> dict[tuple[str, str], Chat]:
    """The chats of every active subscription (of ``target_kinds``), in the users' language
    and time zone (the settings' defaults where a user has none)."""
    recipients = await active_recipients(
        session,
        default_language=settings.default_language,
        default_timezone=settings.timezone,
        target_kinds=target_kinds,
    )
    return chats_of(recipients)


def unsub_action(subs: Sequence[Recipient]) -> str:
    """The button that stops what these subscriptions send (the list, when several)."""
    if len({(s.target_kind, s.target) for s in subs}) != 1:
        return "cmd:subscriptions"
    sub = subs[0]
    if sub.target_kind == "all_events":
        return "unsub:all"
    if sub.target_kind == "digest":
        return "unsub:digest"
    return f"unsub:{sub.target}"


@dataclass(frozen=True)
class Occurrence:
    """One thing due for a chat: what, which occurrence, when, until when it is useful."""

    kind: str
    item: str | None
    key: str
    due: datetime
    expires: datetime
    payload: dict[str, Any]


def planned(chat: Chat, what: Occurrence, now: datetime, subs: Sequence[Recipient] = ()) -> Planned:
    """The outbox row telling ``chat`` of ``what``; ``skipped`` (missed) when it is no longer
    useful at ``now``. A subscriber's row records the subscriptions behind it and a button
    to stop them; the staff channel's has neither."""
    missed = now >= what.expires
    extra: dict[str, Any] = {"tz": chat.tz.key}
    if not chat.staff:
        extra |= {"subs": [s.subscription_id for s in subs], "unsub": unsub_action(subs)}
    return Planned(
        kind=what.kind,
        item_slug=what.item,
        occurrence=what.key,
        platform=chat.platform,
        chat_id=chat.chat_id,
        language=chat.language,
        due_at=what.due,
        expires_at=what.expires,
        payload={**what.payload, **extra},
        user_id=chat.user_id,
        subscription_id=subs[0].subscription_id if subs else None,
        status="skipped" if missed else "pending",
        reason=MISSED if missed else None,
    )
