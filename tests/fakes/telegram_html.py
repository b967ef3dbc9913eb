"""What the fake Bot API checks of an HTML message, as Telegram does: the tags it allows, no
tag left open, no bare ``&``; and the text a member sees of it."""

from __future__ import annotations

import html
import re

__all__ = ["_check_html", "_visible", "_visible_len"]

_ALLOWED_TAGS = frozenset(
    "b strong i em u ins s strike del a code pre span tg-spoiler blockquote".split()
)


def _check_html(text: str) -> str | None:
    """What Telegram would refuse in an HTML message (unknown tag, unclosed tag, bare ``&``)."""
    stack: list[str] = []
    for match in re.finditer(r"<(/?)([a-zA-Z-]*)[^>]*>|<|&(#?\w+;)?", text):
        token = match.group(0)
        if token == "<":
            return "unexpected '<'"
        if token.startswith("&"):
            if not match.group(3):
                return "unescaped '&'"
            continue
        closing, tag = match.group(1), match.group(2).lower()
        if tag not in _ALLOWED_TAGS:
            return f"unsupported start tag {tag!r}"
        if closing:
            if not stack or stack.pop() != tag:
                return f"unmatched end tag {tag!r}"
        else:
            stack.append(tag)
    if stack:
        return f"unclosed tag {stack[-1]!r}"
    return None


def _visible(text: str) -> str:
    """The text a member sees (and Telegram gives back) of an HTML message."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def _visible_len(text: str) -> int:
    return len(_visible(text).encode("utf-16-le")) // 2
