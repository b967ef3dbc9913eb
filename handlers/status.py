"""Yes/no questions about an item: "is METROAirports still running?", "¿ya terminó Surplus
Food Network?", "le Smart City Expo c'est bien en novembre ?" — yes or no first, with why,
then the item's card."""

from __future__ import annotations

from datetime import date

from bot.core.context import Context
from bot.core.messages import Reply
from bot.understanding.reading import Reading
from content.index import ContentItem
from handlers.present.items import item_card, when_text

__all__ = ["HANDLERS", "answer"]


def answer(item: ContentItem, reading: Reading, today: date) -> tuple[bool, str]:
    """Whether the answer is yes, and the text key that says why.

    Args:
        item: The item asked about.
        reading: The question: ``status`` says what is asked (``over``, ``running``,
            ``started``, ``closing``, ``starting``, ``cancelled``, ``postponed``), ``period``
            a date to check.
        today: The day asked on.
    """
    asked = reading.status
    status = item.status
    if status in ("cancelled", "postponed"):
        return asked == status, status
    if asked in ("cancelled", "postponed"):
        return False, _state(item, today)
    period = reading.period
    if period is not None and asked not in ("over", "running", "started"):
        if asked == "closing":
            return status == "closing", _state(item, today)
        if asked == "starting":
            return status == "starting", _state(item, today)
        if item.start is None or item.end is None:
            return False, "no_date"
        return item.overlaps(period.start, period.end) or (
            item.start >= period.start and item.end <= period.end
        ), "date"
    over = item.end is not None and item.end < today
    if asked == "over":
        return over, "ended" if over else _state(item, today)
    if asked == "running":
        running = not over and (
            status in ("closing", "ongoing") or (item.start is not None and item.start <= today)
        )
        return running, _state(item, today)
    if asked == "started":
        started = status in ("closing", "ongoing") or (
            item.start is not None and item.start <= today
        )
        return started, _state(item, today)
    if asked == "closing":
        return status == "closing", _state(item, today)
    if asked == "starting":
        return status == "starting", _state(item, today)
    return not over, _state(item, today)


def _state(item: ContentItem, today: date) -> str:
    if item.status in ("closing", "ongoing", "starting"):
        return item.status
    if item.start is not None and item.end is not None:
        if item.end < today:
            return "ended"
        if item.start <= today:
            return "now"
        return "planned"
    return "no_date"


async def yes_or_no(ctx: Context, reading: Reading) -> list[Reply]:
    """Yes or no first, with why, then the card."""
    item = ctx.content.get(reading.items[0]) if reading.items else None
    if item is None:
        ctx.turn.act = "unknown"
        return [ctx.reply(ctx.t("about.gone"))]
    yes, why = answer(item, reading, ctx.today)
    said = ctx.t(f"answers.yesno.{'yes' if yes else 'no'}")
    text = ctx.t(f"answers.yesno.{why}", answer=said, year=item.year, when=when_text(ctx, item))
    ctx.turn.shown(item.slug)
    return [ctx.reply(text), item_card(ctx, item)]


HANDLERS = {"yesno": yes_or_no}
