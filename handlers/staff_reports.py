"""Staff reports: ``/stats``, ``/failed``, ``/retry``, ``/audit``."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select, update

from bot.core.context import Context
from bot.core.messages import Reply
from bot.db import audit
from bot.db.heartbeat import last
from bot.db.models import Delivery, Subscription
from bot.db.subscriptions import active_recipients
from bot.understanding.reading import Reading
from handlers.staff_common import (
    log_action,
    staff_only,
)

__all__ = ["failed", "retry", "show_audit", "stats"]


# -- /stats, /failed, /retry, /audit --------------------------------------------------------------


@staff_only("stats")
async def stats(ctx: Context, reading: Reading) -> list[Reply]:
    """Subscribers per item, platform and language; deliveries of the last 7 days; last tick."""
    since = ctx.now - timedelta(days=7)
    async with ctx.db.read() as session:
        recipients = await active_recipients(
            session,
            default_language=ctx.settings.default_language,
            default_timezone=ctx.settings.timezone,
        )
        deliveries = dict(
            (
                await session.execute(
                    select(Delivery.status, func.count())
                    .where(Delivery.created_at >= since)
                    .group_by(Delivery.status)
                )
            ).all()
        )
        total_subs = await session.scalar(
            select(func.count()).select_from(Subscription).where(Subscription.active.is_(True))
        )
    per_item = Counter(f"{r.target_kind}:{r.target}" for r in recipients)
    per_place = Counter((r.platform, r.language) for r in recipients)
    items = "\n".join(f"• {target}: {n}" for target, n in per_item.most_common(15)) or "—"
    places = "\n".join(f"• {p} · {lang}: {n}" for (p, lang), n in sorted(per_place.items()))
    beat = await last(ctx.db, "clock")
    tick = beat.at.astimezone(ctx.user_tz).strftime("%Y-%m-%d %H:%M") if beat else "—"
    await log_action(ctx, "stats")
    text = ctx.t(
        "staff.stats.body",
        total=int(total_subs or 0),
        items=items,
        platforms=places or "—",
        sent=int(deliveries.get("sent", 0)),
        pending=int(deliveries.get("pending", 0)),
        failed=int(deliveries.get("failed", 0)),
        tick=tick,
    )
    return [ctx.reply(text, title=ctx.t("staff.stats.title"))]


@staff_only("failed")
async def failed(ctx: Context, reading: Reading) -> list[Reply]:
    """The latest failed deliveries."""
    async with ctx.db.read() as session:
        rows = (
            await session.scalars(
                select(Delivery)
                .where(Delivery.status == "failed")
                .order_by(Delivery.id.desc())
                .limit(20)
            )
        ).all()
    await log_action(ctx, "failed", recipients=len(rows))
    if not rows:
        return [ctx.reply(ctx.t("staff.failed.none"))]
    lines = "\n".join(
        f"• #{d.id} {d.kind} {d.item_slug or ''} → {d.platform} ({(d.last_error or '?')[:80]})"
        for d in rows
    )
    return [ctx.reply(ctx.t("staff.failed.list", lines=lines))]


@staff_only("retry")
async def retry(ctx: Context, reading: Reading) -> list[Reply]:
    """Put failed deliveries back in the queue: one by id, or all."""
    target = reading.args.strip().lstrip("#").lower()
    statement = update(Delivery).where(Delivery.status == "failed")
    if target.isdigit():
        statement = statement.where(Delivery.id == int(target))
    elif target != "all":
        return [ctx.reply(ctx.t("staff.retry.usage"))]
    statement = statement.values(
        status="pending",
        attempts=0,
        next_attempt_at=ctx.now,
        expires_at=None,
        lease_owner=None,
        lease_until=None,
    )
    async with ctx.db.write() as session:
        result = await session.execute(statement)
        count = int(getattr(result, "rowcount", 0) or 0)
    await log_action(ctx, "retry", target, recipients=count)
    return [ctx.reply(ctx.t("staff.retry.done", count=count))]


@staff_only("audit")
async def show_audit(ctx: Context, reading: Reading) -> list[Reply]:
    """The last 20 entries of the audit log."""
    entries = await audit.recent(ctx.db, limit=20)
    await log_action(ctx, "audit")
    if not entries:
        return [ctx.reply(ctx.t("staff.audit.none"))]
    lines = []
    for e in entries:
        mark = "✓" if e.allowed else "✗"
        when = e.at.astimezone(ctx.user_tz).strftime("%m-%d %H:%M")
        target = f" {e.target}" if e.target else ""
        lines.append(f"• {when} {mark} {e.actor} {e.action}{target} ({e.recipients})")
    return [ctx.reply("\n".join(lines), title=ctx.t("staff.audit.title"))]
