"""Slack's conventions, with the real slack-bolt app against the fake Web API on 127.0.0.1:
presses that replace their message, the App Home as the settings page (published again after
every change), the member's time zone from users.info, and modals for forms — signed
``view_submission`` payloads, field errors, the staff modals refused to members."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.core.messages import Incoming
from bot.db.models import Announcement, AuditEntry, Delivery, Item, Subscription, User
from tests.e2e.slack.conftest import Slack, running, settings_for
from tests.fakes.slack_api import FakeSlackAPI, action_body, select_body, view_body

pytestmark = pytest.mark.asyncio

EN, ES = "UEN0001", "UES0001"
STAFF = "USTAFF01"


@pytest.fixture
async def slack(fake: FakeSlackAPI, tmp_path: Path) -> AsyncIterator[Slack]:
    settings = settings_for(fake, tmp_path, staff_slack_ids=frozenset({STAFF}))
    async with running(fake, settings) as harness:
        yield harness


def dm(user: str) -> str:
    return "D" + user[1:]


def values_of(call: Any) -> list[str]:
    """Every button value (and select action id) of a posted message or a view."""
    blocks = call.blocks() if call.method != "views.publish" else _view(call)["blocks"]
    found = []
    for block in blocks:
        for element in [block.get("accessory"), *block.get("elements", [])]:
            if isinstance(element, dict) and element.get("type") == "button":
                found.append(element.get("value") or element.get("action_id"))
    return found


def _view(call: Any) -> dict[str, Any]:
    view = call.args["view"]
    return json.loads(view) if isinstance(view, str) else view


async def ask_in_dm(slack: Slack, text: str, user: str = EN) -> Any:
    """Write in the DM; the bot's (last) message posted there."""
    count = len(slack.fake.of("chat.postMessage"))
    status, _ = await slack.dm(text, user=user)
    assert status == 200
    calls = await slack.fake.wait_for("chat.postMessage", count + 1)
    return calls[-1]


async def press_in(slack: Slack, message: Any, value: str, user: str = EN) -> int:
    """Press ``value`` in the bot's message posted by ``message`` (a recorded call)."""
    container = {
        "type": "message",
        "message_ts": message.result["ts"],
        "channel_id": message.args["channel"],
        "is_ephemeral": False,
    }
    return await slack.press(value, user=user, channel=message.args["channel"], container=container)


async def submit(slack: Slack, view: dict[str, Any], user: str, **values: Any) -> dict[str, Any]:
    """Submit the modal ``view`` with ``values``; what bolt acknowledged (JSON, or {})."""
    status, text = await slack.post(
        view_body(view, user=user, values=values),
        content_type="application/x-www-form-urlencoded",
    )
    assert status == 200
    return json.loads(text) if text.strip() else {}


def text_input(value: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def option(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


async def audit(slack: Slack) -> list[AuditEntry]:
    async with slack.app.db.read() as session:
        return list((await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all())


# --- in place ----------------------------------------------------------------------------------


async def test_presses_in_a_dm_replace_their_message(slack: Slack) -> None:
    for text, wanted in [
        ("what's next", "~more:"),
        ("/events june", "~cmd:events 2019-07"),
        ("/projects", "~cmd:projects closing"),
    ]:
        message = await ask_in_dm(slack, text)
        value = next(v for v in values_of(message) if v.startswith(wanted))
        posted = len(slack.fake.of("chat.postMessage"))
        assert await press_in(slack, message, value) == 200
        (*_, update) = await slack.fake.wait_for("chat.update")
        assert update.args["channel"] == dm(EN) and update.args["ts"] == message.result["ts"]
        assert update.all_text() != message.all_text()
        assert len(slack.fake.of("chat.postMessage")) == posted, text


async def test_the_cards_toggle_in_a_dm_and_the_app_home_follows(slack: Slack) -> None:
    card = await ask_in_dm(slack, "tell me about MEGA")
    assert "~sub:mega" in values_of(card)
    assert await press_in(slack, card, "~sub:mega") == 200
    (update,) = await slack.fake.wait_for("chat.update")
    assert "~unsub:mega" in values_of(update) and "✓ Subscribed · Unsubscribe" in update.all_text()
    (home,) = await slack.fake.wait_for("views.publish")  # the change, shown on the App Home
    assert "unsub:mega" in json.dumps(_view(home))
    assert len(slack.fake.of("chat.postMessage")) == 1


async def test_an_update_slack_refuses_becomes_a_new_message(slack: Slack) -> None:
    message = await ask_in_dm(slack, "/projects")
    slack.fake.fail("chat.update", "cant_update_message")
    assert await press_in(slack, message, "~cmd:projects closing") == 200
    calls = await slack.fake.wait_for("chat.postMessage", 2)
    assert "closing" in calls[-1].all_text().lower()


async def test_an_ephemeral_answer_is_replaced_through_its_response_url(slack: Slack) -> None:
    assert await slack.command("which projects?", user=EN) == 200
    (answer,) = await slack.fake.wait_for_responses()
    value = next(
        e["value"]
        for b in answer["blocks"]
        for e in b.get("elements", [])
        if str(e.get("value", "")).startswith("~cmd:projects")
    )
    container = {"type": "message", "channel_id": "C0000GEN", "is_ephemeral": True}
    url = slack.fake.response_url("press")
    status = await slack.press(
        value, user=EN, channel="C0000GEN", container=container, response_url=url
    )
    assert status == 200
    responses = await slack.fake.wait_for_responses(2)
    assert responses[1]["replace_original"] is True
    assert responses[1]["response_type"] == "ephemeral"
    assert slack.fake.of("chat.update") == [] and slack.fake.of("chat.postMessage") == []


async def test_a_public_message_in_a_channel_is_not_changed_for_one_person(slack: Slack) -> None:
    url = slack.fake.response_url("press")
    status = await slack.press(
        "~cmd:projects closing", user=EN, channel="C0000GEN", response_url=url
    )
    assert status == 200
    (response,) = await slack.fake.wait_for_responses()
    assert response["replace_original"] is False and response["response_type"] == "ephemeral"
    assert slack.fake.of("chat.update") == []


# --- App Home: settings -------------------------------------------------------------------------


async def test_the_app_home_is_the_settings_page(slack: Slack) -> None:
    await slack.event({"type": "app_home_opened", "user": ES, "tab": "home"})
    (call,) = await slack.fake.wait_for("views.publish")
    view = _view(call)
    pickers = {
        e["action_id"]: e
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["type"] == "static_select"
    }
    assert pickers["home:lang"]["initial_option"]["value"] == "es"
    assert [o["value"] for o in pickers["home:lang"]["options"]] == ["es", "en", "fr"]
    assert pickers["home:tz"]["initial_option"]["value"] == "Europe/Madrid"
    zones = [o["value"] for g in pickers["home:tz"]["option_groups"] for o in g["options"]]
    assert "America/Bogota" in zones and len(zones) <= 100
    assert "Ajustes" in call.all_text()


async def test_picking_a_language_and_a_time_zone_on_the_app_home(slack: Slack) -> None:
    body = select_body("home:lang", "fr", user=ES)
    status, _ = await slack.post(body, content_type="application/x-www-form-urlencoded")
    assert status == 200
    (home,) = await slack.fake.wait_for("views.publish")
    assert "Réglages" in home.all_text()
    body = select_body("home:tz", "America/Bogota", user=ES)
    await slack.post(body, content_type="application/x-www-form-urlencoded")
    second = (await slack.fake.wait_for("views.publish", 2))[1]
    assert "America/Bogota" in second.all_text()
    async with slack.app.db.read() as session:
        user = await session.scalar(select(User).where(User.platform_user_id == ES))
    assert user is not None
    assert (user.language_choice, user.timezone) == ("fr", "America/Bogota")
    assert slack.fake.of("chat.postMessage") == []  # the settings page answers by itself


async def test_a_change_made_in_a_conversation_refreshes_the_app_home(slack: Slack) -> None:
    await ask_in_dm(slack, "/language fr")
    (home,) = await slack.fake.wait_for("views.publish")
    assert home.args["user_id"] == EN and "Réglages" in home.all_text()
    assert await slack.command("/unsubscribe everything", user=EN) == 200
    await slack.fake.wait_for_responses()
    assert len(slack.fake.of("views.publish")) == 1  # nothing changed: not published


async def test_the_time_zone_comes_from_slack_until_the_member_chooses(slack: Slack) -> None:
    slack.fake.timezones[EN] = "America/Los_Angeles"
    await ask_in_dm(slack, "hello")
    await ask_in_dm(slack, "/timezone")
    assert "America/Los_Angeles" in slack.fake.of("chat.postMessage")[-1].all_text()
    await ask_in_dm(slack, "/timezone Europe/Paris")
    slack.app.core.users.drop("slack", EN)  # as after the cache's time: read from the database
    await ask_in_dm(slack, "/timezone")
    assert "Europe/Paris" in slack.fake.of("chat.postMessage")[-1].all_text()
    assert len(slack.fake.of("users.info")) == 1  # cached


# --- modals --------------------------------------------------------------------------------------


async def test_subscribe_without_a_name_opens_a_multi_select(slack: Slack) -> None:
    assert await slack.command("subscribe", user=EN) == 200
    (opened,) = await slack.fake.wait_for("views.open")
    assert opened.args["trigger_id"]
    view = _view(opened)
    assert view["callback_id"] == "form:subscribe"
    picker = view["blocks"][0]["element"]
    assert picker["type"] == "multi_static_select"
    groups = {
        g["label"]["text"]: [o["value"] for o in g["options"]] for g in picker["option_groups"]
    }
    assert "mega" in groups["Pilot projects"] and "all" in groups["Everything"]
    assert slack.fake.responses == []  # the modal instead of a text answer
    chosen = [{"value": "mega"}, {"value": "gender-equality"}, {"value": "digest"}]
    acked = await submit(
        slack, view, EN, item={"type": "multi_static_select", "selected_options": chosen}
    )
    assert acked == {}  # closes the modal
    (done,) = await slack.fake.wait_for("chat.postMessage")
    assert done.args["channel"] == EN and "subscribed to" in done.all_text()
    await slack.fake.wait_for("views.publish")
    async with slack.app.db.read() as session:
        rows = (await session.scalars(select(Subscription))).all()
    assert sorted((r.target_kind, r.target) for r in rows) == [
        ("digest", "*"),
        ("item", "mega"),
        ("theme", "gender-equality"),
    ]


async def test_in_a_dm_the_form_is_a_button_away(slack: Slack) -> None:
    message = await ask_in_dm(slack, "/subscribe")
    assert "cmd:subscribe" in values_of(message)
    assert await press_in(slack, message, "cmd:subscribe") == 200
    (opened,) = await slack.fake.wait_for("views.open")
    assert _view(opened)["callback_id"] == "form:subscribe"


async def test_the_staff_edit_modal_refuses_a_bad_field_then_saves(slack: Slack) -> None:
    await slack.app.core.handle(Incoming("telegram", "m1", "m1", action="sub:mega"))
    assert await slack.command("staff edit mega", user=STAFF) == 200
    (opened,) = await slack.fake.wait_for("views.open")
    view = _view(opened)
    assert view["callback_id"] == "form:edit" and json.loads(view["private_metadata"]) == {
        "item": "mega"
    }
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert set(inputs) == {"date", "place", "link", "status"}
    assert inputs["status"]["initial_option"]["value"] == "plan"
    refused = await submit(
        slack,
        view,
        STAFF,
        date={"type": "datepicker", "selected_date": "2019-06-12"},
        place=text_input("Barcelona"),
        link=text_input("ftp://example.org/mega"),
        status=option("plan"),
    )
    assert refused["response_action"] == "errors"
    assert set(refused["errors"]) == {"link"} and "https://" in refused["errors"]["link"]
    async with slack.app.db.read() as session:
        assert (await session.get(Item, "mega")).overrides == {}  # type: ignore[union-attr]
    saved = await submit(
        slack,
        view,
        STAFF,
        date={"type": "datepicker", "selected_date": "2019-06-12"},
        place=text_input("Barcelona"),
        link=text_input("https://example.org/mega"),
        status=option("postponed"),
    )
    assert saved == {}
    (done,) = await slack.fake.wait_for("chat.postMessage")
    assert done.args["channel"] == STAFF and "Notices queued: 1" in done.all_text()
    async with slack.app.db.read() as session:
        row = await session.get(Item, "mega")
        notices = (await session.scalars(select(Delivery))).all()
    assert row is not None and row.overrides == {
        "date": "2019-06-12",
        "place": "Barcelona",
        "link": "https://example.org/mega",
        "status": "postponed",
    }
    assert len(notices) == 1
    actions = [(e.action, e.allowed) for e in await audit(slack)]
    assert actions == [(a, True) for a in ("setdate", "setplace", "setlink", "postpone")]


async def test_a_member_cannot_open_or_submit_the_staff_modals(slack: Slack) -> None:
    assert await slack.command("staff edit mega", user=EN) == 200
    (refusal,) = await slack.fake.wait_for_responses()
    assert "reserved for Metropolis staff" in json.dumps(refusal)
    assert slack.fake.of("views.open") == []
    forged = {"callback_id": "form:edit", "private_metadata": json.dumps({"item": "mega"})}
    acked = await submit(slack, forged, EN, place=text_input("Nowhere"), status=option("plan"))
    assert acked == {}
    (told,) = await slack.fake.wait_for("chat.postMessage")
    assert told.args["channel"] == EN and "reserved for Metropolis staff" in told.all_text()
    async with slack.app.db.read() as session:
        assert (await session.get(Item, "mega")).overrides == {}  # type: ignore[union-attr]
    entries = await audit(slack)
    assert [(e.action, e.allowed, e.actor) for e in entries] == [
        ("edit", False, f"slack:{EN}"),
        ("edit", False, f"slack:{EN}"),
    ]


async def test_the_announce_modal_previews_then_sends(slack: Slack) -> None:
    member = Incoming("telegram", "m1", "m1", action="sub:mega", locale_hint="es")
    await slack.app.core.handle(member)
    assert await slack.command("staff announce", user=STAFF) == 200
    (opened,) = await slack.fake.wait_for("views.open")
    view = _view(opened)
    assert view["callback_id"] == "form:announce"
    inputs = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert inputs == ["item", "text_es", "text_en", "text_fr"]
    empty = await submit(slack, view, STAFF, item=option("mega"), text_en=text_input(" "))
    assert empty["response_action"] == "errors" and set(empty["errors"]) == {"text_en"}
    preview = await submit(
        slack, view, STAFF, item=option("mega"), text_es=text_input("Cambio de sala")
    )
    assert preview["response_action"] == "update"
    step = preview["view"]
    assert step["callback_id"] == "form:confirm" and step["submit"]["text"] == "Confirm and send"
    shown = json.dumps(step, ensure_ascii=False)
    assert "Cambio de sala" in shown and "telegram · es: 1" in shown
    sent = await submit(slack, step, STAFF)
    assert sent["response_action"] == "update"
    assert "1 message queued" in json.dumps(sent["view"])
    async with slack.app.db.read() as session:
        drafts = (await session.scalars(select(Announcement))).all()
        updates = (await session.scalars(select(Delivery).where(Delivery.kind == "update"))).all()
    assert drafts[0].status == "confirmed"
    assert [(u.platform, u.language) for u in updates] == [("telegram", "es")]


async def test_closing_the_preview_drops_the_draft(slack: Slack) -> None:
    assert await slack.command("staff announce mega", user=STAFF) == 200
    (opened,) = await slack.fake.wait_for("views.open")
    view = _view(opened)
    item = next(b for b in view["blocks"] if b.get("block_id") == "item")
    assert item["element"]["initial_option"]["value"] == "mega"
    preview = await submit(slack, view, STAFF, item=option("mega"), text_en=text_input("Hi"))
    body = view_body(preview["view"], user=STAFF, kind="view_closed")
    status, _ = await slack.post(body, content_type="application/x-www-form-urlencoded")
    assert status == 200

    async def dropped() -> bool:
        async with slack.app.db.read() as session:
            draft = (await session.scalars(select(Announcement))).first()
        return draft is not None and draft.status == "dropped"

    for _ in range(200):
        if await dropped():
            break
        await asyncio.sleep(0.02)
    assert await dropped()


async def test_link_buttons_are_url_buttons_whose_clicks_are_ignored(slack: Slack) -> None:
    message = await ask_in_dm(slack, "/calendar")
    links = [
        e
        for b in message.blocks()
        for e in b.get("elements", [])
        if isinstance(e, dict) and e.get("url")
    ]
    assert links and links[0]["url"].startswith(slack.app.settings.public_base_url)
    action = {"type": "button", "action_id": links[0]["action_id"], "url": links[0]["url"]}
    body = action_body("", user=EN, action=action)
    status, _ = await slack.post(body, content_type="application/x-www-form-urlencoded")
    assert status == 200
