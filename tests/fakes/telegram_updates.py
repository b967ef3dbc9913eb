"""Updates as Telegram builds them, for the fake Bot API to hand out: a text message (with its
``bot_command`` and mention entities, in a forum topic if asked) and a button press on one of
the bot's messages (which the fake then knows, to edit it)."""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

from tests.fakes.telegram_html import _visible

__all__ = ["BOT_ID", "BOT_USERNAME", "UpdateBuilders"]

BOT_ID = 123456
BOT_USERNAME = "metropolis_test_bot"


class UpdateBuilders:
    """Builds updates; mixed into the fake, whose ids and known messages it uses."""

    _ids: itertools.count[int]  # update ids, set by the fake
    _message_ids: itertools.count[int]
    messages: dict[tuple[str, int], dict[str, Any]]

    def next_update_id(self) -> int:
        return next(self._ids)

    def me(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Metropolis",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def message_update(
        self,
        text: str,
        *,
        user_id: int = 1001,
        chat_id: int | None = None,
        chat_type: str = "private",
        language_code: str | None = "en",
        first_name: str = "Ana",
        entities: list[dict[str, Any]] | None = None,
        reply_to_bot: bool = False,
        update_id: int | None = None,
        thread_id: int | None = None,
    ) -> dict[str, Any]:
        """An update carrying a text message, as Telegram builds it (``bot_command`` entity
        included for a leading ``/command``); ``thread_id``: in that topic of a forum."""
        chat_id = user_id if chat_id is None else chat_id
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = "Metropolis members"
        if thread_id is not None:
            chat["is_forum"] = True
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user,
            "text": text,
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if entities is None:
            entities = []
            if text.startswith("/"):
                length = len(text.split()[0]) if text.split() else 1
                entities.append({"type": "bot_command", "offset": 0, "length": length})
            for found in re.finditer(r"@[A-Za-z0-9_]{3,}", text):  # every @mention, as Telegram
                offset = len(text[: found.start()].encode("utf-16-le", "surrogatepass")) // 2
                length = len(found.group(0).encode("utf-16-le")) // 2
                entities.append({"type": "mention", "offset": offset, "length": length})
        if entities:
            message["entities"] = entities
        if reply_to_bot:
            message["reply_to_message"] = {
                "message_id": 1,
                "date": int(time.time()) - 60,
                "chat": chat,
                "from": self.me(),
                "text": "…",
            }
        update: dict[str, Any] = {"message": message}
        update["update_id"] = self.next_update_id() if update_id is None else update_id
        return update

    def callback_update(
        self,
        data: str,
        *,
        user_id: int = 1001,
        chat_id: int | None = None,
        language_code: str | None = "en",
        message_text: str = "…",
        message_id: int | None = None,
        markup: dict[str, Any] | None = None,
        age: float = 0.0,
        thread_id: int | None = None,
        inaccessible: bool = False,
    ) -> dict[str, Any]:
        """An update for a press on an inline button whose ``callback_data`` is ``data``.

        The button is on the bot's message ``message_id`` (one it sent, whose text and
        keyboard are taken from what it sent), or on a new message with ``message_text`` and
        ``markup`` that the fake remembers as the bot's, sent ``age`` seconds ago. A negative
        ``chat_id`` is a group (``thread_id``: a topic of a forum). ``inaccessible``: a
        message too old for Telegram to show (``date`` 0).
        """
        chat_id = user_id if chat_id is None else chat_id
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": "Ana"}
        if language_code:
            user["language_code"] = language_code
        chat: dict[str, Any] = (
            {"id": chat_id, "type": "private", "first_name": "Ana"}
            if chat_id > 0
            else {"id": chat_id, "type": "supergroup", "title": "Metropolis members"}
        )
        if thread_id is not None:
            chat["is_forum"] = True
        if message_id is None:
            message_id = next(self._message_ids)
            self.messages[(str(chat_id), message_id)] = {"text": message_text, "markup": markup}
        known = self.messages.get((str(chat_id), message_id), {})
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": 0 if inaccessible else int(time.time() - age),
            "chat": chat,
        }
        if not inaccessible:
            message["from"] = self.me()
            message["text"] = _visible(str(known.get("text", message_text)))
            if known.get("markup"):
                message["reply_markup"] = known["markup"]
            if thread_id is not None:
                message["message_thread_id"] = thread_id
                message["is_topic_message"] = True
        return {
            "update_id": self.next_update_id(),
            "callback_query": {
                "id": f"cbq-{next(self._message_ids)}",
                "from": user,
                "chat_instance": f"ci-{chat_id}",
                "data": data,
                "message": message,
            },
        }
