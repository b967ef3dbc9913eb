"""Telegram throughput: updates per second through python-telegram-bot, echo bot vs this bot.

One run, one fake Bot API server (tests/fakes/telegram_api.py, 127.0.0.1, in a process of its
own so it does not share the contenders' CPU), N text updates (mixed questions in es/en/fr,
from many users) queued before each contender starts long polling:

(a) the minimal python-telegram-bot echo bot (``reply_text(update.message.text)``), as the
    library's examples write it — updates one at a time — and the same echo bot with
    ``concurrent_updates(32)``; also (a'') the one-at-a-time echo bot on this bot's aiohttp
    transport (bot/adapters/telegram/transport.py), so the bot's own cost can be told apart
    from the transport's saving;
(b) this bot: the real :class:`bot.adapters.telegram.adapter.TelegramAdapter` and core on a
    fresh SQLite database (dedup insert, user row, language, intent, handler, reply).

Each contender runs in a fresh subprocess; the clock starts when polling starts and stops when
the N-th update has been answered. Reported: updates/s, the ratio of (b) to (a), and the
resident memory (RSS) of each process after its run.

    .venv/bin/python bench/telegram_throughput.py            # N = 2000
    .venv/bin/python bench/telegram_throughput.py -n 5000 --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI  # noqa: E402

# (text, language_code of the client): questions as members ask them, in three languages,
# some from clients whose app language is not the question's.
QUESTIONS: list[tuple[str, str]] = [
    ("¿qué hay en junio?", "es"),
    ("próximos eventos", "es"),
    ("¿Cuándo es el Congreso Mundial?", "es"),
    ("háblame de MEGA", "es"),
    ("proyectos piloto", "es"),
    ("eventos de octubre", "es"),
    ("/events julio", "es"),
    ("temas", "es"),
    ("hola", "es"),
    ("gracias", "es"),
    ("quoi de prévu en juin ?", "en"),
    ("prochains événements", "fr"),
    ("quels sont les projets pilotes ?", "fr"),
    ("parle-moi de MEGA", "fr"),
    ("/events septembre", "fr"),
    ("les thèmes du plan", "fr"),
    ("bonjour", "fr"),
    ("merci beaucoup", "fr"),
    ("what's on in June?", "en"),
    ("upcoming events", "en"),
    ("when is the World Congress?", "en"),
    ("tell me about MEGA", "en"),
    ("which pilot projects are starting?", "en"),
    ("/next", "en"),
    ("/projects", "es"),
    ("/themes", "fr"),
    ("events in November", "en"),
    ("help", "en"),
    ("what about gender?", "en"),
    ("¿qué proyectos hay sobre agua?", "en"),
]


def _updates(n: int, users: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    items = []
    for i in range(n):
        text, hint = rng.choice(QUESTIONS)
        items.append({"text": text, "user_id": 10_000 + (i % users), "language_code": hint})
    return items


# ---------------------------------------------------------------- the fake server process


def _serve_fake(conn: Any) -> None:
    async def main() -> None:
        api = FakeTelegramAPI(record=False, max_poll=1.0)
        await api.start()
        conn.send(api.url)
        await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # until told to stop
        await api.stop()

    asyncio.run(main())


# ---------------------------------------------------------------- contenders (subprocesses)


async def _queue(api_url: str, updates: list[dict[str, Any]]) -> None:
    import aiohttp

    async with aiohttp.ClientSession() as session:
        await (await session.post(f"{api_url}/_fake/reset")).read()
        for start in range(0, len(updates), 500):
            chunk = updates[start : start + 500]
            await (await session.post(f"{api_url}/_fake/updates", json=chunk)).read()


async def _wait(count: Any, n: int, within: float) -> float:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while count() < n:
        if loop.time() > deadline:
            raise TimeoutError(f"only {count()} of {n} updates answered in {within:.0f}s")
        await asyncio.sleep(0.002)
    return time.perf_counter()


async def _echo(api_url: str, n: int, concurrent: int, *, aiohttp: bool = False) -> dict[str, Any]:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    handled = 0

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        nonlocal handled
        assert update.message is not None and update.message.text is not None
        await update.message.reply_text(update.message.text)
        handled += 1

    builder = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{api_url}/bot")
        .base_file_url(f"{api_url}/file/bot")
    )
    if concurrent > 1:
        builder = builder.concurrent_updates(concurrent)
    if aiohttp:
        from bot.adapters.telegram.transport import AiohttpRequest

        builder = builder.request(AiohttpRequest()).get_updates_request(AiohttpRequest())
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    async with application:
        assert application.updater is not None
        started = time.perf_counter()
        await application.updater.start_polling(timeout=1)
        await application.start()
        finished = await _wait(lambda: handled, n, 600)
        await application.updater.stop()
        await application.stop()
    return {"handled": handled, "seconds": finished - started}


async def _bot(api_url: str, n: int, database_url: str | None) -> dict[str, Any]:
    from bot.adapters.telegram.adapter import TelegramAdapter
    from bot.app import build_app
    from bot.config import Settings
    from bot.runtime import freeze_startup

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=database_url or f"sqlite+aiosqlite:///{tmp}/bench.db",
            today=date(2019, 5, 15),
            telegram_token=TOKEN,
            telegram_api_url=api_url,
        )
        app = await build_app(settings)
        adapter = TelegramAdapter(app, poll_timeout=1)
        try:
            # start() also registers the menus (4 calls) before polling: not in the timing.
            await adapter.start()
            started = adapter.polling_started_at or time.perf_counter()
            freeze_startup()  # as `python -m bot run` does once started
            finished = await _wait(lambda: adapter.handled, n, 600)
        finally:
            await adapter.stop()
            await app.close()
    return {"handled": adapter.handled, "seconds": finished - started}


def _contender(kind: str, api_url: str, n: int, users: int, database_url: str | None) -> None:
    import psutil

    asyncio.run(_queue(api_url, _updates(n, users)))
    if kind == "echo":
        result = asyncio.run(_echo(api_url, n, 1))
    elif kind == "echo32":
        result = asyncio.run(_echo(api_url, n, 32))
    elif kind == "echo-aiohttp":
        result = asyncio.run(_echo(api_url, n, 1, aiohttp=True))
    else:
        result = asyncio.run(_bot(api_url, n, database_url))
    process = psutil.Process()
    cpu = process.cpu_times()
    result["kind"] = kind
    result["rate"] = result["handled"] / result["seconds"]
    result["rss_mb"] = process.memory_info().rss / 2**20
    result["cpu_s"] = cpu.user + cpu.system  # the whole process, start-up included
    print(json.dumps(result), flush=True)


def _run_contender(kind: str, api_url: str, n: int, users: int, extra: list[str]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--contender", kind, "--api", api_url]
    command += ["-n", str(n), "--users", str(users), *extra]
    env = dict(os.environ, LOG_LEVEL="WARNING")
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _on_postgres(server: str, api_url: str, n: int, users: int) -> dict[str, Any]:
    import uuid

    import asyncpg
    from sqlalchemy.engine import make_url

    admin = make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"bench_telegram_{uuid.uuid4().hex[:8]}"

    async def execute(statement: str) -> None:
        connection = await asyncpg.connect(admin, timeout=10)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(execute(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(server).set(drivername="postgresql+asyncpg", database=name)
        extra = ["--database-url", url.render_as_string(hide_password=False)]
        result = _run_contender("bot", api_url, n, users, extra)
    finally:
        asyncio.run(execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    result["kind"] = "bot-pg"
    return result


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=2000, help="updates per contender (≥ 2000)")
    parser.add_argument("--users", type=int, default=200, help="distinct users sending them")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (medians are reported)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--contender", help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also run this bot on PostgreSQL (a fresh database per round on this server, "
        "e.g. postgresql://postgres@127.0.0.1:5432/test)",
    )
    args = parser.parse_args()
    if args.contender:
        _contender(args.contender, args.api, args.n, args.users, args.database_url)
        return 0

    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=_serve_fake, args=(child,), daemon=True)
    server.start()
    kinds: tuple[str, ...] = ("echo", "echo32", "echo-aiohttp", "bot")
    if args.postgres:
        kinds += ("bot-pg",)
    runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in kinds}
    try:
        api_url = parent.recv()
        for _ in range(args.rounds):  # interleaved, so a busy moment hits all three alike
            for kind in kinds:
                if kind == "bot-pg":
                    runs[kind].append(_on_postgres(args.postgres, api_url, args.n, args.users))
                else:
                    runs[kind].append(_run_contender(kind, api_url, args.n, args.users, []))
    finally:
        parent.send("stop")
        server.join(10)
    rate = {kind: _median([r["rate"] for r in runs[kind]]) for kind in kinds}
    ratios = [b["rate"] / e["rate"] for b, e in zip(runs["bot"], runs["echo"], strict=True)]
    bot_last = runs["bot"][-1]
    summary = {
        "n": args.n,
        "users": args.users,
        "rounds": args.rounds,
        "echo_rate": round(rate["echo"], 1),
        "echo32_rate": round(rate["echo32"], 1),
        "bot_rate": round(rate["bot"], 1),
        "ratio": round(rate["bot"] / rate["echo"], 2),
        "ratio_per_round": [round(r, 2) for r in ratios],
        "ratio_vs_echo32": round(rate["bot"] / rate["echo32"], 2),
        "echo_aiohttp_rate": round(rate["echo-aiohttp"], 1),
        "ratio_vs_echo_aiohttp": round(rate["bot"] / rate["echo-aiohttp"], 2),
        "bot_rss_mb": round(_median([r["rss_mb"] for r in runs["bot"]]), 1),
        "echo_rss_mb": round(_median([r["rss_mb"] for r in runs["echo"]]), 1),
        "bot_cpu_ms_per_update": round(1000 * bot_last["cpu_s"] / args.n, 2),
        "echo_cpu_ms_per_update": round(1000 * runs["echo"][-1]["cpu_s"] / args.n, 2),
        "rates": {kind: [round(r["rate"], 1) for r in runs[kind]] for kind in kinds},
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "load_average": round(os.getloadavg()[0], 1),
    }
    if "bot-pg" in rate:
        summary["bot_pg_rate"] = round(rate["bot-pg"], 1)
        summary["ratio_pg"] = round(rate["bot-pg"] / rate["echo"], 2)
        summary["bot_pg_rss_mb"] = round(_median([r["rss_mb"] for r in runs["bot-pg"]]), 1)
    if args.json:
        print(json.dumps(summary))
        return 0
    load = summary["load_average"]
    print(
        f"{args.n} text updates from {args.users} users (es/en/fr), fake Bot API on 127.0.0.1, "
        f"{args.rounds} round(s), medians; load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    rows = [
        (
            "(a)  PTB echo bot, one at a time",
            f"{rate['echo']:8.1f} updates/s  {runs_of(runs, 'echo')}",
        ),
        (
            "(a') PTB echo bot, 32 at a time",
            f"{rate['echo32']:8.1f} updates/s  {runs_of(runs, 'echo32')}",
        ),
        (
            "(a'') echo bot, aiohttp transport",
            f"{rate['echo-aiohttp']:8.1f} updates/s  {runs_of(runs, 'echo-aiohttp')}",
        ),
        ("(b)  this bot", f"{rate['bot']:8.1f} updates/s  {runs_of(runs, 'bot')}"),
        *(
            [
                (
                    "(b') this bot on PostgreSQL",
                    f"{rate['bot-pg']:8.1f} updates/s  {runs_of(runs, 'bot-pg')}",
                )
            ]
            if "bot-pg" in rate
            else []
        ),
        (
            "ratio (b)/(a)",
            f"{summary['ratio']:8.2f}   (aim >= 0.7); per round {ratios_text(ratios)}",
        ),
        ("ratio (b)/(a')", f"{summary['ratio_vs_echo32']:8.2f}"),
        ("ratio (b)/(a'')", f"{summary['ratio_vs_echo_aiohttp']:8.2f}   (same transport)"),
        *([("ratio (b')/(a)", f"{summary['ratio_pg']:8.2f}")] if "bot-pg" in rate else []),
        (
            "CPU per update (whole process)",
            f"bot {summary['bot_cpu_ms_per_update']} ms, "
            f"echo {summary['echo_cpu_ms_per_update']} ms",
        ),
        ("RSS after the run", f"bot {summary['bot_rss_mb']} MB, echo {summary['echo_rss_mb']} MB"),
        *(
            [("RSS after the run (PostgreSQL)", f"bot {summary['bot_pg_rss_mb']} MB")]
            if "bot-pg" in rate
            else []
        ),
    ]
    for label, value in rows:
        print(f"  {label:<32} : {value}")
    return 0


def ratios_text(ratios: list[float]) -> str:
    return ", ".join(f"{r:.2f}" for r in ratios)


def runs_of(runs: dict[str, list[dict[str, Any]]], kind: str) -> str:
    return "(" + ", ".join(f"{r['rate']:.0f}" for r in runs[kind]) + ")"


if __name__ == "__main__":
    sys.exit(main())
