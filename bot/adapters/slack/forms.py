"""The core's forms as Slack modals: opened where a reply offers one, submitted back to the
core, and refused field by field.

A reply with ``form`` to a slash command or a button press (which carry a ``trigger_id``)
opens its modal (``views.open``) instead of being posted; where there is no trigger — a
direct message — the reply gets a button that opens it. A submission (``view_submission``)
becomes ``Incoming(action="form:<name>", fields=…)``; the core's answer decides the
acknowledgement, which Slack waits for up to 3 seconds:

- field errors → ``response_action: errors``, each under its field (the modal stays);
- an answer that asks to confirm (the staff update's preview, with the recipients per
  platform and language) → ``response_action: update`` to a preview whose submit button
  sends it (``form:confirm``); closing the preview drops the draft;
- anything else → the modal closes and the answer goes to the member's DM.

The core is given :data:`DEADLINE` seconds before the acknowledgement; past that the modal
closes and the answer (errors included) follows in the DM.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.modals import (
    CONFIRM,
    FORMS,
    preview_view,
    read_fields,
    result_view,
    view_for,
)
from bot.core.messages import Button, Incoming, Reply

if TYPE_CHECKING:
    from bot.app import App

__all__ = ["DEADLINE", "Forms"]

log = logging.getLogger(__name__)

# Slack closes a submission that is not acknowledged within 3 seconds.
DEADLINE = 2.0

Ask = Callable[[Incoming], Awaitable[list[Reply]]]
Make = Callable[..., Awaitable[Incoming]]
Post = Callable[[str, list[Reply], Incoming], Awaitable[None]]


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


class Forms:
    """Modals for one adapter.

    Args:
        app: The assembled bot (its content and texts draw the modals).
        client: The Web API client (``views.open``).
        ask: Asks the core (the adapter's bounded, error-catching call).
        make: Builds an :class:`Incoming` for a user, as the adapter does for everything.
        post: Posts replies to a conversation.
    """

    def __init__(
        self, app: App, client: AsyncWebClient, *, ask: Ask, make: Make, post: Post
    ) -> None:
        self.app = app
        self.client = client
        self._ask = ask
        self._make = make
        self._post = post

    async def open_from(self, replies: list[Reply], trigger_id: object) -> list[Reply]:
        """Open the modal of the first reply that offers one; the replies left to post."""
        if not isinstance(trigger_id, str) or not trigger_id:
            return [self.offer(r) for r in replies]
        for index, reply in enumerate(replies):
            if reply.form is None:
                continue
            view = view_for(self.app, reply.form, reply.language, reply.fields)
            if view is None:
                continue
            try:
                await self.client.views_open(trigger_id=trigger_id, view=view)
            except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
                log.warning("slack: views.open failed: %s", _describe(exc))
                return replies
            return replies[:index] + replies[index + 1 :]
        return replies

    def offer(self, reply: Reply) -> Reply:
        """``reply`` with a button that opens its form (``cmd:<form> <argument>``), for where
        no trigger came with the message."""
        if reply.form is None or reply.form.partition(":")[0] not in FORMS:
            return reply
        name, _, argument = reply.form.partition(":")
        label = self.app.catalog.get("slack.form.open", reply.language)
        row = (Button(label, f"cmd:{name} {argument}".strip()),)
        return Reply(
            text=reply.text,
            language=reply.language,
            title=reply.title,
            buttons=(*reply.buttons, row),
            document=reply.document,
            edit=reply.edit,
            notice=reply.notice,
        )

    async def submitted(self, ack: Any, body: dict[str, Any], view: dict[str, Any]) -> None:
        """A modal submitted: acknowledged as the core's answer says (see the module)."""
        user_field = body.get("user")
        user = _text(user_field.get("id")) if isinstance(user_field, dict) else ""
        form = _text(view.get("callback_id")).removeprefix("form:")
        if not user or form not in (*FORMS, CONFIRM):
            await ack()
            return
        if form == CONFIRM:
            action = _metadata(view).get("confirm", "")
            incoming = await self._make(user=user, chat_id=user, action=action, is_group=False)
        else:
            incoming = await self._make(
                user=user,
                chat_id=user,
                action=f"form:{form}",
                fields=read_fields(view),
                is_group=False,
            )
        task = asyncio.ensure_future(self._ask(incoming))
        try:
            replies = await asyncio.wait_for(asyncio.shield(task), DEADLINE)
        except TimeoutError:
            await ack()
            await self._post(user, await task, incoming)
            return
        first = replies[0] if replies else None
        if first is not None and first.errors:
            fields = _inputs(view)
            errors = {name: message for name, message in first.errors if name in fields}
            if errors:
                await ack(response_action="errors", errors=errors)
                return
        if first is not None and form == CONFIRM:
            await ack(response_action="update", view=result_view(self.app, first))
            return
        preview = (
            preview_view(self.app, first) if first is not None and form == "announce" else None
        )
        if preview is not None:
            await ack(response_action="update", view=preview)
            return
        await ack()
        await self._post(user, replies, incoming)

    async def closed(self, body: dict[str, Any], view: dict[str, Any]) -> None:
        """A preview closed without sending: its draft is dropped."""
        user_field = body.get("user")
        user = _text(user_field.get("id")) if isinstance(user_field, dict) else ""
        drop = _metadata(view).get("drop", "")
        if not user or not drop:
            return
        incoming = await self._make(user=user, chat_id=user, action=drop, is_group=False)
        await self._ask(incoming)


def _metadata(view: dict[str, Any]) -> dict[str, str]:
    try:
        data = json.loads(_text(view.get("private_metadata")) or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, str)}


def _inputs(view: dict[str, Any]) -> set[str]:
    """The block ids of the view's input blocks (where Slack can show an error)."""
    blocks = view.get("blocks")
    if not isinstance(blocks, list):
        return set()
    return {
        str(b.get("block_id"))
        for b in blocks
        if isinstance(b, dict) and b.get("type") == "input" and b.get("block_id")
    }


def _describe(exc: BaseException) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or exc.response.status_code)
    return type(exc).__name__
