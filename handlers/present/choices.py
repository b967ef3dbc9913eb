"""Questions the bot asks back: which of several items, and "shall I?" before an action that
covers several items. Each is remembered (:class:`bot.conversation.state.Pending`) so that
"the second one", a name, or "yes" answers it; buttons answer it too."""

from __future__ import annotations

from collections.abc import Sequence

from bot.conversation.state import Pending
from bot.core.context import Context
from bot.core.messages import Button, Reply
from content.index import ContentItem
from handlers.present.items import button_label, item_line, title_of
from handlers.present.lists import numbered
from handlers.present.years import other_year_label

__all__ = ["choices_reply", "confirm_row"]


def choices_reply(
    ctx: Context,
    items: Sequence[ContentItem],
    *,
    text: str,
    title: str | None = None,
    act: str = "item",
    ask: str | None = None,
    token: str | None = None,
) -> Reply:
    """``text``, then the items numbered with a button each; the answer is awaited.

    Args:
        ctx: The message's context.
        items: The choices, in order.
        text: What comes before the list (it names the question).
        title: The reply's title.
        act: What the chosen item is for (``item``: show it; ``subscribe``…).
        ask: For a "when"/"where" question: what was asked.
        token: The unanswered-log entry of a "did you mean", dropped if the member picks.
    """
    lines = [item_line(ctx, i, show_status=i.kind == "pilot_project") for i in items]
    labels = [button_label(title_of(ctx, i), 44) for i in items]
    if len({i.year for i in items}) > 1:
        # Choices from several plans (a section of 2019 and of 2020) say whose each is.
        lines = [other_year_label(ctx, i, line) for i, line in zip(items, lines, strict=True)]
        labels = [other_year_label(ctx, i, button_label(title_of(ctx, i), 32)) for i in items]
    prefix = {"subscribe": "sub", "unsubscribe": "unsub"}.get(act, "about")
    buttons = tuple(
        (Button(f"{n}. {label}", f"{prefix}:{i.slug}"),)
        for n, (i, label) in enumerate(zip(items, labels, strict=True), start=1)
    )
    lines = numbered(lines)
    slugs = tuple(i.slug for i in items)
    ctx.turn.listed = slugs
    ctx.turn.pending = Pending("choose", act, items=slugs, ask=ask, token=token)
    return ctx.reply(f"{text}\n" + "\n".join(lines), title=title, buttons=buttons)


def confirm_row(ctx: Context) -> tuple[Button, ...]:
    """Yes / No buttons for the bot's "shall I?" question."""
    return (
        Button(ctx.t("conversation.button.yes"), "ok:yes"),
        Button(ctx.t("conversation.button.no"), "ok:no"),
    )
