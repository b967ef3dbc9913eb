"""The feeds over real HTTP: a WebServer on 127.0.0.1, called with aiohttp.ClientSession."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from bot.calendars import feed_owner, personal_url, reset_token, revoke_token, token_for
from bot.db.engine import Database
from bot.db.models import Subscription, User
from tests.web.conftest import BASE_URL, Served
from tests.web.ical_helpers import expected_items, parse


async def _user(db: Database, platform_user_id: str, language: str | None) -> int:
    async with db.write() as session:
        user = User(
            platform="telegram",
            platform_user_id=platform_user_id,
            chat_id=platform_user_id,
            language=language,
        )
        session.add(user)
        await session.flush()
        return user.id


async def _subscribe(db: Database, user_id: int, kind: str, target: str, active: bool = True):
    async with db.write() as session:
        session.add(
            Subscription(
                user_id=user_id,
                target_kind=kind,
                target=target,
                platform="telegram",
                chat_id=str(user_id),
                active=active,
            )
        )


def _path(token: str) -> str:
    return personal_url("", token)


@pytest.mark.parametrize(
    ("query", "language", "name"),
    [
        ("?lang=es", "es", "Metropolis · Plan de trabajo 2019"),
        ("?lang=fr", "fr", "Metropolis · Plan de travail 2019"),
        ("?lang=en", "en", "Metropolis · Work plan 2019"),
        ("", "en", "Metropolis · Work plan 2019"),
        ("?lang=", "en", "Metropolis · Work plan 2019"),
        ("?lang=FR", "fr", "Metropolis · Plan de travail 2019"),
    ],
)
async def test_plan_feed(served: Served, query: str, language: str, name: str) -> None:
    status, body, headers = await served.get(f"/calendar.ics{query}")
    assert status == 200
    assert headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="metropolis-2019-{language}.ics"' in headers["Content-Disposition"]
    cal, events = parse(body)
    assert str(cal["X-WR-CALNAME"]) == name
    index = served.store.index
    assert len(events) == len(expected_items(index))
    assert events["cal-day@metropolis-bot"].summary == index.items["cal-day"].title[language]


@pytest.mark.parametrize("query", ["?lang=de", "?lang=english", "?lang=es-ES", "?lang=%00"])
async def test_plan_feed_refuses_other_languages(served: Served, query: str) -> None:
    status, body, _ = await served.get(f"/calendar.ics{query}")
    assert status == 400
    assert "es, en, fr" in body


async def test_head_request(served: Served) -> None:
    async with served.session.head(served.url + "/calendar.ics?lang=es") as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/calendar")


async def test_personal_feed_holds_only_what_the_user_follows(served: Served) -> None:
    db = served.db
    fr = await _user(db, "100", "fr")
    await _subscribe(db, fr, "item", "uclg-congress-2019")
    await _subscribe(db, fr, "theme", "mobility")
    await _subscribe(db, fr, "item", "women4climate-2019", active=False)  # undone
    await _subscribe(db, fr, "digest", "*")
    everything = await _user(db, "200", "es")
    await _subscribe(db, everything, "all_events", "*")
    nothing = await _user(db, "300", None)

    status, body, headers = await served.get(_path(await token_for(db, fr)))
    assert status == 200
    assert headers["Cache-Control"].startswith("private")
    cal, events = parse(body)
    assert str(cal["X-WR-CALNAME"]) == "Metropolis · Mes suivis"
    assert set(events) == {
        "uclg-congress-2019@metropolis-bot",
        "cal-day@metropolis-bot",
        "cal-new-year-eve@metropolis-bot",
    }
    assert events["uclg-congress-2019@metropolis-bot"].summary == (
        "Congrès mondial de CGLU (date à confirmer)"
    )

    status, body, _ = await served.get(_path(await token_for(db, everything)))
    assert status == 200
    _, events = parse(body)
    index = served.store.index
    assert set(events) == {
        f"{i.slug}@metropolis-bot" for i in expected_items(index) if i.kind == "event"
    }
    assert events["cal-cancelled@metropolis-bot"].status == "CANCELLED"
    assert events["women4climate-2019@metropolis-bot"].summary.endswith("(fecha por confirmar)")

    # No language known: the default (English); no subscription: a valid, empty calendar.
    status, body, _ = await served.get(_path(await token_for(db, nothing)))
    assert status == 200
    cal, events = parse(body)
    assert events == {}
    assert str(cal["X-WR-CALNAME"]) == "Metropolis · What I follow"


async def test_a_subscription_shows_up_on_the_next_fetch(served: Served) -> None:
    user = await _user(db := served.db, "400", "en")
    path = _path(await token_for(db, user))
    _, body, _ = await served.get(path)
    assert parse(body)[1] == {}
    await _subscribe(db, user, "item", "cal-day")
    _, body, _ = await served.get(path)
    assert set(parse(body)[1]) == {"cal-day@metropolis-bot"}


async def test_token_is_stable_until_reset_and_revoked_tokens_give_404(served: Served) -> None:
    db = served.db
    user = await _user(db, "500", "en")
    first = await token_for(db, user)
    assert await token_for(db, user) == first
    assert len(first) == 43
    assert (await served.get(_path(first)))[0] == 200

    second = await reset_token(db, user)
    assert second != first
    assert (await served.get(_path(first)))[0] == 404
    assert (await served.get(_path(second)))[0] == 200
    assert await feed_owner(db, first) is None

    await revoke_token(db, user)
    assert (await served.get(_path(second)))[0] == 404
    third = await token_for(db, user)  # asking again gives a new one
    assert third not in (first, second)
    assert (await served.get(_path(third)))[0] == 200


async def test_unknown_and_malformed_tokens_give_the_same_404(served: Served) -> None:
    db = served.db
    user = await _user(db, "600", "en")
    known = await token_for(db, user)
    # A token one character away from a real one.
    near = known[:-1] + ("A" if known[-1] != "A" else "B")
    _, reference, _ = await served.get("/no-such-page")
    for token in (
        secrets.token_urlsafe(32),
        near,
        known[:-1],
        known + "x",
        known.upper() if known.upper() != known else known.lower(),
        "x",
        "a" * 128,
    ):
        status, body, _ = await served.get(_path(token))
        assert status == 404, token
        assert body == reference
        assert await feed_owner(db, token) is None
    for path in ("/calendar/.ics", "/calendar/a.b.ics", "/calendar/%00.ics", "/calendar/x"):
        assert (await served.get(path))[0] == 404, path


async def test_feed_owner_language(served: Served) -> None:
    db = served.db
    user = await _user(db, "700", "en")
    async with db.write() as session:
        row = await session.get(User, user)
        assert row is not None
        row.language_choice = "es"
    owner = await feed_owner(db, await token_for(db, user))
    assert owner is not None and owner.user_id == user and owner.language == "es"


async def test_content_changes_reach_the_web_process(served: Served, plan_dir: Path) -> None:
    # Another process reloads the content; this one re-reads the database before a feed.
    _, body, _ = await served.get("/calendar.ics")
    assert parse(body)[1]["uclg-congress-2019@metropolis-bot"].sequence == 0
    items = plan_dir / "items.toml"
    items.write_text(
        items.read_text(encoding="utf-8").replace('when = "2019-11"', 'when = "2019-11-12"'),
        encoding="utf-8",
    )
    from bot.core.content_store import ContentStore

    other_process = ContentStore(served.db, plan_dir)
    assert await other_process.sync() is not None
    _, body, _ = await served.get("/calendar.ics")
    event = parse(body)[1]["uclg-congress-2019@metropolis-bot"]
    assert event.sequence == 1
    assert str(event.start) == "2019-11-12"


def test_links() -> None:
    assert personal_url(BASE_URL + "/", "abc_-1") == f"{BASE_URL}/calendar/abc_-1.ics"
