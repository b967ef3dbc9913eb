"""Slack throughput: signed events per second through slack-bolt, echo app vs this bot.

One run, one fake Slack Web API (tests/fakes/slack_api.py, 127.0.0.1) and one load generator
in this process; each contender runs in a fresh subprocess of its own, in HTTP mode, behind
the same aiohttp :class:`bot.web.server.WebServer`:

(a) a minimal slack-bolt echo app: ``AsyncApp`` + ``@app.event("message")`` →
    ``chat.postMessage(text=event["text"])``, with the same pooled Web API client;
(b) this bot, started as a user would: ``python -m bot run`` with ``SLACK_BOT_TOKEN``,
    ``SLACK_SIGNING_SECRET``, ``SLACK_API_URL`` and ``PORT``, on a fresh SQLite database
    (signature check, event_id dedup insert, cached users.info locale, user row, language,
    intent, handler, Block Kit reply).

Each event is a signed ``message.im`` Events API request (mixed questions in es/en/fr from
100 users), sent with ``--concurrency`` requests in flight, as Slack would deliver them. A
warm-up of ``--warmup`` events (not counted) comes first. ``--mix`` chooses the questions:
``plan16`` (the default) repeats the 16 below; ``members`` draws from the single questions
members' evaluation sets hold (``bench/data/understanding/*/singles.jsonl``, 2,500 texts),
each user asking in its own locale's language, so that few texts repeat. The clock starts
with the first measured request and stops at the last ``chat.postMessage`` the fake receives
for them. Reported: events/s for both, the ratio (b)/(a), the HTTP ack latency (p50/p99), and CPU
seconds per event of each contender's process. ``--breakdown`` adds two contenders that
show where the difference goes: (c) the adapter with a constant core, and (d) this bot with
the understanding stage's readings and the language resolver's answers kept by message
text (memoised): what the bot would reach if understanding a message cost nothing.

    .venv/bin/python bench/slack_throughput.py                 # N = 2000
    .venv/bin/python bench/slack_throughput.py -n 5000 --json
    .venv/bin/python bench/slack_throughput.py -r 2 --breakdown --mix members
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import socket
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fakes.slack_api import FakeSlackAPI, event_body, sign  # noqa: E402

TOKEN = "xoxb-bench-0000-token"
SECRET = "bench-signing-secret-0123456789abcdef"

# (text, Slack locale of the asker): questions as members ask them, in three languages.
QUESTIONS: list[tuple[str, str]] = [
    ("¿qué hay en junio?", "es-ES"),
    ("próximos eventos", "es-ES"),
    ("¿Cuándo es el Congreso Mundial?", "es-LA"),
    ("háblame de MEGA", "es-ES"),
    ("proyectos piloto", "es-ES"),
    ("hola", "es-ES"),
    ("which pilot projects are closing?", "en-US"),
    ("what's on in June?", "en-GB"),
    ("next events", "en-US"),
    ("tell me about MEGA", "es-ES"),
    ("thanks", "en-US"),
    ("événements en novembre", "fr-FR"),
    ("quels projets pilotes se terminent ?", "fr-FR"),
    ("prochains événements", "fr-FR"),
    ("parle-moi de MEGA", "en-US"),
    ("merci", "fr-FR"),
]
USERS = 100
UNDERSTANDING_SETS = ROOT / "bench" / "data" / "understanding"
LOCALES = {"es": "es-ES", "en": "en-US", "fr": "fr-FR"}


def _member_questions() -> dict[str, list[str]]:
    """The evaluation sets' single questions by language, each text once, in a fixed order."""
    found: dict[str, set[str]] = {language: set() for language in LOCALES}
    for path in sorted(UNDERSTANDING_SETS.glob("*/singles.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                question = json.loads(line)
                found[question["lang"]].add(question["text"])
    return {language: sorted(texts) for language, texts in found.items()}


def _locale(user: int) -> str:
    return QUESTIONS[user % len(QUESTIONS)][1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- contender (a): the echo app, run with --echo-server PORT API_URL ----------------------------


async def _echo_server(port: int, api_url: str) -> None:
    from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
    from slack_bolt.app.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.web.server import WebServer

    session = aiohttp.ClientSession()
    client = AsyncWebClient(token=TOKEN, base_url=api_url, session=session)
    app = AsyncApp(client=client, signing_secret=SECRET)

    @app.event("message")
    async def echo(event: dict[str, Any], client: AsyncWebClient) -> None:
        await client.chat_postMessage(channel=event["channel"], text=event.get("text", ""))

    async def endpoint(request: aiohttp.web.Request) -> aiohttp.web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    web = WebServer(host="127.0.0.1", port=port)
    web.add_post("/slack/events", endpoint)
    await web.start()
    await asyncio.Event().wait()


# --- contender (c), for the breakdown: this bot's Slack adapter with a constant core -------------


async def _adapter_only_server(port: int, api_url: str, database_url: str) -> None:
    """The real adapter (signature, event_id ledger, locale, Block Kit, posting) and database,
    with ``Core.handle`` replaced by a constant reply: what the adapter costs by itself."""
    from bot.core.messages import Incoming, Reply

    app = await _bot(port, api_url, database_url)

    async def constant(incoming: Incoming) -> list[Reply]:
        return [Reply(text=incoming.text, language="en")]

    app.core.handle = constant  # type: ignore[method-assign]
    await _serve(app, port)


# --- contender (d), for the breakdown: this bot with understanding that costs nothing ---------


async def _free_understanding_server(port: int, api_url: str, database_url: str) -> None:
    """The whole bot, but each message text is read (understanding stage) and its language
    resolved once: later messages with the same text take the answer from a dict. Not a
    way to run the bot (it would repeat readings across days and content versions): a
    bound on what any speed-up of understanding could give."""
    from bot.understanding.interpret import interpreter_for

    app = await _bot(port, api_url, database_url, today=datetime.date(2019, 5, 20))
    interpreter = interpreter_for(app.content.index)
    interpreter.read = _once(interpreter.read)  # type: ignore[method-assign]
    app.core.resolver.resolve = _once(app.core.resolver.resolve)  # type: ignore[method-assign]
    await _serve(app, port)


def _once(function: Any) -> Any:
    """``function`` computed once per (text, keyword arguments), then from a dict."""
    answers: dict[tuple[Any, ...], Any] = {}

    def remembered(text: str, **kwargs: Any) -> Any:
        key = (text, *sorted(kwargs.items()))
        if key not in answers:
            answers[key] = function(text, **kwargs)
        return answers[key]

    return remembered


async def _bot(port: int, api_url: str, database_url: str, **settings: Any) -> Any:
    """The bot's app, configured as the benchmark's ``python -m bot run`` is."""
    from bot.app import build_app
    from bot.config import Settings

    return await build_app(
        Settings(
            database_url=database_url,
            port=port,
            slack_bot_token=TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=api_url,
            **settings,
        )
    )


async def _serve(app: Any, port: int) -> None:
    """Start the Slack services and the web server of ``app``, as ``python -m bot run``
    does, then serve until killed."""
    from bot.adapters.slack.services import slack_services
    from bot.runtime import freeze_startup
    from bot.web.server import WebServer

    web = WebServer(host="127.0.0.1", port=port)
    for service in slack_services(app, "all", web):
        await service.start()
    await web.start()
    freeze_startup()  # as `python -m bot run` does once started
    await asyncio.Event().wait()


# --- the load generator ----------------------------------------------------------------------


@dataclass
class Result:
    name: str
    events: int
    seconds: float
    ack_p50_ms: float
    ack_p99_ms: float
    cpu_s_per_event: float
    rss_mb: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def _events(count: int, offset: int, run: str = "", mix: str = "plan16") -> list[str]:
    members = _member_questions() if mix == "members" else {}
    languages = [_locale(user)[:2] for user in range(USERS)]
    per_round = {language: languages.count(language) for language in LOCALES}
    bodies = []
    for n in range(offset, offset + count):
        if members:  # each user asks in its locale's language; a text comes back only
            # when its language's texts are used up (every ~40 rounds of 100 events)
            user, language = n % USERS, languages[n % USERS]
            position = n // USERS * per_round[language] + languages[:user].count(language)
            asked = members[language]
            text = asked[position % len(asked)]
        else:
            text, _ = QUESTIONS[n % len(QUESTIONS)]
        user = f"U{n % USERS:07d}"
        ts = f"{1558000000 + n}.{n % 1000000:06d}"
        event = {"type": "message", "channel": "D" + user[1:], "channel_type": "im",
                 "user": user, "text": text, "ts": ts, "event_ts": ts}  # fmt: skip
        bodies.append(event_body(event, event_id=f"EvB{run}{n:09d}"))
    return bodies


async def _blast(url: str, bodies: list[str], concurrency: int) -> list[float]:
    latencies: list[float] = []
    queue: asyncio.Queue[str] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def worker() -> None:
            while not queue.empty():
                body = queue.get_nowait()
                headers = {"Content-Type": "application/json", **sign(SECRET, body)}
                started = time.perf_counter()
                async with http.post(url, data=body.encode(), headers=headers) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"HTTP {response.status} from the contender")
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


async def _wait_ready(url: str, process: asyncio.subprocess.Process, within: float = 60) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "ready", "token": "x"})
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if process.returncode is not None:
                raise RuntimeError(f"contender exited with {process.returncode}")
            try:
                headers = {"Content-Type": "application/json", **sign(SECRET, body)}
                async with http.post(url, data=body, headers=headers) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("contender did not start in time")


async def _wait_posts(fake: FakeSlackAPI, count: int, within: float = 120) -> float:
    """Wait for ``count`` chat.postMessage calls, then for quiet; the time of the last one."""
    await fake.wait_for("chat.postMessage", count, within=within)
    last = -1
    while len(fake.calls) != last:  # until nothing more arrives for 0.5 s
        last = len(fake.calls)
        await asyncio.sleep(0.5)
    return max(c.at for c in fake.of("chat.postMessage"))


async def _run(
    name: str,
    argv: list[str],
    env: dict[str, str],
    port: int,
    fake: FakeSlackAPI,
    n: int,
    warmup: int,
    concurrency: int,
    log: Path,
    mix: str = "plan16",
) -> Result:
    import psutil

    url = f"http://127.0.0.1:{port}/slack/events"
    with log.open("wb") as out:
        process = await asyncio.create_subprocess_exec(
            *argv, env=env, cwd=str(ROOT), stdout=out, stderr=out
        )
    try:
        await _wait_ready(url, process)
        fake.reset()
        run = os.urandom(4).hex()  # fresh event_ids even when the database is reused
        await _blast(url, _events(warmup, 0, run, mix), concurrency)
        await _wait_posts(fake, warmup)
        fake.reset()
        ps = psutil.Process(process.pid)
        cpu_before = sum(ps.cpu_times()[:2])
        bodies = _events(n, warmup, run, mix)
        started = time.monotonic()
        latencies = await _blast(url, bodies, concurrency)
        last = await _wait_posts(fake, len(bodies))  # at least one reply per event
        cpu = sum(ps.cpu_times()[:2]) - cpu_before
        rss = ps.memory_info().rss / 2**20
        latencies.sort()
        return Result(
            name=name,
            events=n,
            seconds=last - started,
            ack_p50_ms=statistics.median(latencies) * 1000,
            ack_p99_ms=latencies[int(len(latencies) * 0.99) - 1] * 1000,
            cpu_s_per_event=cpu / n,
            rss_mb=rss,
        )
    except BaseException:
        print(f"--- {name} failed; the end of its log:", file=sys.stderr)
        text = await asyncio.to_thread(log.read_text, errors="replace")
        print(text[-4000:], file=sys.stderr)
        raise
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 10)
            except TimeoutError:
                process.kill()
                await process.wait()


def _summary(runs: list[Result]) -> dict[str, Any]:
    best = sorted(runs, key=lambda r: r.rate)[len(runs) // 2]  # the median run
    return {
        "name": best.name,
        "events_per_s": round(best.rate, 1),
        "rounds_events_per_s": [round(r.rate, 1) for r in runs],
        "seconds": round(best.seconds, 2),
        "ack_p50_ms": round(best.ack_p50_ms, 1),
        "ack_p99_ms": round(best.ack_p99_ms, 1),
        "cpu_ms_per_event": round(best.cpu_s_per_event * 1000, 2),
        "rss_mb": round(best.rss_mb, 1),
    }


async def main(args: argparse.Namespace) -> dict[str, Any]:
    fake = await FakeSlackAPI(
        token=TOKEN, locales={f"U{u:07d}": QUESTIONS[u % len(QUESTIONS)][1] for u in range(USERS)}
    ).start()
    python = sys.executable
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TELEGRAM_"))}
    runs: dict[str, list[Result]] = {"echo": [], "bot": [], "adapter": [], "free": []}
    try:
        with tempfile.TemporaryDirectory() as tmp:

            async def contender(kind: str, name: str, argv: list[str], env: dict[str, str],
                                port: int) -> None:  # fmt: skip
                runs[kind].append(
                    await _run(name, argv, env, port, fake, args.events, args.warmup,
                               args.concurrency, Path(tmp) / f"{kind}.log", args.mix)
                )  # fmt: skip

            # Rounds alternate the contenders, so a busy moment of the machine hits them all.
            for round_ in range(args.rounds):
                database = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench-{round_}.db"
                port = _free_port()
                await contender(
                    "echo",
                    "(a) slack-bolt echo app",
                    [python, __file__, "--echo-server", str(port), fake.api_url],
                    base_env,
                    port,
                )
                port = _free_port()
                env = {
                    **base_env,
                    "SLACK_BOT_TOKEN": TOKEN,
                    "SLACK_SIGNING_SECRET": SECRET,
                    "SLACK_API_URL": fake.api_url,
                    "PORT": str(port),
                    "DATABASE_URL": database,
                    "BOT_TODAY": "2019-05-20",
                    "LOG_LEVEL": "WARNING",
                }
                await contender(
                    "bot",
                    "(b) this bot (python -m bot run)",
                    [python, "-m", "bot", "run", "--no-console"],
                    env,
                    port,
                )
                if args.breakdown:
                    port = _free_port()
                    await contender(
                        "adapter",
                        "(c) adapter, constant core",
                        [python, __file__, "--adapter-server", str(port), fake.api_url,
                         f"sqlite+aiosqlite:///{tmp}/adapter-{round_}.db"],
                        base_env,
                        port,
                    )  # fmt: skip
                    port = _free_port()
                    await contender(
                        "free",
                        "(d) bot, understanding memoised",
                        [python, __file__, "--free-understanding-server", str(port),
                         fake.api_url, f"sqlite+aiosqlite:///{tmp}/free-{round_}.db"
                         if not args.database_url else args.database_url],
                        base_env,
                        port,
                    )  # fmt: skip
            if args.keep_logs:
                for kind in ("echo", "bot"):
                    text = (Path(tmp) / f"{kind}.log").read_text()[-3000:]
                    print(f"--- {kind}.log\n{text}")
    finally:
        await fake.stop()
    echo, bot = _summary(runs["echo"]), _summary(runs["bot"])
    extra = [_summary(runs[kind]) for kind in ("adapter", "free") if runs[kind]]
    return {
        "events": args.events,
        "concurrency": args.concurrency,
        "rounds": args.rounds,
        "mix": args.mix,
        "database": "sqlite (fresh file)" if not args.database_url else "DATABASE_URL given",
        "results": [echo, bot, *extra],
        "ratio": round(bot["events_per_s"] / echo["events_per_s"], 3),
        "rounds_ratio": [
            round(b.rate / a.rate, 3) for a, b in zip(runs["echo"], runs["bot"], strict=True)
        ],
    }


def _print(report: dict[str, Any]) -> None:
    print(
        f"N = {report['events']} signed message.im events per run, {report['concurrency']} in "
        f"flight, {report['rounds']} round(s), median run shown; questions: {report['mix']}; "
        f"database: {report['database']}"
    )
    print(f"{'contender':34} {'events/s':>9} {'seconds':>8} {'ack p50':>8} {'ack p99':>8} "
          f"{'CPU ms/ev':>9} {'RSS MB':>7}  rounds (events/s)")  # fmt: skip
    for r in report["results"]:
        print(
            f"{r['name']:34} {r['events_per_s']:>9.1f} {r['seconds']:>8.2f} "
            f"{r['ack_p50_ms']:>6.1f}ms {r['ack_p99_ms']:>6.1f}ms "
            f"{r['cpu_ms_per_event']:>9.2f} {r['rss_mb']:>7.1f}  {r['rounds_events_per_s']}"
        )
    print(f"ratio (b)/(a), medians: {report['ratio']:.2f}; per round: {report['rounds_ratio']}")
    a = report["results"][0]["events_per_s"]
    for r, what in zip(report["results"][2:], ("the adapter alone", "understanding free"),
                       strict=False):  # fmt: skip
        print(f"ratio {r['name'][:3]}/(a), medians: {r['events_per_s'] / a:.2f} ({what})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--events", type=int, default=2000, help="measured events (≥1000)")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("-c", "--concurrency", type=int, default=20)
    parser.add_argument("-r", "--rounds", type=int, default=3, help="alternating runs of each")
    parser.add_argument(
        "--database-url", help="the bot's DATABASE_URL (default: a fresh SQLite file per run)"
    )
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also run (c) the adapter with a constant core and (d) the bot with understanding "
        "memoised by text",
    )
    parser.add_argument(
        "--mix",
        choices=("plan16", "members"),
        default="plan16",
        help="the 16 questions repeated (default), or the members' evaluation questions",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--keep-logs", action="store_true", help="print the contenders' logs")
    parser.add_argument(
        "--echo-server", nargs=2, metavar=("PORT", "API_URL"), help=argparse.SUPPRESS
    )
    parser.add_argument("--adapter-server", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--free-understanding-server", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.free_understanding_server:
        port_, api_, db_ = args.free_understanding_server
        asyncio.run(_free_understanding_server(int(port_), api_, db_))
        sys.exit(0)
    if args.adapter_server:
        port_, api_, db_ = args.adapter_server
        asyncio.run(_adapter_only_server(int(port_), api_, db_))
        sys.exit(0)
    if args.echo_server:
        asyncio.run(_echo_server(int(args.echo_server[0]), args.echo_server[1]))
        sys.exit(0)
    report = asyncio.run(main(args))
    print(json.dumps(report, ensure_ascii=False) if args.json else "", end="")
    if not args.json:
        _print(report)
