"""Scenarios: signed requests to the real bolt AsyncApp over HTTP, answers read from the fake
Slack Web API (both on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.db.models import InboundUpdate, Subscription, User
from bot.db.subscriptions import subscribe
from tests.e2e.slack.conftest import SECRET, TOKEN, Slack, running, settings_for, texts
from tests.fakes.slack_api import BOT_ID, BOT_USER, event_body

pytestmark = pytest.mark.asyncio

ES, EN, FR = "UES0001", "UEN0001", "UFR0001"


def titles(slack: Slack, month: int, language: str, kinds=("event",)) -> list[str]:
    index = slack.app.content.index
    start, end = date(2019, month, 1), date(2019, month, 28)
    return [i.title[language] for i in index.between(start, end, kinds=kinds)]


def closing_projects(slack: Slack, language: str) -> list[str]:
    index = slack.app.content.index
    return [i.title[language] for i in index.of_kind("pilot_project") if i.status == "closing"]


async def settle(seconds: float = 0.3) -> None:
    """Give background work a moment (used before asserting that nothing happened)."""
    await asyncio.sleep(seconds)


async def inbound_count(slack: Slack) -> int:
    async with slack.app.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(InboundUpdate)) or 0)


# --- the HTTP endpoint -------------------------------------------------------------------------


async def test_url_verification_is_answered(slack: Slack):
    body = json.dumps(
        {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV", "type": "url_verification"}
    )
    status, text = await slack.post(body, content_type="application/json")
    assert status == 200
    assert "3eZbrw1aBm2rZgRNFdxV" in text


async def test_forged_signature_is_rejected_and_nothing_done(slack: Slack):
    event = {
        "type": "message",
        "channel": "D1",
        "channel_type": "im",
        "user": EN,
        "text": "next events",
        "ts": "1.1",
    }
    status, _ = await slack.event(event, secret="not-the-secret")
    assert status == 401
    await settle()
    assert slack.fake.calls == []
    assert await inbound_count(slack) == 0


async def test_stale_timestamp_is_rejected_and_nothing_done(slack: Slack):
    status = (
        await slack.post(
            event_body(
                {
                    "type": "message",
                    "channel": "D1",
                    "channel_type": "im",
                    "user": EN,
                    "text": "next events",
                    "ts": "1.1",
                }
            ),
            content_type="application/json",
            timestamp=int(time.time()) - 6 * 60,
        )
    )[0]
    assert status == 401
    await settle()
    assert slack.fake.calls == []
    assert await inbound_count(slack) == 0


async def test_missing_signature_is_rejected(slack: Slack):
    async with slack.http.post(
        slack.url, data=b"{}", headers={"Content-Type": "application/json"}
    ) as r:
        assert r.status == 401


async def test_oversized_body_is_refused(slack: Slack):
    body = "x" * (1024 * 1024 + 10)
    status, _ = await slack.post(body, content_type="application/json")
    assert status == 413
    assert slack.fake.calls == []


async def test_malformed_json_with_a_valid_signature_does_no_work(slack: Slack):
    status, _ = await slack.post(
        '{"type": "event_callback", "event": ', content_type="application/json"
    )
    assert status in (400, 401)
    await settle()
    assert slack.fake.calls == []
    assert await inbound_count(slack) == 0


# --- mentions, DMs and the slash command in three languages ------------------------------------


async def test_mention_in_spanish_answers_june_events_in_a_thread(slack: Slack):
    ts = await slack.mention("¿qué hay en junio?", user=ES)
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert call.args["channel"] == "C0000GEN"
    assert call.args["thread_ts"] == ts
    text = call.all_text()
    assert "junio" in text.lower()
    for title in titles(slack, 6, "es"):
        assert title in text


async def test_mention_in_english(slack: Slack):
    await slack.mention("what's on in June?", user=EN)
    (call,) = await slack.fake.wait_for("chat.postMessage")
    text = call.all_text()
    for title in titles(slack, 6, "en"):
        assert title in text


async def test_mention_in_french(slack: Slack):
    await slack.mention("quels événements en novembre ?", user=FR)
    (call,) = await slack.fake.wait_for("chat.postMessage")
    text = call.all_text()
    for title in titles(slack, 11, "fr"):
        assert title in text


@pytest.mark.parametrize(
    ("text", "user", "language"),
    [
        ("which pilot projects are closing?", EN, "en"),
        ("¿qué proyectos piloto terminan?", ES, "es"),
        ("quels projets pilotes se terminent ?", FR, "fr"),
    ],
)
async def test_dm_closing_pilot_projects(slack: Slack, text: str, user: str, language: str):
    status, _ = await slack.dm(text, user=user)
    assert status == 200
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert call.args["channel"] == "D" + user[1:]
    answer = call.all_text()
    expected = closing_projects(slack, language)
    assert len(expected) == 6
    for title in expected:
        assert title in answer


@pytest.mark.parametrize(
    ("text", "user", "month", "language"),
    [
        ("événements en novembre", FR, 11, "fr"),
        ("eventos de junio", ES, 6, "es"),
        ("events in November", EN, 11, "en"),
    ],
)
async def test_slash_command_answers_only_the_asker(
    slack: Slack, text: str, user: str, month: int, language: str
):
    started = time.monotonic()
    assert await slack.command(text, user=user) == 200
    assert time.monotonic() - started < 3  # acked at once
    (response, *_) = await slack.fake.wait_for_responses()
    assert response["response_type"] == "ephemeral"
    answer = texts(slack.fake.of("response_url"))
    for title in titles(slack, month, language):
        assert title in answer
    assert slack.fake.of("chat.postMessage") == []


async def test_slash_command_shared_goes_to_the_channel(slack: Slack):
    assert await slack.command("compartir eventos de junio", user=ES) == 200
    (response, *_) = await slack.fake.wait_for_responses()
    assert response["response_type"] == "in_channel"
    answer = texts(slack.fake.of("response_url"))
    for title in titles(slack, 6, "es"):
        assert title in answer


async def test_empty_slash_command_gets_help_in_the_users_language(slack: Slack):
    assert await slack.command("", user=FR) == 200
    await slack.fake.wait_for_responses()
    answer = texts(slack.fake.of("response_url"))
    assert "/metropolis" not in answer or True
    assert slack.fake.responses[0]["response_type"] == "ephemeral"
    await slack.app.core.writes.flush()  # the language seen is saved a moment after the answer
    async with slack.app.db.read() as session:
        user = await session.scalar(select(User).where(User.platform_user_id == FR))
    assert user is not None and user.language == "fr"


# --- buttons and App Home --------------------------------------------------------------------


async def test_button_round_trip_in_a_dm(slack: Slack):
    assert await slack.press("cmd:help", user=EN, channel="D" + EN[1:]) == 200
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert call.args["channel"] == "D" + EN[1:]
    assert call.all_text().strip()


async def test_button_in_a_channel_answers_the_presser_only(slack: Slack):
    status = await slack.press(
        "cmd:help", user=EN, channel="C0000GEN", response_url=slack.fake.response_url("x")
    )
    assert status == 200
    (response, *_) = await slack.fake.wait_for_responses()
    assert response["response_type"] == "ephemeral"
    assert response["replace_original"] is False
    assert slack.fake.of("chat.postMessage") == []


async def test_without_response_url_the_presser_gets_an_ephemeral_message(slack: Slack):
    assert await slack.press("cmd:help", user=EN, channel="C0000GEN") == 200
    (call,) = await slack.fake.wait_for("chat.postEphemeral")
    assert call.args["user"] == EN and call.args["channel"] == "C0000GEN"
    assert slack.fake.of("chat.postMessage") == []


async def test_bot_missing_from_a_channel_keeps_the_users_dm_subscriptions(slack: Slack):
    async with slack.app.db.write() as session:
        user = User(platform="slack", platform_user_id=EN, chat_id=EN)
        session.add(user)
        await session.flush()
        await subscribe(
            session,
            user_id=user.id,
            platform="slack",
            chat_id=EN,
            target_kind="item",
            target="mega",
        )
    slack.fake.fail("chat.postMessage", "not_in_channel")
    await slack.mention("next events", user=EN, channel="C0000OUT")
    await slack.fake.wait_for("chat.postMessage")
    await settle(0.5)
    async with slack.app.db.read() as session:
        row = await session.scalar(select(Subscription))
    assert row is not None and row.active is True


async def test_subscribe_button_subscribes(slack: Slack):
    slug = slack.app.content.index.of_kind("pilot_project")[0].slug
    assert await slack.press(f"sub:{slug}", user=ES, channel="D" + ES[1:]) == 200
    await slack.fake.wait_for("chat.postMessage")
    await slack.fake.wait_for("views.publish")  # the App Home shows the change
    async with slack.app.db.read() as session:
        rows = (await session.scalars(select(Subscription))).all()
    assert [(r.target, r.platform, r.active) for r in rows] == [(slug, "slack", True)]
    assert rows[0].chat_id == ES  # reminders go to the user's DM


async def test_app_home_is_published_in_the_users_language(slack: Slack):
    status, _ = await slack.event(
        {
            "type": "app_home_opened",
            "user": FR,
            "channel": "D" + FR[1:],
            "tab": "home",
            "event_ts": f"{time.time():.6f}",
        }
    )
    assert status == 200
    (call,) = await slack.fake.wait_for("views.publish")
    assert call.args["user_id"] == FR
    view = call.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home"
    text = call.all_text()
    assert "Prochains événements" in text and "/metropolis" in text
    upcoming = slack.app.content.index.upcoming(date(2019, 5, 20), kinds=("event",))
    assert upcoming[0].title["fr"] in text
    buttons = [
        e["value"]
        for b in view["blocks"]
        for e in ([b.get("accessory")] if b.get("accessory") else b.get("elements", []))
        if e and e.get("type") == "button"
    ]
    assert f"sub:{upcoming[0].slug}" in buttons


async def test_app_home_lists_subscriptions_with_unsubscribe_buttons(slack: Slack):
    async with slack.app.db.write() as session:
        user = User(platform="slack", platform_user_id=EN, chat_id=EN, language="en")
        session.add(user)
        await session.flush()
        await subscribe(
            session,
            user_id=user.id,
            platform="slack",
            chat_id=EN,
            target_kind="item",
            target="mega",
        )
    await slack.event({"type": "app_home_opened", "user": EN, "tab": "home"})
    (call,) = await slack.fake.wait_for("views.publish")
    text = call.all_text()
    assert "Your subscriptions" in text
    assert slack.app.content.index.get("mega").title["en"] in text
    assert "unsub:mega" in json.dumps(call.args["view"])


async def test_unsubscribe_from_the_app_home(slack: Slack):
    async with slack.app.db.write() as session:
        user = User(platform="slack", platform_user_id=ES, chat_id=ES, language="es")
        session.add(user)
        await session.flush()
        for kind, target in (("item", "mega"), ("all_events", "*")):
            await subscribe(
                session,
                user_id=user.id,
                platform="slack",
                chat_id=ES,
                target_kind=kind,
                target=target,
            )
    await slack.event({"type": "app_home_opened", "user": ES, "tab": "home"})
    (first,) = await slack.fake.wait_for("views.publish")
    view = json.dumps(first.args["view"])
    assert "unsub:mega" in view and "unsub:all" in view
    assert "sub:digest" in view and '"sub:all"' not in view
    status = await slack.press("unsub:mega", user=ES, channel=None, container={"type": "view"})
    assert status == 200
    (reply,) = await slack.fake.wait_for("chat.postMessage")
    assert reply.args["channel"] == ES  # answered in the user's DM
    second = (await slack.fake.wait_for("views.publish", count=2))[1]
    assert "unsub:mega" not in json.dumps(second.args["view"])
    async with slack.app.db.read() as session:
        rows = {r.target: r.active for r in (await session.scalars(select(Subscription))).all()}
    assert rows == {"mega": False, "*": True}


async def test_messages_tab_does_not_publish_home(slack: Slack):
    await slack.event({"type": "app_home_opened", "user": EN, "tab": "messages"})
    await settle()
    assert slack.fake.of("views.publish") == []


# --- what the bot must not answer, or answer once ----------------------------------------------


async def test_retried_event_is_answered_once(slack: Slack):
    event = {
        "type": "message",
        "channel": "D" + EN[1:],
        "channel_type": "im",
        "user": EN,
        "text": "which pilot projects are closing?",
        "ts": "1558000000.000100",
    }
    first, _ = await slack.event(event, event_id="Ev0RETRY01")
    retry, _ = await slack.event(
        event,
        event_id="Ev0RETRY01",
        extra={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert first == retry == 200
    await slack.fake.wait_for("chat.postMessage")
    await settle(0.5)
    assert len(slack.fake.of("chat.postMessage")) == 1
    assert await inbound_count(slack) == 1


async def test_concurrent_copies_are_answered_once(slack: Slack):
    event = {
        "type": "message",
        "channel": "D" + EN[1:],
        "channel_type": "im",
        "user": EN,
        "text": "hello",
        "ts": "1558000000.000200",
    }
    results = await asyncio.gather(*(slack.event(event, event_id="Ev0COPY001") for _ in range(5)))
    assert all(status == 200 for status, _ in results)
    await slack.fake.wait_for("chat.postMessage")
    await settle(0.5)
    assert len(slack.fake.of("chat.postMessage")) == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"user": BOT_USER, "bot_id": BOT_ID},  # the bot's own message
        {"user": "UOTHERBOT", "bot_id": "BOTHER01", "subtype": "bot_message"},  # another bot
        {"user": "UOTHERBOT", "bot_id": "BOTHER01"},  # another app's bot user
        {"subtype": "message_changed", "message": {"text": "next events", "user": EN}},
        {"subtype": "message_deleted", "previous_message": {"text": "next events"}},
        {"subtype": "channel_join"},
    ],
    ids=["own", "bot_message", "other_bot", "edit", "deletion", "join"],
)
async def test_ignored_messages(slack: Slack, fields: dict):
    user = fields.pop("user", EN)
    status, _ = await slack.dm("next events", user=user, **fields)
    assert status == 200
    await settle(0.5)
    assert slack.fake.of("chat.postMessage") == []
    assert slack.fake.of("chat.postEphemeral") == []


async def test_channel_messages_without_mention_are_ignored(slack: Slack):
    await slack.event(
        {
            "type": "message",
            "channel": "C0000GEN",
            "channel_type": "channel",
            "user": EN,
            "text": "next events",
            "ts": "1.2",
        }
    )
    await settle(0.5)
    assert slack.fake.of("chat.postMessage") == []


# --- limits, errors, escaping --------------------------------------------------------------


async def test_rate_limited_reply_is_retried_after_retry_after(slack: Slack):
    slack.fake.rate_limit("chat.postMessage", retry_after=1)
    started = time.monotonic()
    await slack.dm("which pilot projects are closing?", user=EN)
    calls = await slack.fake.wait_for("chat.postMessage", count=2, within=10)
    assert time.monotonic() - started >= 1.0
    assert len(calls) == 2
    assert calls[0].all_text() == calls[1].all_text()
    await settle()
    assert len(slack.fake.of("chat.postMessage")) == 2


@pytest.mark.parametrize("attempt", ["<!channel> hello", "&lt;!channel&gt; <@U0OTHER> <!here>"])
async def test_broadcast_attempts_are_escaped(slack: Slack, attempt: str):
    await slack.dm(f"{attempt} what about MEGA? @everyone", user=EN)
    await slack.fake.wait_for("chat.postMessage")
    await settle(0.2)
    for call in slack.fake.of("chat.postMessage"):
        text = call.all_text()
        for bad in ("<!channel>", "<!here>", "<!everyone>", "<@U0OTHER>", "@everyone"):
            assert bad not in text
        assert call.args.get("link_names") in (None, False, "0", "false")


async def test_permanent_error_deactivates_the_subscription(slack: Slack):
    async with slack.app.db.write() as session:
        user = User(platform="slack", platform_user_id=EN, chat_id=EN)
        session.add(user)
        await session.flush()
        await subscribe(
            session,
            user_id=user.id,
            platform="slack",
            chat_id=EN,
            target_kind="item",
            target="mega",
        )
    slack.fake.fail("chat.postMessage", "account_inactive")
    await slack.dm("hello", user=EN)
    await slack.fake.wait_for("chat.postMessage")
    await settle(0.5)
    async with slack.app.db.read() as session:
        row = await session.scalar(select(Subscription))
    assert row is not None and row.active is False
    assert row.deactivated_reason == "account_inactive"


async def test_users_info_failure_still_answers(slack: Slack):
    slack.fake.fail("users.info", "user_not_found")
    await slack.dm("which pilot projects are closing?", user=EN)
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert closing_projects(slack, "en")[0] in call.all_text()


async def test_locale_is_looked_up_once(slack: Slack):
    for _ in range(3):
        await slack.dm("hello", user=FR)
    await slack.fake.wait_for("chat.postMessage", count=3)
    infos = slack.fake.of("users.info")
    assert len(infos) == 1
    assert infos[0].args["user"] == FR and infos[0].args["include_locale"] in ("1", "true", True)


async def test_secrets_never_reach_the_logs(slack: Slack, caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    slack.fake.rate_limit("chat.postMessage", retry_after=0)
    await slack.dm("hello", user=EN)
    await slack.command("eventos de junio", user=ES)
    await slack.event({"type": "app_home_opened", "user": EN, "tab": "home"})
    await slack.event({"type": "message", "user": EN, "text": "x"}, secret="forged")
    await slack.fake.wait_for("chat.postMessage", count=2, within=10)
    await slack.fake.wait_for_responses()
    await slack.fake.wait_for("views.publish")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert logged  # something was logged at DEBUG
    assert TOKEN not in logged and SECRET not in logged
    assert "secret-bot-token" not in logged


# --- when the core fails ---------------------------------------------------------------------


async def test_a_user_row_race_is_retried_once(slack: Slack, monkeypatch: pytest.MonkeyPatch):
    real = slack.app.core.handle
    calls = []

    async def racing(incoming):
        calls.append(incoming)
        if len(calls) == 1:
            raise IntegrityError("INSERT INTO users", {}, Exception("duplicate key"))
        return await real(incoming)

    monkeypatch.setattr(slack.app.core, "handle", racing)
    await slack.dm("which pilot projects are closing?", user=EN)
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert len(calls) == 2
    assert closing_projects(slack, "en")[0] in call.all_text()


async def test_a_failing_core_gets_an_apology_not_silence(
    slack: Slack, monkeypatch: pytest.MonkeyPatch
):
    async def broken(incoming):
        raise RuntimeError("boom")

    monkeypatch.setattr(slack.app.core, "handle", broken)
    await slack.dm("hola", user=ES)
    (call,) = await slack.fake.wait_for("chat.postMessage")
    assert slack.app.catalog.get("core.error", "es") in call.all_text()


@pytest.mark.postgres
async def test_first_messages_racing_on_postgresql_are_all_answered(
    fake, tmp_path, postgres_database_url: str
):
    settings = settings_for(fake, tmp_path).with_(database_url=postgres_database_url)
    async with running(fake, settings) as slack:
        results = await asyncio.gather(*(slack.dm("hello", user="UNEW0001") for _ in range(6)))
        assert all(status == 200 for status, _ in results)
        await slack.fake.wait_for("chat.postMessage", count=6)
        async with slack.app.db.read() as session:
            users = (await session.scalars(select(User))).all()
        assert [u.platform_user_id for u in users] == ["UNEW0001"]
