"""Telegram ↔ core: updates to :class:`Incoming`, replies to HTML messages with buttons.

Everything here is pure (no network): the adapter and the sender call it.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from telegram import Bot, Message, MessageEntity, Update
from telegram.constants import ChatType

from bot.adapters.text import safe_text
from bot.core.messages import Incoming, Reply

__all__ = [
    "MAX_TEXT",
    "PLATFORM",
    "Outgoing",
    "incoming_from_update",
    "keyboard",
    "link_allowed",
    "render",
    "split_html",
    "thread_of",
    "utf16_len",
    "visible_text",
]

PLATFORM = "telegram"
# Telegram's limit for a message text (after entity parsing; we count the escaped HTML, which
# is never shorter, in UTF-16 code units as Telegram does).
MAX_TEXT = 4096
# Captions of documents are limited to 1024.
MAX_CAPTION = 1024


def utf16_len(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (how Telegram counts)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One Bot API call that delivers part of a reply.

    Attributes:
        text: HTML text of a message (``sendMessage``), or ``None`` for a document.
        document: ``(filename, bytes)`` for ``sendDocument``.
        markup: The inline keyboard (Bot API JSON), on the last message of the reply.
    """

    text: str | None = None
    document: tuple[str, bytes] | None = None
    markup: dict[str, Any] | None = None


_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "0.0.0.0", "::1"})


def link_allowed(url: str) -> bool:
    """Whether Telegram takes ``url`` for a link button: http(s) to a public host name.

    Telegram refuses the whole message (``BUTTON_URL_INVALID``) for a button to localhost or
    a bare name, as a development ``PUBLIC_BASE_URL`` would give; such a link stays in the
    text only.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return parts.scheme in ("http", "https") and "." in host and host not in _LOCAL_HOSTS


def _button(label: str, action: str, url: str | None) -> dict[str, str] | None:
    if url is not None:
        return {"text": label, "url": url} if link_allowed(url) else None
    return {"text": label, "callback_data": action}


def keyboard(reply: Reply) -> dict[str, Any] | None:
    """The reply's buttons as an ``InlineKeyboardMarkup`` in Bot API JSON.

    Plain JSON rather than PTB objects: it is all the request needs (``callback_data`` is
    the button's action, at most 64 bytes; a link button has its ``url`` instead).
    """
    rows = []
    for row in reply.buttons:
        buttons = [b for b in (_button(x.label, x.action, x.url) for x in row) if b is not None]
        if buttons:
            rows.append(buttons)
    return {"inline_keyboard": rows} if rows else None


_TAG = re.compile(r"<[^>]+>")


def visible_text(html_text: str) -> str:
    """What a member sees of an HTML message (as Telegram gives a message's ``text`` back)."""
    return html.unescape(_TAG.sub("", html_text))


def thread_of(message: object) -> int | None:
    """The forum topic a message is in (``message_thread_id``), if it is in one."""
    if isinstance(message, Message) and message.is_topic_message:
        return message.message_thread_id
    return None


def _cut_line(line: str, limit: int) -> list[str]:
    """Cut one raw line whose escaped form is too long into pieces that fit, at spaces if any."""
    pieces: list[str] = []
    rest = line
    while utf16_len(html.escape(rest, quote=False)) > limit:
        # Find the longest prefix that fits (escaping only grows text, so a binary search works).
        lo, hi = 1, len(rest)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if utf16_len(html.escape(rest[:mid], quote=False)) <= limit:
                lo = mid
            else:
                hi = mid - 1
        cut = lo
        space = rest.rfind(" ", 0, cut)
        if space > cut // 2:
            cut = space + 1
        pieces.append(rest[:cut].rstrip(" "))
        rest = rest[cut:]
    pieces.append(rest)
    return pieces


def split_html(text: str, *, title: str | None = None, limit: int = MAX_TEXT) -> list[str]:
    """Escape ``text`` (and a bold ``title``) as Telegram HTML, in parts of at most ``limit``.

    Parts break at line ends; a single line longer than ``limit`` breaks at a space (or
    anywhere, if it has none). Escaping happens before measuring, so an ``&amp;`` is never
    cut in two and no tag is ever left open.
    """
    head = f"<b>{html.escape(title, quote=False)}</b>" if title else None
    lines: list[str] = []
    for raw in text.split("\n"):
        for piece in _cut_line(raw, limit):
            lines.append(html.escape(piece, quote=False))
    if head is not None:
        if utf16_len(head) > limit:  # an absurd title: show it as plain text lines instead
            lines = [html.escape(p, quote=False) for p in _cut_line(title or "", limit)] + [
                "",
                *lines,
            ]
        else:
            lines = [head, "", *lines] if text else [head]
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        extra = utf16_len(line) + (1 if current else 0)
        if current and size + extra > limit:
            parts.append("\n".join(current))
            current, size = [], 0
            extra = utf16_len(line)
        current.append(line)
        size += extra
    if current:
        parts.append("\n".join(current))
    # Telegram refuses empty or blank messages.
    parts = [p.strip("\n") for p in parts]
    return [p for p in parts if p.strip()]


def render(reply: Reply) -> list[Outgoing]:
    """The Bot API calls that deliver ``reply``: its text in parts, then its document.

    The buttons go on the last text part (or on the document if there is no text).
    """
    markup = keyboard(reply)
    texts = split_html(reply.text, title=reply.title)
    calls = [Outgoing(text=t) for t in texts]
    if reply.document is not None:
        calls.append(Outgoing(document=reply.document))
    if not calls:
        return []
    if markup is not None:
        index = max((i for i, c in enumerate(calls) if c.text is not None), default=len(calls) - 1)
        last = calls[index]
        calls[index] = Outgoing(text=last.text, document=last.document, markup=markup)
    return calls


def _entity_text(text: str, entity: MessageEntity) -> str:
    """The words of ``text`` an entity covers; its offsets count UTF-16 units.

    Read from the safe text rather than with ``Message.parse_entity``, which encodes the
    message's raw text and fails on a lone surrogate.
    """
    units = text.encode("utf-16-le")
    start, end = 2 * entity.offset, 2 * (entity.offset + entity.length)
    return units[start:end].decode("utf-16-le", "replace")


def _mentions_bot(message: Message, text: str, username: str | None, bot_id: int | None) -> bool:
    for entity in message.entities or ():
        if entity.type == MessageEntity.MENTION and username:
            mention = _entity_text(text, entity)
            if mention.lstrip("@").lower() == username.lower():
                return True
        if entity.type == MessageEntity.TEXT_MENTION and entity.user and bot_id:
            if entity.user.id == bot_id:
                return True
    return False


def _command_target(message: Message, text: str) -> tuple[bool, str | None]:
    """Whether the message starts with a command, and the ``@bot`` it names, if any."""
    for entity in message.entities or ():
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            command = _entity_text(text, entity)
            _, _, target = command.partition("@")
            return True, target or None
    return False, None


def _strip_mention(text: str, username: str | None) -> str:
    """``text`` without ``@username`` (and a comma or colon right after it)."""
    if not username:
        return text
    pattern = re.compile(rf"@{re.escape(username)}\b[,:]?", re.IGNORECASE)
    return re.sub(r"[ \t]{2,}", " ", pattern.sub(" ", text)).strip()


def incoming_from_update(update: Update, bot: Bot | None = None) -> Incoming | None:
    """The core's view of ``update``, or ``None`` if the bot should stay silent.

    - A button press becomes ``Incoming(action=callback_data)``.
    - A text message in a private chat is passed on as written (``"/events juin"`` included).
    - In groups, only commands (not addressed to another bot), messages that mention the bot
      and replies to the bot's own messages are passed on, with the mention removed.
    - ``from.language_code`` becomes the locale hint.

    Every string taken from the update goes through :func:`~bot.adapters.text.safe_text`.
    """
    username = bot.username if bot is not None and _has_user(bot) else None
    bot_id = bot.id if bot is not None and _has_user(bot) else None
    query = update.callback_query
    if query is not None:
        if not query.data or query.message is None:
            return None
        chat = query.message.chat
        user = query.from_user
        return Incoming(
            platform=PLATFORM,
            user_id=str(user.id),
            chat_id=str(chat.id),
            action=safe_text(query.data),
            locale_hint=_safe(user.language_code),
            display_name=safe_text(user.first_name),
            is_group=chat.type != ChatType.PRIVATE,
        )
    message = update.message
    if message is None or message.from_user is None or message.text is None:
        return None
    user = message.from_user
    if user.is_bot:
        return None
    chat = message.chat
    is_group = chat.type != ChatType.PRIVATE
    text = safe_text(message.text)
    if is_group:
        is_command, target = _command_target(message, text)
        if is_command:
            if target and username and target.lower() != username.lower():
                return None  # "/help@OtherBot"
        else:
            replied = message.reply_to_message
            to_us = (
                replied is not None
                and replied.from_user is not None
                and bot_id is not None
                and replied.from_user.id == bot_id
            )
            if not (to_us or _mentions_bot(message, text, username, bot_id)):
                return None
            text = _strip_mention(text, username)
    return Incoming(
        platform=PLATFORM,
        user_id=str(user.id),
        chat_id=str(chat.id),
        text=text,
        locale_hint=_safe(user.language_code),
        display_name=safe_text(user.first_name),
        is_group=is_group,
    )


def _safe(text: str | None) -> str | None:
    return None if text is None else safe_text(text)


def _has_user(bot: Bot) -> bool:
    try:
        bot.bot  # noqa: B018 - raises until the bot is initialized (getMe)
    except RuntimeError:
        return False
    return True
