"""One item's date reads the same in chat, a reminder, a digest, the staff overview, the
calendar feed and the Slack home tab, in each language (the real app on the 2019 plan)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.slack.home import build_home
from bot.app import App
from bot.core.messages import Incoming
from bot.db.outbox import Claimed
from bot.i18n.dates import LANGUAGES, format_when
from content.ical import plan_feed
from scheduler.render import Renderer

# A day (the 8th of March), a month and a period of months.
DAY, MONTH, PERIOD = "international-campaigns-8m", "uclg-congress-2019", "ptp-renamed-use"
BEFORE = datetime(2019, 1, 7, 9, tzinfo=UTC)  # a Monday before all three


def _row(kind: str, slug: str | None, language: str, payload: dict[str, Any]) -> Claimed:
    return Claimed(
        id=1,
        key=f"{kind}|{slug}",
        kind=kind,
        item_slug=slug,
        occurrence="test",
        platform="console",
        chat_id="c",
        user_id=None,
        subscription_id=None,
        language=language,
        payload=payload,
        attempts=0,
        due_at=BEFORE,
        expires_at=None,
        lease_owner="test",
        lease_until=BEFORE + timedelta(minutes=1),
    )


async def _chat(app: App, language: str, slug: str) -> str:
    user = f"same-date-{language}"
    await app.core.handle(Incoming("console", user, user, text=f"/language {language}"))
    (reply, *_) = await app.core.handle(Incoming("console", user, user, text=f"/about {slug}"))
    assert reply.language == language
    return reply.text


@pytest.mark.parametrize("language", LANGUAGES)
async def test_one_date_everywhere(plan_app: App, language: str) -> None:
    index = plan_app.content.index
    renderer = Renderer(plan_app.catalog, lambda: index, plan_app.settings.timezone)
    feed = plan_feed(index, language, plan_app.catalog, BEFORE).decode()
    unfolded = feed.replace("\r\n ", "").replace("\\,", ",")
    home = str(await build_home(plan_app, f"same-date-{language}", locale=language))
    for slug in (DAY, MONTH, PERIOD):
        item = index.get(slug)
        assert item is not None and item.start is not None
        said = format_when(item.precision, item.start, item.end, language)
        places = {
            "chat": await _chat(plan_app, language, slug),
            "reminder": renderer.render(_row("reminder", slug, language, {}), BEFORE),
            "digest": renderer.render(_row("digest", None, language, {"slugs": [slug]}), BEFORE),
            "staff overview": renderer.render(
                _row("staff_month", None, language, {"month": "2019-01", "slugs": [slug]}),
                BEFORE,
            ),
            "calendar feed": unfolded,
        }
        for place, shown in places.items():
            text = shown if isinstance(shown, str) else shown.text if shown else ""
            assert said in text, (slug, place, said, text)
    # The home tab shows the next events from today (20 May 2019), each dated the same way.
    shown = list(index.upcoming(plan_app.clock.today(), kinds=("event",)))[:5]
    assert shown
    for item in shown:
        assert format_when(item.precision, item.start, item.end, language) in home, item.slug
