"""One member's conversation answered in turn by two real ``web`` processes on one PostgreSQL
database: each follows what the other did (the conversation change feed), so "subscribe me to
it" and "undo" mean what the member meant, whichever process gets them."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import select, text

from bot.db.engine import Database
from bot.db.models import Conversation, Subscription, User
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.slack_requests import event_body, sign

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "xoxb-multiprocess-0000-token"
SECRET = "multiprocess-signing-secret-0123456789"
MEMBER = "U0000MEMB"
CHANNEL = "D0000MEMB"

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Web:
    """A ``python -m bot serve`` process in Slack HTTP mode."""

    def __init__(self, database_url: str, api_url: str, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/slack/events"
        inherited = os.environ.items()
        self.env = {k: v for k, v in inherited if not k.startswith(("SLACK_", "TELEGRAM_"))}
        self.env |= {
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": api_url,
            "PORT": str(self.port),
            "BOT_TODAY": "2019-05-20",
            "PYTHONPATH": str(ROOT),
        }
        self.log = log
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with self.log.open("wb") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "serve", cwd=ROOT, env=self.env, stdout=out, stderr=out
            )
        body = '{"type": "url_verification", "challenge": "ready", "token": "x"}'
        async with aiohttp.ClientSession() as http:
            for _ in range(600):
                assert self.process.returncode is None, self.log.read_text()[-3000:]
                headers = {"Content-Type": "application/json", **sign(SECRET, body)}
                with contextlib.suppress(aiohttp.ClientError):  # refused: not listening yet
                    async with http.post(self.url, data=body, headers=headers) as response:
                        if response.status == 200:
                            return
                await asyncio.sleep(0.1)
        raise AssertionError("the web process did not start:\n" + self.log.read_text()[-3000:])

    async def say(self, text: str, n: int, member: str = MEMBER) -> None:
        ts = f"1558000{n:03d}.000100"
        channel = "D" + member[1:]
        event = {"type": "message", "channel": channel, "channel_type": "im", "user": member,
                 "text": text, "ts": ts, "event_ts": ts}  # fmt: skip
        body = event_body(event)
        headers = {"Content-Type": "application/json", **sign(SECRET, body)}
        async with aiohttp.ClientSession() as http:
            async with http.post(self.url, data=body.encode(), headers=headers) as response:
                assert response.status == 200

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 20)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


@pytest.fixture
async def two_webs(
    postgres_database_url: str, tmp_path: Path
) -> AsyncIterator[tuple[Web, Web, FakeSlackAPI, Database]]:
    fake = await FakeSlackAPI(token=TOKEN, locales={MEMBER: "en-US"}).start()
    one = Web(postgres_database_url, fake.api_url, tmp_path / "one.log")
    two = Web(postgres_database_url, fake.api_url, tmp_path / "two.log")
    db = Database(postgres_database_url)
    try:
        await one.start()  # migrates and loads the plan first
        await two.start()
        # A first message starts each process's feed; once both listen, a process that
        # remembers a conversation trusts its memory until the other announces a write.
        await one.say("hello", 90, member="U0000WARM")
        await two.say("hello", 91, member="U0000WARM")
        await fake.wait_for("chat.postMessage", 2, within=30)
        await _listening(db, 2)
        fake.reset()
        yield one, two, fake, db
    finally:
        await one.stop()
        await two.stop()
        await fake.stop()
        await db.dispose()


async def _listening(db: Database, processes: int) -> None:
    for _ in range(200):
        async with db.read() as session:
            feeds = await session.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE usename = current_user "
                    "AND application_name = 'bot-conversations-feed'"
                )
            )
        if feeds == processes:
            await asyncio.sleep(0.2)  # the cache is cleared as it starts listening
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{processes} processes never listened")


async def _written(db: Database, holding: str) -> None:
    """Wait until the member's conversation row holds ``holding`` (written a moment after
    the reply), and a little longer, for the other process to hear of it."""
    for _ in range(200):
        async with db.read() as session:
            state = await session.scalar(
                select(Conversation.state).where(Conversation.user_id == MEMBER)
            )
        if state is not None and holding in str(state):
            await asyncio.sleep(0.3)
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the conversation never held {holding!r}")


async def _follows(db: Database) -> set[str]:
    async with db.read() as session:
        rows = await session.execute(
            select(Subscription.target)
            .join(User, User.id == Subscription.user_id)
            .where(User.platform_user_id == MEMBER, Subscription.active.is_(True))
        )
    return set(rows.scalars())


async def test_a_conversation_answered_in_turn_by_two_processes(
    two_webs: tuple[Web, Web, FakeSlackAPI, Database],
) -> None:
    one, two, fake, db = two_webs
    await one.say("tell me about MEGA", 1)
    await fake.wait_for("chat.postMessage", 1, within=30)
    await _written(db, "mega")
    await two.say("subscribe me to it", 2)  # the other process: "it" is MEGA
    await fake.wait_for("chat.postMessage", 2, within=30)
    assert await _follows(db) == {"mega"}
    await _written(db, "subscribe")  # what "undo" undoes
    # Back at the first process, which remembers MEGA's card (and nothing to undo): it must
    # have heard that the other process wrote this conversation since.
    await one.say("undo", 3)
    await fake.wait_for("chat.postMessage", 3, within=30)
    assert await _follows(db) == set()
    replies = [call.all_text() for call in fake.of("chat.postMessage")]
    assert "MEGA" in replies[1] and "MEGA" in replies[2], replies
