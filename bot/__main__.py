"""Command line: ``python -m bot chat|ask|run|content``.

This is the composition root's entry point: it reads the settings, builds the app and
starts what was asked for.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.config import Settings, load_settings
from bot.logs import configure_logging, secrets_of
from bot.startup import ExitCode, StartupError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="The Metropolis work-plan bot."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def with_today(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--today", type=date.fromisoformat, help="pretend today is YYYY-MM-DD")
        return p

    chat = with_today(sub.add_parser("chat", help="talk to the bot in this terminal"))
    chat.add_argument("--as-staff", action="store_true", help="act as a staff member")
    ask = with_today(sub.add_parser("ask", help="ask one question (or one per line with --jsonl)"))
    ask.add_argument("--json", action="store_true", help="print {language, text} as JSON")
    ask.add_argument(
        "--jsonl",
        action="store_true",
        help='read stdin: a question per line, or JSON lines {"chat": "c1", "text": "…"}',
    )
    ask.add_argument("--as-staff", action="store_true", help="act as a staff member")
    ask.add_argument("text", nargs="*", help="the question")
    run = with_today(sub.add_parser("run", help="start every enabled adapter (console if none)"))
    run.add_argument("--no-console", action="store_true", help="never fall back to the console")
    with_today(sub.add_parser("serve", help="run the web process on PORT (webhooks, calendars)"))
    content = sub.add_parser(
        "content", help="check, reload, export or import the work-plan files (docs/content.md)"
    )
    content.add_argument("action", choices=("check", "reload", "export", "import"))
    content.add_argument("path", nargs="?", type=Path, help="export/import: a .xlsx or .csv file")
    content.add_argument("--year", type=int, help="export: one plan year only")
    content.add_argument("--language", choices=("es", "en", "fr"), help="export: a CSV's language")
    worker = sub.add_parser("worker", help="run Telegram polling and Slack Socket Mode")
    with_today(worker)
    with_today(sub.add_parser("clock", help="run the scheduler and the senders alone"))
    announce = sub.add_parser("announce", help="send a staff update to the subscribers of an item")
    announce.add_argument("slug", help="the pilot project, event, action or theme")
    announce.add_argument("--text-es", required=True, help="the update in Spanish")
    announce.add_argument("--text-en", required=True, help="the update in English")
    announce.add_argument("--text-fr", required=True, help="the update in French")
    announce.add_argument("--author", default="staff (console)", help="who writes it")
    db = sub.add_parser("db", help="database schema: upgrade, current, or a new revision")
    db.add_argument("action", choices=("upgrade", "current", "revision"))
    db.add_argument("-m", "--message", help="what a new revision changes")
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    settings = load_settings()
    changes: dict[str, object] = {}
    if getattr(args, "today", None):
        changes["today"] = args.today
        changes["now"] = None  # the flag is the nearer choice: it wins over BOT_NOW
    if getattr(args, "as_staff", False):
        changes["console_staff"] = True
    return settings.with_(**changes) if changes else settings


async def _chat(settings: Settings, *, with_clock: bool = False) -> None:
    from bot.adapters.console import chat
    from bot.app import build_app

    app = await build_app(settings)
    clock: list = []
    try:
        if with_clock:  # `run` with no platform: reminders reach the console user too
            from bot.app import build_senders
            from scheduler.clock import clock_services

            clock = clock_services(app, build_senders(settings))
            for service in clock:
                await service.start()
        await chat(app.core)
    finally:
        for service in reversed(clock):
            await service.stop()
        await app.close()


async def _ask(settings: Settings, args: argparse.Namespace) -> None:
    from bot.adapters.console import ask, ask_lines, plain, render
    from bot.app import build_app

    app = await build_app(settings)
    try:
        if args.jsonl:
            await ask_lines(app.core, sys.stdin, sys.stdout)
            return
        replies = await ask(app.core, " ".join(args.text))
        if args.json:
            language = replies[0].language if replies else settings.default_language
            print(json.dumps({"language": language, "text": plain(replies)}, ensure_ascii=False))
        else:
            print("\n\n".join(render(r) for r in replies))
    finally:
        await app.close()


async def _content(settings: Settings, action: str) -> int:
    from content.plans import read_plans
    from content.schema import ContentError

    try:
        plan = read_plans(settings.content_dir)
    except ContentError as exc:
        print(f"content error: {exc}", file=sys.stderr)
        return ExitCode.CONTENT
    for note in plan.notes:
        print(f"note: {note}", file=sys.stderr)
    if action == "check":
        years = ", ".join(f"{p.year}: {len(p.items)}" for p in plan.plans)
        print(f"ok: {len(plan.items)} items in {settings.content_dir} ({years})")
        return 0
    from bot.app import build_app

    app = await build_app(settings)
    try:
        result = await app.content.sync(force=True)
        changes = result.changes if result else ()
        print(f"reloaded: {len(plan.items)} items, {len(changes)} change(s)")
        if changes:
            from scheduler.planner import Planner

            planner = Planner(app.db, lambda: app.content.index, settings, app.clock)
            print(f"  {await planner.plan_changes(changes)} change notice(s) queued")
        for change in changes:
            print(f"  {change.change}: {change.slug} {' '.join(change.fields)}".rstrip())
    finally:
        await app.close()
    return 0


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    enabled = [
        name
        for name, on in (("telegram", settings.telegram_token), ("slack", settings.slack_bot_token))
        if on
    ]
    if not enabled:
        print(
            "No platform is enabled. Set TELEGRAM_BOT_TOKEN to enable Telegram, SLACK_BOT_TOKEN "
            "(with SLACK_SIGNING_SECRET, or SLACK_APP_TOKEN for Socket Mode) to enable Slack.",
            file=sys.stderr,
        )
        if args.no_console:
            return ExitCode.CONFIG
        print("Starting the console instead (SQLite database, no token needed).\n", file=sys.stderr)
        await _chat(settings, with_clock=True)
        return 0
    return await _run_role(settings, "all")


async def _run_role(settings: Settings, role: str) -> int:
    """``run``/``serve``/``worker``/``clock``: the services of ``role`` until SIGTERM/SIGINT.

    The signals are handled from the first moment: during start-up (the database, the
    platforms) they cancel it; afterwards stopping keeps to the lifetime's budget, the
    app's close (users' pending changes written, database closed) last.
    """
    from bot.app import build_app
    from bot.lifetime import Lifetime, StartupCancelled
    from bot.runtime import run_services
    from bot.services import services_for

    async with Lifetime() as lifetime:
        try:
            app = await lifetime.starting(build_app(settings))
        except StartupCancelled:
            return ExitCode.OK
        try:
            await run_services(services_for(app, role), lifetime, freeze=True)
        finally:
            await lifetime.bounded(app.close(), "saving the last changes and closing the database")
    return ExitCode.OK


async def _announce(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import build_app
    from scheduler.planner import Planner

    app = await build_app(settings)
    try:
        planner = Planner(app.db, lambda: app.content.index, settings, app.clock)
        texts = {"es": args.text_es, "en": args.text_en, "fr": args.text_fr}
        try:
            number, count = await planner.announce(args.slug, texts, author=args.author)
        except ValueError as exc:
            print(f"announce: {exc}", file=sys.stderr)
            return 1
        print(f"update #{number}: {count} delivery(ies) queued; the clock sends them")
    finally:
        await app.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    level = os.environ.get("LOG_LEVEL") or "WARNING"
    try:
        configure_logging(level)
    except ValueError:
        print(f"configuration error: LOG_LEVEL is not a log level: {level!r}", file=sys.stderr)
        return ExitCode.CONFIG
    try:
        settings = _settings(args)
    except ValueError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return ExitCode.CONFIG
    configure_logging(level, secrets_of(settings))
    try:
        if args.command == "chat":
            asyncio.run(_chat(settings))
        elif args.command == "ask":
            asyncio.run(_ask(settings, args))
        elif args.command == "run":
            return asyncio.run(_run(settings, args))
        elif args.command == "serve":
            return asyncio.run(_run_role(settings, "web"))
        elif args.command == "content" and args.action in ("export", "import"):
            from bot.content_cli import export_plans, import_plans

            if args.path is None:
                print(f"content {args.action} needs a file: plan.xlsx or plan-fr.csv")
                return ExitCode.CONFIG
            if args.action == "export":
                return export_plans(settings, args.path, args.year, args.language)
            return import_plans(settings, args.path)
        elif args.command == "content":
            return asyncio.run(_content(settings, args.action))
        elif args.command in ("worker", "clock"):
            return asyncio.run(_run_role(settings, args.command))
        elif args.command == "announce":
            return asyncio.run(_announce(settings, args))
        elif args.command == "db":
            from bot.db.schema import cli

            return asyncio.run(cli(settings.database_url, args.action, args.message))
    except KeyboardInterrupt:
        return 130
    except StartupError as exc:  # a refused token, an unreachable database…: one line
        print(exc.message, file=sys.stderr)
        return exc.code
    except Exception as exc:  # content errors at start-up: say it, plainly
        from content.schema import ContentError

        if isinstance(exc, ContentError):
            print(f"content error: {exc}", file=sys.stderr)
            return ExitCode.CONTENT
        raise
    return ExitCode.OK


if __name__ == "__main__":
    sys.exit(main())
