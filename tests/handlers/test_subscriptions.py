"""Subscriptions and time zones through the real core: commands, buttons, plain words."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.app import App, build_app
from bot.config import Settings
from bot.core.messages import Incoming, Reply
from bot.core.ports import FixedClock
from bot.db.models import Subscription, User

PLAN = Path(__file__).parents[1] / "scheduler" / "plan"


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", content_dir=PLAN)
    clock = FixedClock(datetime(2019, 6, 1, 12, tzinfo=ZoneInfo("Europe/Madrid")))
    built = await build_app(settings, clock=clock)
    yield built
    await built.close()


async def _say(app: App, text: str = "", *, action: str | None = None, user: str = "42",
               hint: str | None = "en") -> Reply:  # fmt: skip
    replies = await app.core.handle(
        Incoming("telegram", user, user, text=text, action=action, locale_hint=hint)
    )
    assert len(replies) == 1, replies
    return replies[0]


async def _subs(app: App, user: str = "42") -> set[tuple[str, str]]:
    async with app.db.read() as session:
        rows = await session.execute(
            select(Subscription.target_kind, Subscription.target)
            .join(User, User.id == Subscription.user_id)
            .where(User.platform_user_id == user, Subscription.active.is_(True))
        )
        return {(kind, target) for kind, target in rows.all()}


def _actions(reply: Reply) -> list[str]:
    return [b.action for row in reply.buttons for b in row]


async def test_subscribe_by_command_then_list_then_undo_by_button(app):
    reply = await _say(app, "/subscribe MEGA")
    assert "Metropolis Energy GovernAnce: MEGA" in reply.text and "9:00" in reply.text
    assert _actions(reply) == ["unsub:mega"]
    assert await _subs(app) == {("item", "mega")}
    again = await _say(app, "/subscribe mega")
    assert "already" in again.text
    listing = await _say(app, "/subscriptions")
    assert listing.title == "Your subscriptions" and _actions(listing) == ["unsub:mega"]
    undone = await _say(app, action="unsub:mega")
    assert "no more notices" in undone.text and _actions(undone) == ["sub:mega"]
    assert await _subs(app) == set()


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("subscribe me to MEGA", "en", {("item", "mega")}),
        ("suscríbeme al tema del agua", "es", {("theme", "water")}),
        ("abonne-moi à tous les événements", "fr", {("all_events", "*")}),
        ("subscribe me to the weekly digest", "en", {("digest", "*")}),
        ("I want to follow the EMA forum", "en", {("item", "ema-forum-2019")}),
        ("suscribirme a movilidad", "es", {("theme", "mobility")}),
    ],
)
async def test_subscribe_in_plain_words(app, text, hint, expected):
    reply = await _say(app, text, hint=hint)
    assert await _subs(app) == expected, reply.text
    assert reply.language == hint


async def test_several_projects_are_confirmed_first(app):
    asked = await _say(app, "suscríbeme a los proyectos sobre agua", hint="es")
    assert asked.text.startswith("¿Te suscribo a estos")
    assert _actions(asked) == ["ok:yes", "ok:no"]
    assert await _subs(app) == set()  # nothing yet: it covers several items
    done = await _say(app, "sí", hint="es")
    assert done.language == "es"
    subs = await _subs(app)
    assert subs and all(kind == "item" for kind, _ in subs)


async def test_buttons_other_handlers_emit_subscribe(app):
    await _say(app, action="sub:water-management")
    await _say(app, action="sub:mobility")
    await _say(app, action="sub:all")
    await _say(app, action="sub:digest")
    assert await _subs(app) == {
        ("item", "water-management"),
        ("theme", "mobility"),
        ("all_events", "*"),
        ("digest", "*"),
    }
    unknown = await _say(app, action="sub:no-such-thing")
    assert _actions(unknown) == ["sub:all", "sub:digest"]


async def test_unsubscribe_in_plain_words(app):
    await _say(app, "/subscribe MEGA")
    await _say(app, "/subscribe digest")
    await _say(app, "/subscribe all events")
    reply = await _say(app, "stop MEGA updates")
    assert "no more notices about Metropolis Energy GovernAnce: MEGA" in reply.text
    assert await _subs(app) == {("digest", "*"), ("all_events", "*")}
    reply = await _say(app, "unsubscribe from everything")
    assert "2 subscription" in reply.text
    assert await _subs(app) == set()
    reply = await _say(app, "darme de baja de todo", hint="es")
    assert reply.text == "No tienes suscripciones activas."


async def test_unknown_names_offer_choices(app):
    reply = await _say(app, "/subscribe zzzz qqqq")
    assert "couldn't find" in reply.text and _actions(reply) == ["sub:all", "sub:digest"]
    empty = await _say(app, "/subscriptions")
    assert _actions(empty) == ["sub:all", "sub:digest"]


async def test_button_actions_fit_in_64_bytes(app):
    for item in app.content.index.items.values():
        assert len(f"unsub:{item.slug}".encode()) <= 64


@pytest.mark.parametrize(
    ("text", "hint", "zone"),
    [
        ("/timezone Europe/Paris", "en", "Europe/Paris"),
        ("my time zone is America/New_York", "en", "America/New_York"),
        ("mi zona horaria es America/Mexico_City", "es", "America/Mexico_City"),
        ("mon fuseau horaire est Europe/Paris", "fr", "Europe/Paris"),
        ("/timezone tokyo", "en", "Asia/Tokyo"),
    ],
)
async def test_time_zone_by_command_and_plain_words(app, text, hint, zone):
    reply = await _say(app, text, hint=hint)
    assert zone in reply.text
    async with app.db.read() as session:
        stored = await session.scalar(select(User.timezone).where(User.platform_user_id == "42"))
    assert stored == zone


async def test_time_zone_shown_and_bad_names_refused(app):
    reply = await _say(app, "/timezone")
    assert "Europe/Madrid" in reply.text and "12:00" in reply.text
    bad = await _say(app, "/timezone Mars/Olympus")
    assert "don't know" in bad.text


@pytest.mark.parametrize(
    ("text", "hint", "label"),
    [
        ("/subscribe MEGA", "en", "Undo: "),
        ("/subscribe MEGA", "es", "Deshacer: "),
        ("/subscribe MEGA", "fr", "Annuler : "),  # French puts a space before the colon
    ],
)
async def test_undo_button_names_the_subscription_in_each_language(app, text, hint, label):
    reply = await _say(app, text, hint=hint)
    (undo,) = reply.buttons[0]
    assert undo.label.startswith(label) and "MEGA" in undo.label
    undone = await _say(app, action=undo.action, hint=hint)
    (again,) = undone.buttons[0]
    assert again.action == "sub:mega" and "MEGA" in again.label
    assert (" : " in again.label) == (hint == "fr")
