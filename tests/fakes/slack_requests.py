"""Signed requests as Slack sends them to an app: Events API envelopes, slash commands, and
interactivity payloads (button presses, select menus, modal submissions and closings), with
the ``X-Slack-Signature`` headers (:func:`sign`)."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.parse
import uuid
from typing import Any

__all__ = [
    "BOT_ID",
    "BOT_USER",
    "TEAM",
    "action_body",
    "command_body",
    "event_body",
    "select_body",
    "sign",
    "trigger_id",
    "view_body",
]

BOT_USER = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM = "T0000TEAM"


# --- signed requests, as Slack sends them -------------------------------------------------


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack adds: ``X-Slack-Request-Timestamp`` and ``X-Slack-Signature``."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = f"v0:{ts}:{body}".encode()
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


_event_ids = itertools.count(1)
_trigger_ids = itertools.count(1)


def trigger_id() -> str:
    """A new ``trigger_id`` shaped like Slack's (``<digits>.<digits>.<hex>``)."""
    return f"{next(_trigger_ids)}.1234567890.{uuid.uuid4().hex}"


def event_body(event: dict[str, Any], *, event_id: str | None = None) -> str:
    """An Events API ``event_callback`` envelope around ``event``, as JSON."""
    return json.dumps(
        {
            "token": "verification-token-unused",
            "team_id": TEAM,
            "api_app_id": "A0000APP",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_event_ids):010d}",
            "event_time": int(time.time()),
            "authorizations": [
                {"team_id": TEAM, "user_id": BOT_USER, "is_bot": True, "enterprise_id": None}
            ],
        }
    )


def command_body(
    text: str,
    *,
    user: str,
    response_url: str,
    channel: str = "C0000GEN",
    command: str = "/metropolis",
    trigger: str | None = None,
) -> str:
    """A slash command's form body."""
    return urllib.parse.urlencode(
        {
            "token": "verification-token-unused",
            "team_id": TEAM,
            "team_domain": "metropolis-test",
            "channel_id": channel,
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0000APP",
            "response_url": response_url,
            "trigger_id": trigger or trigger_id(),
        }
    )


def action_body(
    value: str,
    *,
    user: str,
    channel: str | None = "D0000DM1",
    response_url: str | None = None,
    container: dict[str, Any] | None = None,
    trigger: str | None = None,
    action: dict[str, Any] | None = None,
) -> str:
    """A ``block_actions`` interactivity payload (form-encoded ``payload=…``) for one button
    (or the ``action`` given, e.g. a select menu's)."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "metropolis-test"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": "A0000APP",
        "token": "verification-token-unused",
        "trigger_id": trigger or trigger_id(),
        "actions": [
            action
            or {
                "type": "button",
                "action_id": value,
                "block_id": "b0-0",
                "value": value,
                "text": {"type": "plain_text", "text": value},
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    if container is not None:
        payload["container"] = container
        if container.get("type") == "view":
            payload["view"] = {"id": "V1", "type": "home", "blocks": []}
    else:
        payload["container"] = {
            "type": "message",
            "message_ts": "1.000001",
            "channel_id": channel,
            "is_ephemeral": False,
        }
    if channel is not None:
        payload["channel"] = {"id": channel, "name": "directmessage"}
        payload["message"] = {"type": "message", "ts": "1.000001", "text": "", "user": BOT_USER}
    if response_url:
        payload["response_url"] = response_url
    return urllib.parse.urlencode({"payload": json.dumps(payload)})


def select_body(action_id: str, value: str, *, user: str, home: bool = True) -> str:
    """A ``block_actions`` payload for a choice in a ``static_select`` (the App Home's
    pickers by default)."""
    action = {
        "type": "static_select",
        "action_id": action_id,
        "block_id": "home-settings",
        "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value},
        "action_ts": f"{time.time():.6f}",
    }
    container = {"type": "view", "view_id": "V1"} if home else None
    return action_body(
        action_id, user=user, channel=None if home else "D0000DM1", container=container,
        action=action,
    )  # fmt: skip


def view_body(
    view: dict[str, Any],
    *,
    user: str,
    values: dict[str, dict[str, Any]] | None = None,
    kind: str = "view_submission",
) -> str:
    """A ``view_submission`` (or ``view_closed``) payload for the modal ``view`` the bot
    opened, with ``values`` as Slack reports the inputs: ``{block_id: element state}``, e.g.
    ``{"place": {"type": "plain_text_input", "value": "Barcelona"}}``."""
    state = {block_id: {block_id: element} for block_id, element in (values or {}).items()}
    payload: dict[str, Any] = {
        "type": kind,
        "team": {"id": TEAM, "domain": "metropolis-test"},
        "user": {"id": user, "username": user.lower(), "team_id": TEAM},
        "api_app_id": "A0000APP",
        "token": "verification-token-unused",
        "trigger_id": trigger_id(),
        "view": {
            "id": view.get("id", "V000001"),
            "team_id": TEAM,
            "type": "modal",
            "callback_id": view.get("callback_id", ""),
            "private_metadata": view.get("private_metadata", ""),
            "blocks": view.get("blocks", []),
            "state": {"values": state},
            "hash": "1.abc",
            "title": view.get("title"),
        },
    }
    if kind == "view_submission":
        payload["response_urls"] = []
    else:
        payload["is_cleared"] = False
    return urllib.parse.urlencode({"payload": json.dumps(payload)})
