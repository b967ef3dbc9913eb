"""Numbered lists and their pages.

Lists that invite a follow-up are numbered in the text ("1. junio de 2019 — …"), so "the
second one" means what the member sees; the numbers run on across pages, and the whole list
(every page) is what the conversation remembers. A long list shows a page and a "more" button
whose action is ``~more:<list>:<argument>:<offset>`` (at most 64 bytes; ``~``: the next page
replaces this one where the platform can edit messages, so a later page also has a button back).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import overload

from bot.conversation.state import MAX_LISTED
from bot.core.context import Context
from bot.core.messages import IN_PLACE, Button, Reply
from bot.i18n.catalog import Catalog
from content.index import ContentItem

__all__ = ["PAGE", "Lines", "capped", "fixed_button", "more_action", "numbered", "page_reply"]

PAGE = 10
# A list this much longer than a page is still shown whole: a "more" button for one or two
# lines costs the reader more than the lines.
_SLACK = 2


class Lines(Sequence[str]):
    """The lines of a list of items, written only when shown: a page costs one page.

    Args:
        items: The items, in the list's order.
        line: Writes one item's line (without its number).
    """

    def __init__(self, items: Sequence[ContentItem], line: Callable[[ContentItem], str]) -> None:
        self._items = items
        self._line = line

    @property
    def slugs(self) -> list[str]:
        """The slugs of the items the conversation remembers (the first ones), in order."""
        return [i.slug for i in self._items[:MAX_LISTED]]

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._line(i) for i in self._items[index]]
        return self._line(self._items[index])


def numbered(lines: Sequence[str], start: int = 1) -> list[str]:
    """``lines`` numbered from ``start``: "1. …", "2. …"."""
    return [f"{n}. {line}" for n, line in enumerate(lines, start=start)]


def capped(names: Sequence[str], limit: int = 5, separator: str = "; ") -> str:
    """Names joined, at most ``limit`` of them, then "… (+N)"."""
    shown = separator.join(names[:limit])
    return shown if len(names) <= limit else f"{shown}… (+{len(names) - limit})"


def more_action(kind: str, arg: str, offset: int) -> str | None:
    """The "more" button's action (answered in place), or ``None`` if it would not fit in 64
    bytes."""
    action = f"{IN_PLACE}more:{kind}:{arg}:{offset}"
    return action if len(action.encode()) <= 64 else None


def fixed_button(ctx: Context, key: str, action: str) -> Button:
    """A button whose label is the text ``key``, as is (no fields)."""
    return _fixed_button(ctx.catalog, ctx.language, key, action)


@lru_cache(maxsize=256)
def _fixed_button(catalog: Catalog, language: str, key: str, action: str) -> Button:
    # Buttons are immutable and these never change: one of each per language.
    return Button(catalog.get(key, language), action)


def page_reply(
    ctx: Context,
    *,
    title: str,
    lines: Sequence[str],
    slugs: Sequence[str],
    kind: str,
    arg: str,
    offset: int = 0,
    head: str = "",
    foot: str = "",
    buttons: Sequence[tuple[Button, ...]] = (),
) -> Reply:
    """One page of a numbered list: ``head`` (first page), up to :data:`PAGE` lines, ``foot``
    (last page), and a "more" button when lines remain. The conversation remembers the whole
    list (``slugs``, in the order of ``lines``)."""
    offset = max(0, min(offset, max(0, len(lines) - 1)))
    left = len(lines) - offset
    size = left if left <= PAGE + _SLACK else PAGE
    chunk = lines[offset : offset + size]
    remaining = left - len(chunk)
    body: list[str] = []
    if offset == 0 and head:
        body.append(head)
    body.extend(numbered(chunk, start=offset + 1))
    if remaining <= 0 and foot:
        body.append(foot)
    rows = list(buttons)
    paging: list[Button] = []
    if offset > 0:
        # Pages replace each other in place: the way back is a button too.
        back = more_action(kind, arg, max(0, offset - PAGE))
        if back is not None:
            paging.append(Button(ctx.t("events.button.previous_page"), back))
    if remaining > 0:
        action = more_action(kind, arg, offset + len(chunk))
        if action is not None:
            paging.append(Button(ctx.t("events.button.more", count=remaining), action))
    if paging:
        rows.insert(0, tuple(paging))
    if offset:
        title = ctx.t("events.more.title", title=title)
    ctx.turn.listed_items(list(slugs[:MAX_LISTED]))
    return ctx.reply("\n".join(body), title=title, buttons=tuple(rows))
