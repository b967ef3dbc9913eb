"""Slack modals for the core's forms: what a form looks like (Block Kit views) and what a
submitted one says (its fields).

- ``form:subscribe``: a multi-select of pilot projects, events and actions, themes, and
  "everything" (all events, the weekly digest);
- ``form:announce`` (staff): the item or theme, one text per language; its submission comes
  back as a preview with the recipients per platform and language (``form:confirm``: Send);
- ``form:edit`` (staff): the item's exact date, place, link and status, filled in.

Each input block's ``block_id`` is the field's name, so the core's field errors map to
``response_action: errors`` as they are. Labels are in the member's language; content text
goes in ``plain_text`` objects (never parsed for mentions), cut to Slack's limits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from bot.core.messages import Reply

if TYPE_CHECKING:
    from bot.app import App
    from content.index import ContentIndex, ContentItem

__all__ = ["CONFIRM", "FORMS", "preview_view", "read_fields", "result_view", "view_for"]

FORMS = ("subscribe", "announce", "edit")
CONFIRM = "confirm"  # the preview of an update: Send, or close to drop it
MAX_OPTIONS = 100  # a select holds at most 100 options
_LANGUAGES = ("es", "en", "fr")
_STATUSES = ("plan", "cancelled", "postponed")


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return {"type": "plain_text", "text": text or " ", "emoji": True}


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": _plain(label), "value": value}


def _title(item: ContentItem, language: str, index: ContentIndex) -> str:
    return item.title.get(language) or item.title.get(index.source_language) or item.slug


def _groups(
    app: App, language: str, kinds: Iterable[tuple[str, tuple[str, ...]]]
) -> list[dict[str, Any]]:
    """Option groups of the plan's items, by kind; at most :data:`MAX_OPTIONS` in all."""
    index = app.content.index
    groups = []
    room = MAX_OPTIONS
    for key, wanted in kinds:
        items = [i for kind in wanted for i in index.of_kind(kind)]
        items.sort(key=lambda i: (i.start is None, i.start or 0, i.order))  # type: ignore[operator]
        options = [_option(_title(i, language, index), i.slug) for i in items[:room]]
        room -= len(options)
        if options:
            label = app.catalog.get(f"forms.subscribe.{key}", language)
            groups.append({"label": _plain(label), "options": options})
    return groups


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label, 2000),
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }


def _modal(
    app: App, language: str, form: str, title: str, submit: str, blocks: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": f"form:{form}",
        "title": _plain(title, 24),
        "submit": _plain(submit, 24),
        "close": _plain(app.catalog.get("forms.common.cancel", language), 24),
        "blocks": blocks,
    }


def _subscribe(app: App, language: str, fields: dict[str, str]) -> dict[str, Any]:
    def t(key: str) -> str:
        return app.catalog.get(f"forms.subscribe.{key}", language)

    groups = _groups(
        app,
        language,
        [("projects", ("pilot_project",)), ("events", ("event", "action")), ("themes", ("theme",))],
    )
    everything = {
        "label": _plain(t("other")),
        "options": [
            _option(app.catalog.get("subscriptions.button.all_events", language), "all"),
            _option(app.catalog.get("subscriptions.button.digest", language), "digest"),
        ],
    }
    picker = {
        "type": "multi_static_select",
        "placeholder": _plain(t("placeholder")),
        "option_groups": [*groups, everything],
    }
    blocks = [
        _input("item", t("label"), picker, optional=False),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": t("hint")}]},
    ]
    return _modal(app, language, "subscribe", t("title"), t("submit"), blocks)


def _announce(app: App, language: str, fields: dict[str, str]) -> dict[str, Any]:
    def t(key: str) -> str:
        return app.catalog.get(f"forms.announce.{key}", language)

    groups = _groups(
        app,
        language,
        [("themes", ("theme",)), ("projects", ("pilot_project",)), ("events", ("event", "action"))],
    )
    picker: dict[str, Any] = {"type": "static_select", "option_groups": groups}
    chosen = app.content.index.get(fields.get("item", ""))
    if chosen is not None:
        picker["initial_option"] = _option(_title(chosen, language, app.content.index), chosen.slug)
    blocks = [_input("item", t("item"), picker, optional=False)]
    for lang in _LANGUAGES:
        box = {"type": "plain_text_input", "multiline": True, "max_length": 3000}
        blocks.append(_input(f"text_{lang}", t(f"text_{lang}"), box, optional=True))
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": t("hint")}]})
    return _modal(app, language, "announce", t("title"), t("next"), blocks)


def _edit(app: App, language: str, fields: dict[str, str]) -> dict[str, Any] | None:
    def t(key: str) -> str:
        return app.catalog.get(f"forms.edit.{key}", language)

    item = app.content.index.get(fields.get("item", ""))
    if item is None:
        return None
    date: dict[str, Any] = {"type": "datepicker"}
    if fields.get("date"):
        date["initial_date"] = fields["date"]
    place: dict[str, Any] = {"type": "plain_text_input", "max_length": 200}
    if fields.get("place"):
        place["initial_value"] = fields["place"]
    link: dict[str, Any] = {"type": "plain_text_input", "max_length": 500}
    if fields.get("link"):
        link["initial_value"] = fields["link"]
    statuses = [_option(t(f"status_{s}"), s) for s in _STATUSES]
    status = {
        "type": "static_select",
        "options": statuses,
        "initial_option": next(
            (o for o in statuses if o["value"] == fields.get("status")), statuses[0]
        ),
    }
    blocks = [
        {
            "type": "section",
            "text": {"type": "plain_text", "text": _title(item, language, app.content.index)},
        },
        _input("date", t("date"), date, optional=True),
        _input("place", t("place"), place, optional=True),
        _input("link", t("link"), link, optional=True),
        _input("status", t("status"), status, optional=False),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": t("hint_fields")}]},
    ]
    view = _modal(app, language, "edit", t("title"), t("submit"), blocks)
    view["private_metadata"] = json.dumps({"item": item.slug})
    return view


def view_for(
    app: App, form: str, language: str, fields: Iterable[tuple[str, str]] = ()
) -> dict[str, Any] | None:
    """The modal for the core's ``Reply.form`` (``subscribe``, ``announce``, ``edit:<slug>``),
    filled with its fields; ``None`` for a form this adapter does not draw."""
    name = form.partition(":")[0]
    given = dict(fields)
    if name == "subscribe":
        return _subscribe(app, language, given)
    if name == "announce":
        return _announce(app, language, given)
    if name == "edit":
        return _edit(app, language, given)
    return None


def _sections(text: str) -> list[dict[str, Any]]:
    # Plain text: what staff wrote is shown as written, never as mentions or links.
    return [
        {"type": "section", "text": {"type": "plain_text", "text": text[n : n + 2900] or " "}}
        for n in range(0, max(len(text), 1), 2900)
    ][:40]


def preview_view(app: App, reply: Reply) -> dict[str, Any] | None:
    """A submitted form's answer that asks to confirm (its first button: Confirm, its second:
    Drop) as the modal's next step: the preview, with Send as the submit button. ``None``
    when the reply asks nothing."""
    row = reply.buttons[0] if reply.buttons else ()
    actions = [b for b in row if b.action]
    if not actions:
        return None
    metadata = {"confirm": actions[0].action, "drop": actions[1].action if len(actions) > 1 else ""}
    return {
        "type": "modal",
        "callback_id": f"form:{CONFIRM}",
        "title": _plain(app.catalog.get("forms.announce.preview_title", reply.language), 24),
        "submit": _plain(actions[0].label, 24),
        "close": _plain(app.catalog.get("forms.common.cancel", reply.language), 24),
        "notify_on_close": True,
        "private_metadata": json.dumps(metadata),
        "blocks": _sections(reply.text),
    }


def result_view(app: App, reply: Reply) -> dict[str, Any]:
    """The last step of a modal: what was done, and a button to close it."""
    title = reply.title or app.catalog.get("forms.announce.title", reply.language)
    return {
        "type": "modal",
        "callback_id": "form:done",
        "title": _plain(title, 24),
        "close": _plain("OK", 24),
        "blocks": _sections(reply.text),
    }


def read_fields(view: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """A submitted view's values as the core's ``(name, value)`` pairs (a multi-select gives
    one pair per choice), plus what the view carried in ``private_metadata``."""
    fields: list[tuple[str, str]] = []
    try:
        extra = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        extra = {}
    if isinstance(extra, dict):
        fields += [(str(k), v) for k, v in extra.items() if isinstance(v, str)]
    values = (view.get("state") or {}).get("values") or {}
    if not isinstance(values, dict):
        return tuple(fields)
    for block_id, actions in values.items():
        if not isinstance(actions, dict):
            continue
        for element in actions.values():
            if not isinstance(element, dict):
                continue
            fields += [(str(block_id), value) for value in _values(element)]
    return tuple(fields)


def _values(element: dict[str, Any]) -> list[str]:
    kind = element.get("type")
    if kind == "multi_static_select":
        chosen = element.get("selected_options") or []
        return [str(o.get("value")) for o in chosen if isinstance(o, dict) and o.get("value")]
    if kind == "static_select":
        option = element.get("selected_option")
        return [str(option["value"])] if isinstance(option, dict) and option.get("value") else [""]
    if kind == "datepicker":
        return [str(element.get("selected_date") or "")]
    value = element.get("value")
    return [value if isinstance(value, str) else ""]
