"""Benchmark: latency of ``Core.handle()`` over a mixed set of questions in es, en and fr.

Runs the real core (language resolver, router, handlers, SQLite file in a temporary
directory) on the questions of ``bench/data/core_questions.txt`` (330 questions, a third in
each language: what's next, periods, items by name, projects, themes, sections, greetings,
help, nonsense, commands), several rounds, users rotating among 50:

1. at the plan's size (the real ``content/plan``);
2. with the content multiplied to 100 times its size (99 copies of every item, new slugs,
   numbered titles, same aliases and keywords: a worst case for name search);

and for each prints p50, p90, p99 and max of the whole ``handle()`` (wall time, and the
process's CPU time, which other load on the machine disturbs less), and of the part that
understands and answers (the understanding stage + the handler, without the database, the
conversation store and the language resolver) to show where the time goes. Then it times
``python -m bot ask --jsonl`` on 100 questions, start-up included, on an empty database
(schema and plan loaded first) and on a ready one. No network.

``--by-act`` instead runs the members' questions of the evaluation sets
(``bench/data/understanding/*/singles.jsonl``, ~2,500, each in its language's locale, 100
users) through ``handle()`` and shows the time by the act they were answered with: which
kinds of question cost what (those that write to the database, or attach a file, stand out).

Usage::

    python bench/core_latency.py              # 3 rounds
    python bench/core_latency.py --rounds 5 --skip-cli
    python bench/core_latency.py --by-act
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import App, build_app  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.conversation.state import ConversationState  # noqa: E402
from bot.core.context import Context, UserState  # noqa: E402
from bot.core.engine import Handler  # noqa: E402
from bot.core.messages import Incoming, Reply  # noqa: E402
from bot.core.ports import FixedClock  # noqa: E402
from bot.understanding.reading import Reading  # noqa: E402
from bot.understanding.stage import route, understand  # noqa: E402
from content.index import ContentIndex  # noqa: E402

QUESTIONS = ROOT / "bench" / "data" / "core_questions.txt"
TODAY = date(2019, 5, 20)
USERS = 50


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    cut = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "n": len(ordered),
        "p50": statistics.median(ordered),
        "p90": cut[89],
        "p99": cut[98],
        "max": ordered[-1],
    }


def _row(label: str, stats: dict[str, float]) -> str:
    return (
        f"{label:<44} n={int(stats['n']):>5}  p50 {stats['p50']:6.2f} ms  "
        f"p90 {stats['p90']:6.2f} ms  p99 {stats['p99']:6.2f} ms  max {stats['max']:7.2f} ms"
    )


def multiplied(index: ContentIndex, factor: int) -> ContentIndex:
    """The index with ``factor - 1`` copies of every item (new slugs, numbered titles)."""
    items = dict(index.items)
    size = len(index.items)
    for n in range(1, factor):
        for item in index.items.values():
            copy = dataclasses.replace(
                item,
                slug=f"{item.slug[:33]}-x{n}",
                title={lang: f"{text} ({n})" for lang, text in item.title.items()},
                order=item.order + n * size,
            )
            items[copy.slug] = copy
    return ContentIndex(items=items, plans=dict(index.plans))


async def _handle_all(
    app: App, questions: list[str], rounds: int, cpu: list[float] | None = None
) -> tuple[list[float], dict[str, str]]:
    timings: list[float] = []
    languages: dict[str, str] = {}
    clock, process = time.perf_counter, time.process_time
    for _ in range(rounds):
        for n, text in enumerate(questions):
            user = f"bench-{n % USERS}"
            start, start_cpu = clock(), process()
            replies = await app.core.handle(Incoming("telegram", user, user, text=text))
            timings.append((clock() - start) * 1000)
            if cpu is not None:
                cpu.append((process() - start_cpu) * 1000)
            languages[text] = replies[0].language
    return timings, languages


async def _answer_only(
    app: App, questions: list[str], languages: dict[str, str], rounds: int
) -> list[float]:
    core = app.core
    timings: list[float] = []
    clock = time.perf_counter
    for _ in range(rounds):
        for text in questions:
            language = languages[text]
            ctx = Context(
                incoming=Incoming("telegram", "b", "b", text=text),
                user=UserState(0, "telegram", "b", "b", language, None, None, "member"),
                language=language,
                clock=app.clock,
                content=app.content.index,
                db=app.db,
                catalog=app.catalog,
                settings=app.settings,
            )
            start = clock()
            reading = understand(
                ctx.content,
                text=text,
                action=None,
                language=language,
                today=ctx.today,
                chosen=None,
                state=ConversationState(),
            )
            await core.handlers[route(reading)](ctx, reading)
            timings.append((clock() - start) * 1000)
    return timings


async def _app(database: Path) -> App:
    """The bot on the real plan, a fresh SQLite file and a clock standing at noon on TODAY."""
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{database}", content_dir=ROOT / "content" / "plan"
    )
    clock = FixedClock(
        datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=ZoneInfo("Europe/Madrid"))
    )
    return await build_app(settings, clock=clock)


async def measure(rounds: int, factor: int, workdir: Path) -> None:
    questions = [q for q in QUESTIONS.read_text(encoding="utf-8").splitlines() if q.strip()]
    app = await _app(workdir / "bench.db")
    try:
        plan = app.content.index
        print(
            f"questions: {len(questions)} ({QUESTIONS.relative_to(ROOT)}), "
            f"rounds: {rounds}, users: {USERS}"
        )
        await _handle_all(app, questions, 1)  # warm-up: users created, caches filled
        for label, index in (
            (f"plan size ({len(plan.items)} items)", plan),
            (f"{factor}x the plan ({len(plan.items) * factor} items)", multiplied(plan, factor)),
        ):
            app.content._index = index  # the bench swaps the live index, as a reload would
            await _handle_all(app, questions[:30], 1)  # warm the caches of this index
            cpu: list[float] = []
            handled, languages = await _handle_all(app, questions, rounds, cpu)
            answered = await _answer_only(app, questions, languages, rounds)
            print(_row(f"handle(), {label}", _percentiles(handled)))
            print(_row("  CPU time of the process during handle()", _percentiles(cpu)))
            print(_row(f"  understand+answer only, {label}", _percentiles(answered)))
        app.content._index = plan
    finally:
        await app.close()


async def by_act(workdir: Path) -> None:
    """The evaluation sets' single questions through ``handle()``, timed by act."""
    asked = []
    for path in sorted((ROOT / "bench" / "data" / "understanding").glob("*/singles.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        asked += [json.loads(line) for line in lines if line.strip()]
    app = await _app(workdir / "acts.db")
    answered: list[str] = []

    def recording(act: str, handler: Handler) -> Handler:
        async def handle(ctx: Context, reading: Reading) -> list[Reply]:
            answered.append(act)
            return await handler(ctx, reading)

        return handle

    core = app.core
    core.handlers = {act: recording(act, handler) for act, handler in core.handlers.items()}
    locales = {"es": "es-ES", "en": "en-US", "fr": "fr-FR"}
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    try:
        for n, question in enumerate(asked):
            user = f"member-{n % 100}"
            incoming = Incoming(
                "slack", user, user, text=question["text"], locale_hint=locales[question["lang"]]
            )
            start, start_cpu = time.perf_counter(), time.process_time()
            await core.handle(incoming)
            act = answered[-1] if answered else "?"
            answered.clear()
            wall.setdefault(act, []).append((time.perf_counter() - start) * 1000)
            cpu.setdefault(act, []).append((time.process_time() - start_cpu) * 1000)
    finally:
        await app.close()
    total = sum(sum(times) for times in cpu.values())
    count = sum(len(times) for times in cpu.values())
    print(f"{count} questions; CPU {total / count:.3f} ms per question on average")
    print(f"{'act':14} {'questions':>9} {'CPU share':>9} {'CPU mean':>9} {'wall mean':>9} "
          f"{'wall p99':>9}")  # fmt: skip
    for act, times in sorted(cpu.items(), key=lambda kv: -sum(kv[1])):
        waits = sorted(wall[act])
        print(
            f"{act:14} {len(times):>9} {sum(times) / total:>8.1%} "
            f"{statistics.fmean(times):>7.3f}ms {statistics.fmean(waits):>7.3f}ms "
            f"{waits[max(0, int(len(waits) * 0.99) - 1)]:>7.2f}ms"
        )


def cli(workdir: Path, count: int = 100) -> None:
    questions = [q for q in QUESTIONS.read_text(encoding="utf-8").splitlines() if q.strip()]
    stdin = "\n".join(questions[:count]) + "\n"
    env = dict(os.environ, DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'cli.db'}")
    env.pop("BOT_TODAY", None)
    command = [sys.executable, "-m", "bot", "ask", "--today", TODAY.isoformat(), "--jsonl"]
    for label in ("empty database (schema + plan loaded first)", "ready database"):
        start = time.perf_counter()
        done = subprocess.run(
            command, input=stdin, capture_output=True, text=True, cwd=ROOT, env=env, check=True
        )
        elapsed = time.perf_counter() - start
        lines = done.stdout.count("\n")
        print(
            f"python -m bot ask --jsonl, {count} questions, {label}: "
            f"{elapsed:.2f} s ({lines} answers)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="passes over the questions")
    parser.add_argument("--factor", type=int, default=100, help="content multiplier")
    parser.add_argument("--skip-cli", action="store_true", help="skip the ask --jsonl timing")
    parser.add_argument(
        "--by-act", action="store_true", help="the members' questions, timed by act (only)"
    )
    args = parser.parse_args()
    print(
        f"Python {platform.python_version()} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs; today = {TODAY}"
    )
    with tempfile.TemporaryDirectory(prefix="core-latency-") as tmp:
        if args.by_act:
            asyncio.run(by_act(Path(tmp)))
            return
        asyncio.run(measure(args.rounds, args.factor, Path(tmp)))
        if not args.skip_cli:
            cli(Path(tmp))


if __name__ == "__main__":
    main()
