"""``/unanswered`` (staff): the questions members asked most in the last 30 days that the bot
did not understand, so content and vocabulary grow from what members actually ask."""

from __future__ import annotations

from datetime import timedelta

from bot.core.context import Context
from bot.core.messages import Reply
from bot.core.periods import format_day
from bot.understanding.reading import Reading
from handlers.present.lists import numbered
from handlers.staff_common import log_action, staff_only

__all__ = ["DAYS", "show_unanswered"]

DAYS = 30
_LIMIT = 15


@staff_only("unanswered")
async def show_unanswered(ctx: Context, reading: Reading) -> list[Reply]:
    """The most frequent unanswered messages of the last :data:`DAYS` days."""
    log = ctx.unanswered
    if log is None:
        return [ctx.reply(ctx.t("unanswered.unavailable"))]
    since = ctx.now - timedelta(days=DAYS)
    asked = await log.most_asked(since=since, limit=_LIMIT)
    await log_action(ctx, "unanswered", None, recipients=len(asked))
    title = ctx.t("unanswered.title", days=DAYS)
    if not asked:
        return [ctx.reply(ctx.t("unanswered.none", days=DAYS), title=title)]
    lines = [
        ctx.t(
            "unanswered.line",
            count=a.count,
            language=a.language,
            text=a.text[:80],
            last=format_day(a.last.astimezone(ctx.user_tz).date(), ctx.language),
        )
        for a in asked
    ]
    body = "\n".join([*numbered(lines), "", ctx.t("unanswered.footer")])
    return [ctx.reply(body, title=title)]
