"""Replies as Slack messages (mrkdwn and Block Kit), and Slack text as plain text.

Everything that comes from a user or from the content is escaped (``&``, ``<``, ``>``), so no
reply can produce ``<!channel>``, ``<!here>``, ``<!everyone>``, a user mention or a link that
was not meant; the bare words ``@channel``/``@here``/``@everyone`` are defused too, in case a
workspace links names. Slack's limits are kept: a section's text at most 3,000 characters,
at most 50 blocks per message (longer replies become several messages), at most 25 buttons
per actions block, a button's label at most 75 characters. A link button is a button with a
``url`` (its ``action_id`` starts with ``link:``: Slack reports the click, nobody answers it).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from bot.core.messages import Reply

__all__ = [
    "MAX_BLOCKS",
    "MAX_SECTION",
    "SlackMessage",
    "escape",
    "from_slack",
    "to_messages",
]

MAX_SECTION = 3000
MAX_BLOCKS = 50
MAX_BUTTONS = 25
MAX_BUTTON_LABEL = 75
MAX_FALLBACK = 3000

_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_WORD_JOINER = "\u2060"


def escape(text: str) -> str:
    """``text`` made inert for Slack mrkdwn: control characters escaped, broadcasts defused."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda m: "@" + _WORD_JOINER + m.group(1), text)


def _plain(text: str, limit: int) -> str:
    # plain_text objects are not parsed for mentions, but defuse broadcasts all the same.
    text = _BROADCAST.sub(lambda m: "@" + _WORD_JOINER + m.group(1), text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class SlackMessage:
    """One ``chat.postMessage``-shaped message: the notification text and the blocks."""

    text: str
    blocks: list[dict[str, Any]]

    def as_kwargs(self) -> dict[str, Any]:
        """Arguments for ``chat_postMessage``, ``chat_postEphemeral`` or ``respond``."""
        return {"text": self.text, "blocks": self.blocks}


def _cut_safely(escaped: str, limit: int) -> int:
    """The largest cut point ≤ ``limit`` that does not split an ``&…;`` entity."""
    cut = limit
    amp = escaped.rfind("&", max(0, cut - 5), cut)
    if amp != -1 and ";" not in escaped[amp:cut]:
        cut = amp
    return cut


def chunks(escaped: str, limit: int = MAX_SECTION) -> list[str]:
    """``escaped`` text in pieces of at most ``limit`` characters, cut at line ends if possible."""
    pieces: list[str] = []
    current = ""
    for line in escaped.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(line) > limit:
            cut = _cut_safely(line, limit)
            space = line.rfind(" ", limit // 2, cut)
            if space > 0:
                cut = space
            pieces.append(line[:cut])
            line = line[cut:].lstrip(" ")
        current = line
    if current or not pieces:
        pieces.append(current)
    return [p for p in pieces if p.strip()] or [" "]


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


# The same rows come back reply after reply ("more", subscribe, month navigation): built
# once each. The blocks are shared between messages, so nothing may modify them.
@functools.lru_cache(maxsize=1024)
def _actions(row: tuple[Any, ...], block_index: int) -> tuple[dict[str, Any], ...]:
    blocks: list[dict[str, Any]] = []
    for start in range(0, len(row), MAX_BUTTONS):
        elements = []
        seen: set[str] = set()
        for position, button in enumerate(row[start : start + MAX_BUTTONS]):
            if button.url:
                # A link: Slack opens it (and still reports the click, which is ignored).
                elements.append(
                    {
                        "type": "button",
                        "text": _button_text(button.label),
                        "action_id": f"link:{block_index}-{start + position}",
                        "url": button.url[:3000],
                    }
                )
                continue
            action_id = button.action
            n = 2
            while action_id in seen:  # action_ids must be unique within a block
                action_id = f"{button.action}#{n}"
                n += 1
            seen.add(action_id)
            elements.append(
                {
                    "type": "button",
                    "text": _button_text(button.label),
                    "action_id": action_id,
                    "value": button.action,
                }
            )
        blocks.append(
            {"type": "actions", "block_id": f"b{block_index}-{start}", "elements": elements}
        )
    return tuple(blocks)


def _button_text(label: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": _plain(label, MAX_BUTTON_LABEL), "emoji": True}


def reply_blocks(reply: Reply) -> list[dict[str, Any]]:
    """All the blocks of ``reply`` (may be more than 50; :func:`to_messages` splits them)."""
    blocks: list[dict[str, Any]] = []
    body = escape(reply.text)
    if reply.title:
        title = f"*{escape(reply.title).strip()}*"
        first = f"{title}\n{body}" if body.strip() else title
        parts = chunks(first)
    else:
        parts = chunks(body)
    blocks.extend(_section(part) for part in parts)
    for index, row in enumerate(reply.buttons):
        if row:
            blocks.extend(_actions(row, index))
    if reply.document is not None:
        name = escape(reply.document[0])
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": f"📎 {name}"}]})
    return blocks


def fallback_text(reply: Reply) -> str:
    """The notification text (shown where blocks are not), escaped and bounded."""
    text = f"{reply.title}\n{reply.text}" if reply.title else reply.text
    escaped = escape(text)
    return escaped if len(escaped) <= MAX_FALLBACK else escaped[: _cut_safely(escaped, 2999)] + "…"


def to_messages(reply: Reply) -> list[SlackMessage]:
    """``reply`` as one Slack message, or several when it needs more than 50 blocks."""
    blocks = reply_blocks(reply)
    text = fallback_text(reply)
    messages = []
    for start in range(0, len(blocks), MAX_BLOCKS):
        messages.append(SlackMessage(text=text, blocks=blocks[start : start + MAX_BLOCKS]))
    return messages


_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|([^>]*))?>")
_CHANNEL = re.compile(r"<#(C[A-Z0-9]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(\w+)(?:\^[^|>]*)?(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_SPACES = re.compile(r"[ \t]+")


def from_slack(text: str, *, bot_user_id: str | None = None) -> str:
    """Slack's message text as plain words: the bot's mention dropped, others named, unescaped."""
    if "<" not in text and "&" not in text:  # most messages: no markup, nothing to undo
        return _SPACES.sub(" ", text).strip()
    if bot_user_id:
        text = re.sub(rf"<@{re.escape(bot_user_id)}(?:\|[^>]*)?>", " ", text)
    text = _MENTION.sub(lambda m: "@" + (m.group(2) or m.group(1)), text)
    text = _CHANNEL.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    text = _SPECIAL.sub(lambda m: m.group(2) or "@" + m.group(1), text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return _SPACES.sub(" ", text).strip()
