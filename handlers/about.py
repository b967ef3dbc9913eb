"""One item of the plan: "tell me about MEGA", "¿cuándo es el Congreso Mundial?", "où a lieu
le Forum mondial ?", a bare name ("mega", "metro airports"), "the second one", "and where?";
and the choice among several items when a name fits more than one.

An item that several plans hold ("the Board meeting", a recurring section) is answered for
the plan asked about (the understanding stage picks it), and the others are offered as
buttons naming their plan's year.
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.understanding.reading import Reading
from content.index import ContentItem
from handlers.present.choices import choices_reply
from handlers.present.items import button_label, item_card, title_of
from handlers.present.overviews import overview
from handlers.present.years import other_year_label, plan_text, years_of

__all__ = ["HANDLERS", "show_choices", "show_item"]


async def show_item(ctx: Context, reading: Reading) -> list[Reply]:
    """The item meant (its card, or a theme's or section's overview)."""
    item = ctx.content.get(reading.items[0]) if reading.items else None
    if item is None:
        ctx.turn.act = "unknown"
        return [ctx.reply(ctx.t("about.gone"))]
    if item.kind in ("theme", "section"):
        reply = overview(ctx, item)  # which offers its other plans' overviews itself
        shown = {e.slug for e in ctx.content.editions(item)}
        others = tuple(s for s in reading.choices if s not in shown)
        return [_with_see_also(ctx, reply, item, others, kinds=("theme", "section"))]
    if reading.ask == "when" and not item.dated and reading.subject:
        # "When is the webinar?": an undated name-match should not hide a dated one.
        dated = [
            m.item
            for m in ctx.content.find(reading.subject, limit=5)
            if m.item.dated and m.score >= 0.6 and m.item is not item
        ]
        if dated:
            return await _choose(ctx, [item, *dated[:4]], reading)
    ctx.turn.shown(item.slug)
    reply = item_card(ctx, item, ask=reading.ask)
    # The same slug in the other plans comes first, then the close names.
    others = (*(e.slug for e in _editions(ctx, item)), *reading.choices)
    return [_with_see_also(ctx, reply, item, tuple(dict.fromkeys(others)))]


async def show_choices(ctx: Context, reading: Reading) -> list[Reply]:
    """Several items fit the name: numbered, each with a button; "the second one" answers."""
    items = [i for i in (ctx.content.get(s) for s in reading.choices) if i is not None]
    if not items:
        ctx.turn.act = "unknown"
        return [ctx.reply(ctx.t("about.gone"))]
    if len(items) == 1:
        return await show_item(ctx, reading.with_(act="item", items=(items[0].slug,)))
    return await _choose(ctx, items, reading)


async def _choose(ctx: Context, items: list[ContentItem], reading: Reading) -> list[Reply]:
    ctx.turn.act = "choose"
    query = (reading.subject or reading.text)[:60]
    text = plan_text(ctx, "about.several.intro", years_of(items[:6]), query=query)
    reply = choices_reply(
        ctx, items[:6], text=text, title=ctx.t("about.several.title"), ask=reading.ask
    )
    return [reply]


def _editions(ctx: Context, item: ContentItem) -> list[ContentItem]:
    # The same slug in the other plans, the nearest first.
    return sorted(ctx.content.editions(item), key=lambda o: abs(o.year - item.year))


def _with_see_also(
    ctx: Context,
    reply: Reply,
    shown: ContentItem,
    others: tuple[str, ...],
    kinds: tuple[str, ...] | None = None,
) -> Reply:
    extra = []
    for slug in others[:3]:
        other = ctx.content.get(slug)
        if other is not None and (kinds is None or other.kind in kinds):
            title = button_label(title_of(ctx, other), 32)
            if other.year != shown.year:  # another plan's: say which
                title = other_year_label(ctx, other, title)
            label = ctx.t("about.button.see_also", title=title)
            extra.append((Button(label, f"about:{slug}"),))
    if not extra:
        return reply
    return ctx.reply(reply.text, title=reply.title, buttons=reply.buttons + tuple(extra))


HANDLERS = {"item": show_item, "choose": show_choices}
