"""How long a personal-feed token lookup takes, by kind of token.

    python bench/calendar_token_timing.py [--database-url URL] [--users N] [--rounds N]

Fills a database with ``--users`` users holding calendar tokens, then times, interleaved in
random order so that drift hits every kind alike:

- ``feed_owner()`` (the lookup the web handler does) for a known token, an unknown random
  token, tokens one character away from a known one (first or last character), a prefix
  of a known token and a malformed token;
- the whole HTTP round trip on a real WebServer for the 404 cases (and the 200 of a known
  token with no subscription, for scale: it also builds a feed).

It prints median and 90th percentile in microseconds. What to look for: the unknown and
near-miss rows agree within noise (a near miss is not slower or faster than a random guess),
which is what keeps a token from being guessed piece by piece. The known token's lookup is
in the same range; its HTTP answer is slower because it builds a feed, and says "found" by
its status anyway.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import aiohttp
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.calendars import feed_owner, personal_url
from bot.config import Settings
from bot.core.content_store import ContentStore
from bot.core.ports import SystemClock
from bot.db.engine import Database
from bot.db.models import User
from bot.i18n.catalog import Catalog
from bot.web.calendar import CalendarFeeds
from bot.web.server import WebServer

PLAN = Path(__file__).resolve().parents[1] / "content" / "plan"


def _flip(char: str) -> str:
    return "A" if char != "A" else "B"


def _kinds(known: str) -> dict[str, str]:
    return {
        "known": known,
        "unknown (random)": secrets.token_urlsafe(32),
        "near miss (last char)": known[:-1] + _flip(known[-1]),
        "near miss (first char)": _flip(known[0]) + known[1:],
        "prefix (42 of 43)": known[:-1],
        "malformed ('x')": "x",
    }


async def _fill(db: Database, users: int) -> list[str]:
    tokens = [secrets.token_urlsafe(32) for _ in range(users)]
    async with db.write() as session:
        for start in range(0, users, 1000):
            await session.execute(
                insert(User),
                [
                    {
                        "platform": "telegram",
                        "platform_user_id": str(n),
                        "chat_id": str(n),
                        "role": "member",
                        "calendar_token": tokens[n],
                    }
                    for n in range(start, min(users, start + 1000))
                ],
            )
    return tokens


def _report(title: str, samples: dict[str, list[float]]) -> None:
    print(f"\n{title}")
    print(f"  {'token':<32} {'median µs':>10} {'p90 µs':>10} {'n':>7}")
    for kind, values in sorted(samples.items()):
        values.sort()
        median = statistics.median(values) * 1e6
        p90 = values[int(len(values) * 0.9)] * 1e6
        print(f"  {kind:<32} {median:>10.1f} {p90:>10.1f} {len(values):>7}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary directory")
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
        db = Database(url)
        await db.create_all()
        tokens = await _fill(db, args.users)
        print(f"database: {db.engine.url.get_backend_name()}, users with a token: {len(tokens)}")

        # 1. The lookup itself.
        samples: dict[str, list[float]] = defaultdict(list)
        plan = [(kind, r) for r in range(args.rounds) for kind in _kinds(tokens[0])]
        random.shuffle(plan)
        for kind, _ in plan:
            token = _kinds(random.choice(tokens))[kind]
            started = time.perf_counter()
            await feed_owner(db, token)
            samples[kind].append(time.perf_counter() - started)
        _report("feed_owner() lookup", samples)

        # 2. Over HTTP.
        content = ContentStore(db, PLAN)
        await content.sync()
        server = WebServer(host="127.0.0.1", port=0)
        CalendarFeeds(
            db=db,
            content=content,
            catalog=Catalog.load(),
            clock=SystemClock(Settings().tz),
            settings=Settings(),
            refresh_seconds=3600,
        ).mount(server)
        await server.start()
        samples = defaultdict(list)
        rounds = max(200, args.rounds // 4)
        plan = [(kind, r) for r in range(rounds) for kind in _kinds(tokens[0])]
        random.shuffle(plan)
        base = f"http://127.0.0.1:{server.port}"
        try:
            async with aiohttp.ClientSession() as session:
                for kind, _ in plan:
                    token = _kinds(random.choice(tokens))[kind]
                    started = time.perf_counter()
                    async with session.get(personal_url(base, token)) as response:
                        await response.read()
                    samples[f"{kind} → {response.status}"].append(time.perf_counter() - started)
        finally:
            await server.stop()
        _report("GET /calendar/<token>.ics", samples)
        await db.dispose()


if __name__ == "__main__":
    asyncio.run(main())
