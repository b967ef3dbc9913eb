"""Notices planned at once rather than at a send hour: content changes told to the items'
subscribers (once per item version), and staff updates (once per announcement)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.config import Settings
from bot.db import outbox
from bot.db.engine import Database
from bot.db.models import Announcement, Item
from bot.db.outbox import Planned
from content.index import ContentItem
from content.loader import ContentChange
from content.schema import plain_slug
from scheduler.audience import ItemRef, Occurrence, planned, subscribed_chats

__all__ = ["NOTABLE_FIELDS", "NOTICE_USEFUL", "announce", "plan_changes"]

# Changes subscribers are told about (title or link edits are not news).
NOTABLE_FIELDS = ("status", "when", "place")
NOTICE_USEFUL = timedelta(days=7)
# The subscriptions that hear of an item (the digest hears of it in its own time).
_ITEM_KINDS = ("item", "theme", "all_events")


async def plan_changes(
    db: Database, settings: Settings, changes: Iterable[ContentChange], *, now: datetime
) -> int:
    """Tell the subscribers of each changed item, once per item version.

    Notable: a status that moved (cancelled included), a date set or moved, a new place,
    and an item removed from the plan. Returns how many deliveries were enqueued.
    """
    notable = [
        c
        for c in changes
        if c.change == "removed" or (c.change == "changed" and set(c.fields) & set(NOTABLE_FIELDS))
    ]
    if not notable:
        return 0
    slugs = [c.slug for c in notable]
    rows: list[Planned] = []
    async with db.write() as session:
        items = {
            row.slug: row
            for row in (await session.scalars(select(Item).where(Item.slug.in_(slugs)))).all()
        }
        chats = await subscribed_chats(session, settings, _ITEM_KINDS)
        known = await session.scalars(
            select(Announcement).where(
                Announcement.status == "change", Announcement.target.in_(slugs)
            )
        )
        told = {(a.target, (a.texts or {}).get("version")) for a in known.all()}
        for change in notable:
            row = items.get(change.slug)
            if row is None:
                continue
            version = row.sequence
            payload = {
                "change": change.change,
                "fields": [f for f in change.fields if f in NOTABLE_FIELDS],
                "before": change.before,
                "after": change.after,
                "title": (row.data or {}).get("title") or {},
            }
            if (change.slug, version) not in told:
                session.add(
                    Announcement(
                        author="content",
                        target_kind="item",
                        target=change.slug,
                        texts={"change": payload, "version": version},
                        status="change",
                        created_at=now,
                    )
                )
            ref = ItemRef(row.slug, row.kind, tuple(row.themes or ()))
            notice = Occurrence(
                "change", row.slug, f"v{version}", now, now + NOTICE_USEFUL, payload
            )
            for chat in chats.values():
                subs = chat.covering(ref, now)
                if subs:
                    rows.append(planned(chat, notice, now, subs))
    return await outbox.enqueue(db, rows, now=now)


async def announce(
    db: Database,
    settings: Settings,
    item: ContentItem,
    texts: Mapping[str, str],
    *,
    author: str,
    now: datetime,
) -> tuple[int, int]:
    """Send a staff update about ``item`` (a project, event or theme) to its subscribers.

    Returns ``(announcement id, deliveries enqueued)``.

    Raises:
        ValueError: No text was given.
    """
    texts = {lang: text.strip() for lang, text in texts.items() if text and text.strip()}
    if not texts:
        raise ValueError("an update needs a text")
    target_kind = "theme" if item.kind == "theme" else "item"
    async with db.write() as session:
        announcement = Announcement(
            author=author[:96],
            target_kind=target_kind,
            target=item.slug,
            texts=texts,
            status="published",
            created_at=now,
        )
        session.add(announcement)
        await session.flush()
        announcement_id = announcement.id
        chats = await subscribed_chats(session, settings, _ITEM_KINDS)
    update = Occurrence(
        "update",
        item.slug,
        f"a{announcement_id}",
        now,
        now + NOTICE_USEFUL,
        {"texts": texts, "title": item.title},
    )
    rows = []
    for chat in chats.values():
        if target_kind == "theme":
            theme = item.plain_slug  # the theme of every plan year
            subs = [
                s for s in chat.subs if s.target_kind == "theme" and plain_slug(s.target) == theme
            ]
        else:
            subs = chat.covering(item, now)
        if subs:
            rows.append(planned(chat, update, now, subs))
    return announcement_id, await outbox.enqueue(db, rows, now=now)
