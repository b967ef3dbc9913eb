"""``/calendar`` through the real core: the personal link, the .ics file, reset, plain words;
then the link itself, fetched from the real web server."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.calendars import feed_owner
from bot.config import Settings
from bot.conversation.state import ConversationState
from bot.core.messages import Incoming, Reply
from bot.db.models import Subscription, User
from bot.understanding.stage import understand
from bot.web.calendar import mount
from bot.web.server import WebServer
from tests.web.conftest import BASE_URL, FIXTURE_PLAN, HERE
from tests.web.ical_helpers import expected_items, parse

_LINK = re.compile(re.escape(BASE_URL) + r"/calendar/([A-Za-z0-9_-]{43})\.ics")


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    target = tmp_path / "plan"
    shutil.copytree(FIXTURE_PLAN, target)
    shutil.copy(HERE / "cases.toml", target / "cases.toml")
    return target


@pytest.fixture
async def app(tmp_path: Path, plan_dir: Path) -> AsyncIterator[App]:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        content_dir=plan_dir,
        public_base_url=BASE_URL,
        today=date(2019, 1, 15),
    )
    built = await build_app(settings)
    yield built
    await built.close()


async def _say(app: App, text: str, user: str = "42", hint: str | None = "en") -> Reply:
    replies = await app.core.handle(
        Incoming(platform="telegram", user_id=user, chat_id=user, text=text, locale_hint=hint)
    )
    assert len(replies) == 1, replies
    return replies[0]


async def _user_id(app: App, platform_user_id: str) -> int:
    async with app.db.read() as session:
        found = await session.scalar(
            select(User.id).where(
                User.platform == "telegram", User.platform_user_id == platform_user_id
            )
        )
    assert found is not None
    return found


def _token(reply: Reply) -> str:
    found = _LINK.search(reply.text)
    assert found, reply.text
    return found.group(1)


async def test_calendar_gives_a_personal_link_and_the_whole_plan_when_nothing_is_followed(
    app: App,
) -> None:
    reply = await _say(app, "/calendar")
    assert reply.language == "en"
    assert reply.title == "Your calendar"
    token = _token(reply)
    assert f"{BASE_URL}/calendar.ics?lang=en" in reply.text
    async with app.db.read() as session:
        stored = await session.get(User, await _user_id(app, "42"))
    assert stored is not None and stored.calendar_token == token
    # Nothing followed: the file is the whole plan, in English.
    assert reply.document is not None
    filename, body = reply.document
    assert filename == "metropolis-2019-en.ics"
    _, events = parse(body)
    assert len(events) == len(expected_items(app.content.index))
    # Asking again gives the same link.
    assert _token(await _say(app, "/calendar")) == token


async def test_calendar_file_holds_what_the_user_follows_in_their_language(app: App) -> None:
    await _say(app, "/calendar", hint="es")
    user = await _user_id(app, "42")
    async with app.db.write() as session:
        session.add(
            Subscription(
                user_id=user,
                target_kind="all_events",
                target="*",
                platform="telegram",
                chat_id="42",
            )
        )
    reply = await _say(app, "/calendario", hint="es")
    assert reply.language == "es"
    assert reply.title == "Tu calendario"
    assert reply.document is not None
    filename, body = reply.document
    assert filename == "metropolis-2019-my-calendar.ics"
    cal, events = parse(body)
    assert str(cal["X-WR-CALNAME"]) == "Metropolis · Lo que sigo"
    events_in_plan = [i for i in expected_items(app.content.index) if i.kind == "event"]
    assert len(events) == len(events_in_plan)
    assert f"(fechas: {len(events)})" in reply.text
    assert events["women4climate-2019@metropolis-bot"].summary == (
        "Conferencia Women4Climate 2019 (fecha por confirmar)"
    )


async def test_reset_replaces_the_link_and_the_old_one_stops_working(app: App) -> None:
    old = _token(await _say(app, "/calendar"))
    reply = await _say(app, "/calendar reset")
    new = _token(reply)
    assert new != old
    assert "no longer works" in reply.text
    assert await feed_owner(app.db, old) is None
    owner = await feed_owner(app.db, new)
    assert owner is not None and owner.user_id == await _user_id(app, "42")
    # Plain words too.
    newer = _token(await _say(app, "reset my calendar link"))
    assert newer not in (old, new)
    assert await feed_owner(app.db, new) is None


async def test_no_personal_link_in_a_group(app: App) -> None:
    for text in ("/calendar", "/calendar reset", "calendar"):
        replies = await app.core.handle(
            Incoming(
                platform="telegram",
                user_id="42",
                chat_id="-100123",
                text=text,
                locale_hint="en",
                is_group=True,
            )
        )
        assert len(replies) == 1
        reply = replies[0]
        assert reply.title == "Your calendar"
        assert "/calendar/" not in reply.text
        assert f"{BASE_URL}/calendar.ics?lang=en" in reply.text
        assert reply.document is not None
        assert reply.document[0] == "metropolis-2019-en.ics"
    async with app.db.read() as session:
        row = await session.get(User, await _user_id(app, "42"))
    assert row is not None and row.calendar_token is None  # none made, none reset


@pytest.mark.parametrize(
    ("text", "hint", "title"),
    [
        ("calendar", "en", "Your calendar"),
        ("add to my calendar", "en", "Your calendar"),
        ("Add it to my Google calendar please", "en", "Your calendar"),
        ("calendario", "es", "Tu calendario"),
        ("añadir a mi calendario", "es", "Tu calendario"),
        ("calendrier", "fr", "Votre calendrier"),
        ("Ajouter à mon calendrier", "fr", "Votre calendrier"),
        ("/calendrier", "fr", "Votre calendrier"),
        ("ical", "en", "Your calendar"),
    ],
)
async def test_plain_words(app: App, text: str, hint: str, title: str) -> None:
    reply = await _say(app, text, hint=hint)
    assert reply.title == title
    assert _token(reply)


@pytest.mark.parametrize(
    "text",
    [
        "calendar of events in June",
        "calendario de eventos de junio",
        "calendrier des événements",
        "add MEGA to my calendar",
        "what's on the calendar next week",
        "reset",
        "events",
    ],
)
async def test_other_questions_are_left_to_other_handlers(app: App, text: str) -> None:
    reading = understand(
        app.content.index,
        text=text,
        action=None,
        language="en",
        today=date(2019, 1, 15),
        chosen=None,
        state=ConversationState(),
    )
    assert reading.act != "calendar"


async def test_the_link_serves_the_feed(app: App) -> None:
    reply = await _say(app, "/calendar", user="77", hint="fr")
    user = await _user_id(app, "77")
    async with app.db.write() as session:
        session.add(
            Subscription(
                user_id=user,
                target_kind="theme",
                target="mobility",
                platform="telegram",
                chat_id="77",
            )
        )
    link = _LINK.search(reply.text)
    assert link
    server = WebServer(host="127.0.0.1", port=0)
    mount(server, app)
    await server.start()
    try:
        local = link.group(0).replace(BASE_URL, f"http://127.0.0.1:{server.port}")
        async with aiohttp.ClientSession() as session, session.get(local) as response:
            assert response.status == 200
            body = await response.read()
    finally:
        await server.stop()
    cal, events = parse(body)
    assert str(cal["X-WR-CALNAME"]) == "Metropolis · Mes suivis"
    assert set(events) == {"cal-day@metropolis-bot", "cal-new-year-eve@metropolis-bot"}
    assert events["cal-day@metropolis-bot"].summary == "Campagne du 8 mars"


async def test_web_role_mounts_calendars_and_health(app: App) -> None:
    from bot.services import services_for

    for role in ("web", "all"):
        servers = [s.server for s in services_for(app, role) if hasattr(s, "server")]
        assert len(servers) == 1
        paths = {r.resource.canonical for r in servers[0].app.router.routes() if r.resource}
        assert {"/calendar.ics", "/healthz"} <= paths
        assert any(p.startswith("/calendar/{token") for p in paths)
