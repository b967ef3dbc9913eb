"""Staff commands through the real core: members are refused (and logged), staff can act."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.config import Settings
from bot.core.messages import Incoming, Reply
from bot.core.ports import FixedClock
from bot.db.models import Announcement, AuditEntry, Delivery, Item
from tests.conftest import PLAN_DIR, TODAY, at, copy_database
from tests.conftest import sqlite_url as _url

STAFF_TG = "9001"
STAFF_SLACK = "UBOSS"


@pytest.fixture
async def staff_app(plan_template: Path, tmp_path: Path) -> AsyncIterator[App]:
    """The real app where Telegram 9001, Slack UBOSS and the console are staff."""
    target = copy_database(plan_template, tmp_path / "staff.db")
    settings = Settings(
        database_url=_url(target),
        content_dir=PLAN_DIR,
        staff_telegram_ids=frozenset({STAFF_TG}),
        staff_slack_ids=frozenset({STAFF_SLACK}),
        console_staff=True,
    )
    app = await build_app(settings, clock=FixedClock(at(TODAY)))
    yield app
    await app.close()


async def _send(
    app: App, platform: str, user: str, text: str = "", *, action: str | None = None,
    hint: str | None = None,
) -> list[Reply]:  # fmt: skip
    replies = await app.core.handle(
        Incoming(platform, user, f"chat-{user}", text=text, action=action, locale_hint=hint)
    )
    assert replies
    for reply in replies:
        assert reply.text.strip()
        for row in reply.buttons:
            for button in row:
                assert len(button.action.encode()) <= 64
    return replies


async def _audit(app: App) -> list[AuditEntry]:
    async with app.db.read() as session:
        return list((await session.scalars(select(AuditEntry).order_by(AuditEntry.id))).all())


def _event_slug(app: App) -> str:
    index = app.content.index
    return next(s for s, item in index.items.items() if item.kind == "event")


MEMBERS = [("console", "someone", "es"), ("telegram", "555", "fr"), ("slack", "U123", "en")]
REFUSAL = {
    "es": "reservada al personal",
    "en": "reserved for Metropolis staff",
    "fr": "réservée au personnel",
}


@pytest.mark.parametrize(("platform", "user", "lang"), MEMBERS)
async def test_member_is_refused_in_their_language_and_logged(
    plan_app: App, platform: str, user: str, lang: str
) -> None:
    slug = _event_slug(plan_app)
    before = plan_app.content.index.get(slug)
    assert before is not None
    attempts = [
        f"/announce {slug} hello everyone",
        f"/setdate {slug} 2019-09-09",
        f"/cancel {slug}",
        "/stats",
        "/audit",
        "/retry all",
    ]
    await _send(plan_app, platform, user, action=f"lang:{lang}", hint=lang)
    for text in attempts:
        replies = await _send(plan_app, platform, user, text, hint=lang)
        assert len(replies) == 1
        assert REFUSAL[lang] in replies[0].text, (text, replies[0].text)
        assert replies[0].language == lang
    # A forged confirm button is refused too.
    replies = await _send(plan_app, platform, user, action="stf:ann:1", hint=lang)
    assert REFUSAL[lang] in replies[0].text
    entries = await _audit(plan_app)
    assert len(entries) == len(attempts) + 1
    assert all(not e.allowed for e in entries)
    assert {e.actor for e in entries} == {f"{platform}:{user}"}
    assert [e.action for e in entries][:4] == ["announce", "setdate", "cancel", "stats"]
    # Nothing changed and nothing was queued.
    after = plan_app.content.index.get(slug)
    assert after == before
    async with plan_app.db.read() as session:
        assert (await session.scalars(select(Delivery))).first() is None
        assert (await session.scalars(select(Announcement))).first() is None
        row = await session.get(Item, slug)
        assert row is not None and not row.overrides


@pytest.mark.parametrize(
    ("platform", "user"), [("telegram", STAFF_TG), ("slack", STAFF_SLACK), ("console", "me")]
)
async def test_staff_can_announce_with_preview_and_confirm(
    staff_app: App, platform: str, user: str
) -> None:
    slug = _event_slug(staff_app)
    # Two members subscribe, in two languages and on two platforms.
    await _send(staff_app, "telegram", "m1", action=f"sub:{slug}", hint="es")
    await _send(staff_app, "slack", "UM2", action=f"sub:{slug}", hint="fr")

    (preview,) = await _send(staff_app, platform, user, f"/announce {slug} Room changed", hint="en")
    assert "Room changed" in preview.text
    assert "telegram · es: 1" in preview.text
    assert "slack · fr: 1" in preview.text
    confirm = preview.buttons[0][0].action
    assert confirm.startswith("stf:ann:")
    async with staff_app.db.read() as session:
        drafts = (await session.scalars(select(Announcement))).all()
    assert [d.status for d in drafts] == ["draft"]

    (sent,) = await _send(staff_app, platform, user, action=confirm, hint="en")
    assert "2 message" in sent.text
    async with staff_app.db.read() as session:
        updates = (await session.scalars(select(Delivery).where(Delivery.kind == "update"))).all()
    assert {(d.platform, d.language) for d in updates} == {("telegram", "es"), ("slack", "fr")}
    # Pressing confirm twice sends nothing more.
    (again,) = await _send(staff_app, platform, user, action=confirm, hint="en")
    assert "no longer pending" in again.text

    entries = await _audit(staff_app)
    assert [e.action for e in entries] == ["announce.draft", "announce"]
    assert all(e.allowed and e.actor == f"{platform}:{user}" for e in entries)
    assert entries[-1].recipients == 2
    (log,) = await _send(staff_app, platform, user, "/audit", hint="en")
    assert "announce" in log.text and f"{platform}:{user}" in log.text


async def test_staff_edits_content_and_subscribers_are_told(staff_app: App) -> None:
    slug = _event_slug(staff_app)
    await _send(staff_app, "telegram", "m1", action=f"sub:{slug}", hint="es")

    (done,) = await _send(staff_app, "telegram", STAFF_TG, f"/setdate {slug} 2019-10-03")
    assert "1" in done.text
    item = staff_app.content.index.get(slug)
    assert item is not None and item.start == date(2019, 10, 3) and item.precision == "day"

    await _send(staff_app, "telegram", STAFF_TG, f"/setplace {slug} Palau de Congressos")
    await _send(staff_app, "telegram", STAFF_TG, f"/setlink {slug} https://example.org/x")
    (bad,) = await _send(staff_app, "telegram", STAFF_TG, f"/setlink {slug} javascript:alert(1)")
    assert "https://" in bad.text
    await _send(staff_app, "telegram", STAFF_TG, f"/cancel {slug}")
    item = staff_app.content.index.get(slug)
    assert item is not None
    assert (item.place, item.link, item.status) == (
        "Palau de Congressos",
        "https://example.org/x",
        "cancelled",
    )
    await _send(staff_app, "telegram", STAFF_TG, f"/setplace {slug} clear")
    await _send(staff_app, "telegram", STAFF_TG, f"/postpone {slug}")
    item = staff_app.content.index.get(slug)
    assert item is not None and item.status == "postponed"

    async with staff_app.db.read() as session:
        notices = (await session.scalars(select(Delivery).where(Delivery.kind == "change"))).all()
    assert len(notices) >= 3  # date, place and status changes each told once
    assert {d.chat_id for d in notices} == {"chat-m1"}

    entries = await _audit(staff_app)
    actions = [e.action for e in entries if e.allowed]
    assert actions == ["setdate", "setplace", "setlink", "cancel", "setplace", "postpone"]
    assert entries[0].recipients == 1


async def test_staff_stats_failed_and_retry(staff_app: App) -> None:
    slug = _event_slug(staff_app)
    await _send(staff_app, "telegram", "m1", action=f"sub:{slug}", hint="es")
    await _send(staff_app, "telegram", STAFF_TG, f"/cancel {slug}")
    async with staff_app.db.write() as session:
        row = (await session.scalars(select(Delivery))).first()
        assert row is not None
        row.status, row.last_error = "failed", "403 Forbidden: bot was blocked"
        failed_id = row.id

    (stats,) = await _send(staff_app, "slack", STAFF_SLACK, "/stats", hint="en")
    assert f"item:{slug}: 1" in stats.text
    assert "telegram · es: 1" in stats.text
    assert "1 failed" in stats.text

    (listing,) = await _send(staff_app, "slack", STAFF_SLACK, "/failed", hint="en")
    assert f"#{failed_id}" in listing.text
    (retried,) = await _send(staff_app, "slack", STAFF_SLACK, f"/retry {failed_id}", hint="en")
    assert ": 1 " in retried.text
    async with staff_app.db.read() as session:
        row = await session.get(Delivery, failed_id)
        assert row is not None and row.status == "pending"
    (none,) = await _send(staff_app, "slack", STAFF_SLACK, "/failed", hint="en")
    assert "No failed" in none.text

    (menu,) = await _send(staff_app, "console", "me", "/staff", hint="fr")
    assert "/announce" in menu.text and menu.language == "fr"
    actions = [e.action for e in await _audit(staff_app)]
    assert actions == ["cancel", "stats", "failed", "retry", "failed", "staff"]


async def test_staff_reload_validates_previews_and_applies(tmp_path: Path) -> None:
    content = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, content)
    settings = Settings(
        database_url=_url(tmp_path / "reload.db"),
        content_dir=content,
        staff_telegram_ids=frozenset({STAFF_TG}),
    )
    app = await build_app(settings, clock=FixedClock(at(TODAY)))
    try:
        (same,) = await _send(app, "telegram", STAFF_TG, "/reload", hint="en")
        assert "nothing new" in same.text

        path = content / "2019" / "statutory.toml"
        original = path.read_text()
        path.write_text(original.replace('slug = "board-meeting-2019"', 'slug = "board-2019"'))
        (broken,) = await _send(app, "telegram", "555", "/reload", hint="en")
        assert "reserved for Metropolis staff" in broken.text

        path.write_text(original.replace('title.en = "Statutory meetings"', "title.en = 3"))
        (bad,) = await _send(app, "telegram", STAFF_TG, "/reload", hint="en")
        assert "nothing was changed" in bad.text and "statutory.toml" in bad.text
        assert app.content.index.get("statutory") is not None

        path.write_text(original.replace('slug = "board-meeting-2019"', 'slug = "board-2019"'))
        (preview,) = await _send(app, "telegram", STAFF_TG, "/reload", hint="en")
        assert "board-2019" in preview.text and "board-meeting-2019" in preview.text
        assert app.content.index.get("board-2019") is None  # nothing applied yet
        (apply,) = [b.action for row in preview.buttons for b in row]
        (done,) = await _send(app, "telegram", STAFF_TG, action=apply, hint="en")
        assert "2 change" in done.text
        assert app.content.index.get("board-2019") is not None
        assert app.content.index.get("board-meeting-2019") is None

        actions = [(e.action, e.allowed) for e in await _audit(app)]
        assert actions == [
            ("reload.check", True),
            ("reload", False),
            ("reload.refused", True),
            ("reload.check", True),
            ("reload", True),
        ]
    finally:
        await app.close()


async def test_update_per_language_and_fallback_with_a_note(staff_app: App) -> None:
    slug = _event_slug(staff_app)
    await _send(staff_app, "telegram", "m1", action=f"sub:{slug}", hint="fr")
    text = f"/announce {slug} es: Sala nueva | en: New room"
    (preview,) = await _send(staff_app, "telegram", STAFF_TG, text, hint="en")
    assert "[es] Sala nueva" in preview.text and "[en] New room" in preview.text
    (bad,) = await _send(staff_app, "telegram", STAFF_TG, f"/announce {slug} es: a | b", hint="en")
    assert "Usage" in bad.text
    await _send(staff_app, "telegram", STAFF_TG, action=preview.buttons[0][0].action, hint="en")
    async with staff_app.db.read() as session:
        (delivery,) = (
            await session.scalars(select(Delivery).where(Delivery.kind == "update"))
        ).all()
    texts = delivery.payload["texts"]
    assert texts["es"] == "Sala nueva" and texts["en"] == "New room"
    # The plan's source language (Spanish) stands in for French, with a note in French.
    assert texts["fr"].startswith("Sala nueva") and "qu'en espagnol" in texts["fr"]


async def test_staff_commands_in_plain_words_for_slack(staff_app: App, plan_app: App) -> None:
    # "/metropolis staff stats" reaches the core as "staff stats"; "!stats" works too.
    for text in ("staff stats", "!stats", "STAFF !stats"):
        (reply,) = await _send(staff_app, "slack", STAFF_SLACK, text, hint="en")
        assert "Active subscriptions" in reply.text, text
    (refused,) = await _send(plan_app, "slack", "U123", "staff stats", hint="en")
    assert "reserved for Metropolis staff" in refused.text
    assert [(e.action, e.allowed) for e in await _audit(plan_app)] == [("stats", False)]
    # Plain questions that merely mention staff are not commands.
    (answer,) = await _send(plan_app, "slack", "U123", "staff meeting", hint="en")
    assert "reserved" not in answer.text


async def test_other_processes_see_staff_edits_on_their_next_sync(staff_app: App) -> None:
    # The clock runs in its own process with its own copy of the content; its next tick's
    # sync must pick up a staff edit made in the bot process (no file changed).
    other = await build_app(staff_app.settings, clock=FixedClock(at(TODAY)))
    try:
        slug = _event_slug(staff_app)
        await _send(staff_app, "telegram", STAFF_TG, f"/setdate {slug} 2019-10-03")
        stale = other.content.index.get(slug)
        assert stale is not None and stale.start != date(2019, 10, 3)
        assert await other.content.sync() is None  # the files did not change…
        fresh = other.content.index.get(slug)
        assert fresh is not None and fresh.start == date(2019, 10, 3)  # …the items did
    finally:
        await other.close()


async def test_change_notices_of_staff_edits_render_in_the_subscriber_language(
    staff_app: App,
) -> None:
    from bot.db.outbox import claim
    from bot.i18n.catalog import Catalog
    from scheduler.render import Renderer

    slug = _event_slug(staff_app)
    await _send(staff_app, "telegram", "m1", action=f"sub:{slug}", hint="es")
    await _send(staff_app, "telegram", "m1", action="lang:es", hint="es")
    await _send(staff_app, "telegram", STAFF_TG, f"/setdate {slug} 2019-10-03")
    await _send(staff_app, "telegram", STAFF_TG, f"/setplace {slug} Palau <b>&</b> @channel")
    await _send(staff_app, "telegram", STAFF_TG, f"/cancel {slug}")
    now = staff_app.clock.now()
    rows = await claim(staff_app.db, "telegram", owner="test", now=now)
    renderer = Renderer(Catalog.load(), lambda: staff_app.content.index, "Europe/Madrid")
    texts = [reply.text for row in rows if (reply := renderer.render(row, now)) is not None]
    assert len(texts) == 3, texts
    assert any("3 de octubre" in t for t in texts), texts
    assert any("Palau <b>&</b> @channel" in t for t in texts), texts
    assert any("cancelad" in t for t in texts), texts


async def test_sender_vouched_by_the_adapter_is_staff(plan_app: App) -> None:
    # The Slack adapter sets Incoming.staff for members of SLACK_STAFF_CHANNEL.
    replies = await plan_app.core.handle(
        Incoming("slack", "UCHAN", "DCHAN", text="/stats", locale_hint="en", staff=True)
    )
    assert "Active subscriptions" in replies[0].text
    (refused,) = await _send(plan_app, "slack", "UOTHER", "/stats", hint="en")
    assert "reserved for Metropolis staff" in refused.text


@pytest.mark.postgres
async def test_staff_tools_on_postgresql(postgres_database_url: str) -> None:
    settings = Settings(
        database_url=postgres_database_url,
        content_dir=PLAN_DIR,
        staff_telegram_ids=frozenset({STAFF_TG}),
    )
    app = await build_app(settings, clock=FixedClock(at(TODAY)))
    try:
        slug = _event_slug(app)
        await _send(app, "telegram", "m1", action=f"sub:{slug}", hint="es")
        (preview,) = await _send(app, "telegram", STAFF_TG, f"/announce {slug} Hola", hint="en")
        (sent,) = await _send(app, "telegram", STAFF_TG, action=preview.buttons[0][0].action)
        assert "1 message" in sent.text
        await _send(app, "telegram", STAFF_TG, f"/setdate {slug} 2019-10-03")
        async with app.db.write() as session:
            row = (await session.scalars(select(Delivery))).first()
            assert row is not None
            row.status = "failed"
        (retried,) = await _send(app, "telegram", STAFF_TG, "/retry all", hint="en")
        assert ": 1 " in retried.text
        (stats,) = await _send(app, "telegram", STAFF_TG, "/stats", hint="en")
        assert "Active subscriptions: 1" in stats.text
        (refused,) = await _send(app, "telegram", "m1", "/stats", hint="en")
        assert "reserved" in refused.text
        entries = [(e.action, e.allowed) for e in await _audit(app)]
        assert entries == [
            ("announce.draft", True),
            ("announce", True),
            ("setdate", True),
            ("retry", True),
            ("stats", True),
            ("stats", False),
        ]
        assert await app.content.sync() is None
    finally:
        await app.close()
