"""``/link <slug>``: the links staff put in newsletters and on the website, which open a chat
with the bot on the item (``/start item_<slug>``) or subscribe the reader to it
(``/start sub_<slug>``). The links come from the platforms that have them (Telegram's
``t.me/<bot>?start=…``, lent by its adapter); the payloads are shown either way."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.understanding.reading import Reading
from handlers.staff_common import item_name, log_action, split_args, staff_only

__all__ = ["deep_links", "links"]


def deep_links(ctx: Context, payload: str) -> list[tuple[str, str]]:
    """``(platform, url)`` of every platform that opens the bot with ``/start <payload>``."""
    return [
        (platform, hooks.deep_link.format(payload=payload))
        for platform, hooks in sorted(ctx.platforms.items())
        if hooks.deep_link
    ]


@staff_only("link")
async def links(ctx: Context, reading: Reading) -> list[Reply]:
    """The item's and the subscription's deep links, as text and as link buttons."""
    slug, _ = split_args(reading.args)
    if not slug:
        return [ctx.reply(ctx.t("links.usage"))]
    item = ctx.content.get(slug)
    if item is None:
        return [ctx.reply(ctx.t("staff.unknown_item", slug=slug[:40]))]
    payloads = {"item": f"item_{item.slug}", "subscribe": f"sub_{item.slug}"}
    lines: list[str] = []
    buttons: list[tuple[Button, ...]] = []
    for what, payload in payloads.items():
        found = deep_links(ctx, payload)
        for platform, url in found:
            lines.append(ctx.t(f"links.{what}", platform=platform.capitalize(), url=url))
            buttons.append((Button(ctx.t(f"links.button.{what}"), url=url),))
        if not found:
            lines.append(ctx.t(f"links.{what}_payload", payload=payload))
    if not any(hooks.deep_link for hooks in ctx.platforms.values()):
        lines.append(ctx.t("links.none"))
    await log_action(ctx, "link", item.slug)
    title = ctx.t("links.title", name=item_name(ctx, item.slug))
    return [ctx.reply("\n".join(lines), title=title, buttons=tuple(buttons))]
