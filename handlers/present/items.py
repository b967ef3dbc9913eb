"""One item said in a line ("junio de 2019 — Foro Global en Guangzhou") or shown whole (its
card: kind, date, place, status, description, themes, link, buttons)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.core.context import Context
from bot.core.messages import IN_PLACE, Button, Reply
from bot.core.periods import Period, format_month, format_when
from bot.core.text import words
from content.index import ContentItem

__all__ = [
    "as_written",
    "button_label",
    "item_card",
    "item_line",
    "status_text",
    "title_of",
    "when_text",
]


_RAW_WORD = re.compile(r"\w+")


def as_written(text: str, folded: list[str]) -> str:
    """The words ``folded`` in the member's own spelling ("l'énergie" → "énergie"), to say
    them back."""
    if not folded:
        return ""
    wanted = set(folded)
    found = [w for w in _RAW_WORD.findall(text) if (f := words(w)) and f[0] in wanted]
    return " ".join(found) or " ".join(folded)


def title_of(ctx: Context, item: ContentItem) -> str:
    """The item's title in the reply language."""
    return item.title.get(ctx.language) or item.title.get("en", item.slug)


def when_text(ctx: Context, item: ContentItem) -> str:
    """The item's date, the local way ("junio de 2019", "date to be confirmed")."""
    return _when(item.precision, item.start, item.end, ctx.language)


# Dates are written again and again for the same few items.
_when = lru_cache(maxsize=1024)(format_when)


def status_text(ctx: Context, item: ContentItem) -> str:
    """The item's status in words ("closing in 2019", "planned"): its own plan's year."""
    return ctx.t(f"about.status.{item.status}", year=item.year)


def button_label(text: str, limit: int = 48) -> str:
    """A button label no longer than ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def item_line(
    ctx: Context,
    item: ContentItem,
    *,
    within: Period | None = None,
    show_date: bool = True,
    show_status: bool = False,
) -> str:
    """One list line, without its number: "junio de 2019 — Foro Global en Guangzhou".

    The date is left out when it says no more than the period shown (``within``); organiser and
    place are added when known; cancelled or postponed items say so.
    """
    dated = show_date and item.precision != "none"
    if dated and within is not None and _says_no_more(item, within):
        dated = False
    index = ctx.content
    if index.items.get(item.slug) is not item:  # not one of the index's own items
        return _item_line(ctx, item, dated=dated, show_status=show_status)
    # A line depends on the item, the language and the catalog only: written once per index.
    key = ("present.line", item.slug, ctx.language, ctx.catalog, dated, show_status)
    return index.derived(key, lambda: _item_line(ctx, item, dated=dated, show_status=show_status))


def _item_line(ctx: Context, item: ContentItem, *, dated: bool, show_status: bool) -> str:
    title = title_of(ctx, item)
    extra = [x for x in (item.organiser, item.place) if x and x.lower() not in title.lower()]
    if extra:
        title += f" ({', '.join(extra)})"
    if item.status in ("cancelled", "postponed", "done") or show_status:
        title += f" — {status_text(ctx, item)}"
    if not dated:
        return title
    return f"{when_text(ctx, item)} — {title}"


def _says_no_more(item: ContentItem, period: Period) -> bool:
    return (
        item.precision == "month"
        and period.precision == "month"
        and item.start is not None
        and item.start == period.start
    )


def _date_line(ctx: Context, item: ContentItem) -> str:
    if item.precision == "none":
        return ctx.t("about.field.when", value=ctx.t("about.no_date"))
    value = when_text(ctx, item)
    today = ctx.today
    if item.end is not None and item.end < today:
        value += f" ({ctx.t('about.past')})"
    elif item.start is not None and item.end is not None and item.start <= today <= item.end:
        now = {"day": "about.today", "month": "about.this_month", "period": "about.ongoing_now"}
        if item.precision in now:
            value += f" ({ctx.t(now[item.precision])})"
    return ctx.t("about.field.when", value=value)


@dataclass(frozen=True, slots=True)
class _Card:
    """What an item's card says whatever the day: all of it but the date line.

    Attributes:
        kind: The first line ("Action of the 2019 work plan").
        place: The place line, if any.
        dated: Whether the card has a date line.
        rest: The lines after the date and place.
        title: The reply's title.
        buttons: The reply's buttons.
    """

    kind: str
    place: str | None
    dated: bool
    rest: tuple[str, ...]
    title: str
    buttons: tuple[tuple[Button, ...], ...]


def item_card(
    ctx: Context, item: ContentItem, *, ask: str | None = None, subscribed: bool = False
) -> Reply:
    """Everything the plan says about one event, action or project, with buttons to go
    further; a "where" question gets the place first. Its Subscribe button (``~sub:<slug>``,
    answered in place) reads "✓ Subscribed · Unsubscribe" (``~unsub:<slug>``) when
    ``subscribed``; the item's link is a link button."""
    where = ask == "where"
    if ctx.content.items.get(item.slug) is item:
        # All but the date line depends on the item and the language: written once per index.
        key = ("present.card", item.slug, ctx.language, ctx.catalog, where)
        card = ctx.content.derived(key, lambda: _card(ctx, item, where=where))
    else:
        card = _card(ctx, item, where=where)
    date_line = _date_line(ctx, item) if card.dated else None
    first = (card.place, date_line) if where else (date_line, card.place)
    lines = [card.kind, *(line for line in first if line), *card.rest]
    buttons = card.buttons
    if subscribed:
        buttons = _subscribed(ctx, item, buttons)
    return ctx.reply("\n".join(lines).strip(), title=card.title, buttons=buttons)


def _subscribed(
    ctx: Context, item: ContentItem, rows: tuple[tuple[Button, ...], ...]
) -> tuple[tuple[Button, ...], ...]:
    """``rows`` with the item's Subscribe button turned into its Unsubscribe toggle."""
    toggle = Button(ctx.t("subscriptions.button.subscribed"), f"{IN_PLACE}unsub:{item.slug}")
    subscribe = f"{IN_PLACE}sub:{item.slug}"
    return tuple(tuple(toggle if b.action == subscribe else b for b in row) for row in rows)


def _card(ctx: Context, item: ContentItem, *, where: bool) -> _Card:
    lang = ctx.language
    year = item.year
    # A project without a date has its status instead; other undated items say so.
    no_date = item.kind == "pilot_project" and item.precision == "none"
    place_line = None
    if item.place:
        place_line = ctx.t("about.field.place", value=item.place)
    elif where:
        place_line = ctx.t("about.field.place", value=ctx.t("about.no_place"))
    lines = [ctx.t("about.field.status", value=status_text(ctx, item))]
    if item.organiser:
        lines.append(ctx.t("about.field.organiser", value=item.organiser))
    # Its section and themes are those of its own plan (a theme may recur in several).
    section = ctx.content.resolve(item.section, year)
    if section is not None and section.slug != item.slug:
        lines.append(ctx.t("about.field.section", value=section.title[lang]))
    lines.append("")
    lines.append(item.description.get(lang, ""))
    themes = [ctx.content.resolve(s, year) for s in item.themes]
    names = [t.title[lang] for t in themes if t is not None]
    if names:
        lines.append("")
        lines.append(ctx.t("about.field.themes", value=", ".join(names)))
    if item.link:
        lines.append(ctx.t("about.field.link", value=item.link))
    buttons: list[tuple[Button, ...]] = []
    subscribe = Button(ctx.t("about.button.subscribe"), f"{IN_PLACE}sub:{item.slug}")
    if item.kind == "pilot_project":
        buttons.append(
            (
                subscribe,
                Button(
                    ctx.t(f"about.button.projects_{item.status}"), f"cmd:projects {item.status}"
                ),
            )
        )
    else:
        row = [subscribe]
        if item.start is not None and item.precision in ("day", "month"):
            month = format_month(item.start.year, item.start.month, lang)
            row.append(
                Button(ctx.t("about.button.month", month=month), f"cmd:events {item.start:%Y-%m}")
            )
        buttons.append(tuple(row))
    if item.link and item.link.startswith(("https://", "http://")):
        buttons.append((Button(ctx.t("links.button.website"), url=item.link),))
    related = [t for t in themes if t is not None][:2]
    if related:
        buttons.append(
            tuple(
                Button(
                    ctx.t("about.button.see_also", title=button_label(t.title[lang], 32)),
                    f"about:{t.slug}",
                )
                for t in related
            )
        )
    return _Card(
        kind=ctx.t(f"about.kind.{item.kind}", year=year),
        place=place_line,
        dated=not no_date,
        rest=tuple(lines),
        title=item.title[lang],
        buttons=tuple(buttons),
    )
