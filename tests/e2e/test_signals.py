"""SIGTERM to ``python -m bot run|serve|worker|clock``: during start-up it cancels the
start-up, during a fan-out the messages in flight finish; either way the process exits 0
within the shutdown bound, nothing left open, nothing lost (unsent rows still pending)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, insert, select

from bot.db.engine import Database
from bot.db.models import Delivery, Subscription, User
from bot.db.schema import upgrade
from bot.lifetime import SHUTDOWN_TIMEOUT
from tests.e2e.processes import ROOT, BlackHole, assert_clean, bot_env, start_bot
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI

pytestmark = pytest.mark.slow

# The bound is behaviour (a platform kills the process after its grace period), not speed:
# the shutdown budget plus the interpreter's own exit.
BOUND = SHUTDOWN_TIMEOUT + 5.0


async def test_sigterm_while_telegram_does_not_answer_get_me(tmp_path: Path):
    async with BlackHole() as api:
        env = bot_env(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api.url)
        bot = await start_bot(tmp_path, "run", "--no-console", env=env)
        await api.accepted.wait()  # start-up is waiting for getMe
        code, _took = await bot.stop(within=BOUND)
    assert code == 0, bot.text
    assert_clean(bot.text, TOKEN)


async def test_sigterm_while_slack_socket_mode_connects(tmp_path: Path):
    async with BlackHole() as api:
        env = bot_env(
            tmp_path,
            SLACK_BOT_TOKEN="xoxb-test-token",
            SLACK_APP_TOKEN="xapp-1-test-app-token",
            SLACK_API_URL=f"{api.url}/api/",
        )
        bot = await start_bot(tmp_path, "worker", env=env)
        await api.accepted.wait()
        code, _took = await bot.stop(within=BOUND)
    assert code == 0, bot.text
    assert_clean(bot.text, "xoxb-test-token", "xapp-1-test-app-token")


@pytest.mark.parametrize("command", ["serve", "clock"])
async def test_sigterm_while_the_database_does_not_answer(tmp_path: Path, command: str):
    async with BlackHole() as database:
        url = f"postgresql+asyncpg://bot:pa55word@127.0.0.1:{database.port}/metropolis"
        bot = await start_bot(tmp_path, command, env=bot_env(tmp_path, DATABASE_URL=url))
        await database.accepted.wait()  # connecting: asyncpg waits for the server's answer
        code, _took = await bot.stop(within=BOUND)
    assert code == 0, bot.text
    assert_clean(bot.text, "pa55word")


# --- during a fan-out ------------------------------------------------------------------------

MADRID = ZoneInfo("Europe/Madrid")
PLAN = ROOT / "tests" / "multiprocess" / "plan"
EVENT = "big-forum-2019"  # on 12 June 2019: its 7-days-before reminder goes at 09:00 on 5 June
SUBSCRIBERS = 200  # at 25 messages a second, eight seconds of sending
ASKER = 4242


async def _subscribers(db: Database, count: int) -> None:
    at = datetime(2019, 6, 1, 12, 0, tzinfo=MADRID)
    users = [
        {
            "platform": "telegram",
            "platform_user_id": str(100_000 + i),
            "chat_id": str(100_000 + i),
            "language": ("es", "en", "fr")[i % 3],
            "role": "member",
            "created_at": at,
            "last_seen_at": at,
        }
        for i in range(1, count + 1)
    ]
    async with db.write() as session:
        # Ids from the database's own sequence: the member who writes later gets the next.
        ids = (await session.execute(insert(User).returning(User.id, User.chat_id), users)).all()
        subscriptions = [
            {
                "user_id": user_id,
                "target_kind": "item",
                "target": EVENT,
                "platform": "telegram",
                "chat_id": chat_id,
                "active": True,
                "created_at": at,
            }
            for user_id, chat_id in ids
        ]
        await session.execute(insert(Subscription), subscriptions)


async def test_sigterm_during_a_fan_out_finishes_in_flight_and_loses_nothing(
    database_url: str, tmp_path: Path
):
    db = Database(database_url)
    await upgrade(db)
    await _subscribers(db, SUBSCRIBERS)
    async with FakeTelegramAPI(max_poll=0.5) as api:
        env = bot_env(
            tmp_path,
            DATABASE_URL=database_url,
            BOT_CONTENT_DIR=str(PLAN),
            BOT_NOW="2019-06-05T09:00",  # the reminder is due: the first tick fans it out
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=api.url,
            LOG_LEVEL="INFO",
        )
        bot = await start_bot(tmp_path, "run", "--no-console", env=env)
        try:
            # A member talks meanwhile: a first message in Spanish, then one in English,
            # whose inferred language is saved a moment after the answer (or at the stop).
            api.send_text("hola, ¿qué eventos hay en junio?", user_id=ASKER, language_code=None)
            await api.wait_sent(1, chat_id=ASKER, within=60)
            api.send_text("and what is on in July?", user_id=ASKER, language_code=None)
            await api.wait_sent(2, chat_id=ASKER, within=60)
            await api.wait_for(lambda: len(api.sent()) >= 2 + 20, within=60)
            code, _took = await bot.stop(within=BOUND)
        finally:
            if bot.process.returncode is None:
                bot.process.kill()
        received = {str(call.chat_id) for call in api.sent() if call.chat_id != ASKER}
    assert code == 0, bot.text
    assert_clean(bot.text, TOKEN)
    assert "SIGTERM: stopping" in bot.text

    async with db.read() as session:
        rows = (await session.execute(select(Delivery.status, Delivery.chat_id))).all()
        leased = await session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.status == "pending", Delivery.lease_owner.is_not(None))
        )
        asker = await session.scalar(select(User.language).where(User.platform_user_id == "4242"))
    await db.dispose()
    sent = {chat for status, chat in rows if status == "sent"}
    pending = {chat for status, chat in rows if status == "pending"}
    assert len(rows) == SUBSCRIBERS
    assert sent == received  # every message that went out is marked, and only those
    assert pending == {str(100_000 + i) for i in range(1, SUBSCRIBERS + 1)} - sent
    assert pending, "the fan-out finished before the stop: nothing was tested"
    assert leased == 0  # given back at the stop: another sender need not wait for them
    assert asker == "en"  # the member's last inferred language was saved
