"""Commands ("/events june", "/subscribe MEGA") and buttons ("about:mega", "sub:all") read
into the same :class:`Reading` as plain words, so one handler answers each act however it
was asked.
"""

from __future__ import annotations

import re
from datetime import date

from bot.core.periods import parse_code
from bot.core.text import words
from bot.i18n.catalog import LANGUAGES
from bot.understanding.interpret import LIST_NAMES, Interpreter
from bot.understanding.periods import find_period
from bot.understanding.reading import Reading
from bot.understanding.words import STATUS_WORDS

__all__ = ["COMMANDS", "STAFF_COMMANDS", "read_action", "read_command", "read_deep_link"]

_COMMAND = re.compile(r"^\s*/([A-Za-z_]+)(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)
# Staff commands where a slash cannot be typed (Slack): "!stats", "staff stats".
_BANG = re.compile(r"^\s*(?:!|staff\s+!?)([A-Za-z]+)\b\s*(.*)$", re.DOTALL | re.IGNORECASE)

# Staff commands: each answered by the staff handler (which checks the role).
STAFF_COMMANDS = frozenset(
    """staff personal announce anunciar annoncer setdate setplace setlink cancel postpone stats
    failed retry audit reload unanswered link edit""".split()
)
# Every member command, in any language, and the act it asks for.
COMMANDS = {
    "start": "start", "help": "help", "ayuda": "help", "aide": "help",
    "events": "events", "eventos": "events", "evenements": "events", "agenda": "events",
    "next": "events", "proximos": "events", "prochains": "events", "upcoming": "events",
    "projects": "projects", "proyectos": "projects", "projets": "projects", "pilots": "projects",
    "themes": "themes", "temas": "themes", "sections": "sections", "secciones": "sections",
    "about": "item", "info": "item", "acerca": "item", "apropos": "item",
    "subscribe": "subscribe", "suscribir": "subscribe", "suscribirme": "subscribe",
    "abonner": "subscribe", "sabonner": "subscribe",
    "unsubscribe": "unsubscribe", "desuscribir": "unsubscribe", "desuscribirme": "unsubscribe",
    "desabonner": "unsubscribe",
    "subscriptions": "subscriptions", "suscripciones": "subscriptions",
    "abonnements": "subscriptions", "mysubscriptions": "subscriptions",
    "undo": "undo", "deshacer": "undo", "annuler": "undo",
    "language": "language", "idioma": "language", "langue": "language", "lang": "language",
    "timezone": "timezone", "tz": "timezone", "zonahoraria": "timezone", "fuseau": "timezone",
    "calendar": "calendar", "calendario": "calendar", "calendrier": "calendar", "ical": "calendar",
}  # fmt: skip
_NEXT = frozenset({"next", "proximos", "prochains", "upcoming"})
_STATUS = {"closing", "ongoing", "starting"}
# What "/start <payload>" can carry (a Telegram deep link: t.me/<bot>?start=<payload>, at most
# 64 characters of A-Z a-z 0-9 _ -).
_DEEP_LINK = re.compile(r"(sub|item|month|lang)_([A-Za-z0-9_-]{1,58})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def split_command(text: str) -> tuple[str, str] | None:
    """``("events", "june")`` for "/events june" (a Telegram "@botname" is dropped)."""
    found = _COMMAND.match(text)
    if not found:
        bang = _BANG.match(text)
        if bang is None or bang.group(1).lower() not in STAFF_COMMANDS:
            return None
        return bang.group(1).lower(), bang.group(2).strip()
    return found.group(1).lower(), (found.group(2) or "").strip()


def read_command(
    interpreter: Interpreter, text: str, *, language: str, today: date
) -> Reading | None:
    """The reading of a command, or ``None`` if ``text`` is not one."""
    found = split_command(text)
    if found is None:
        return None
    command, args = found
    base = Reading("unknown", command=command, args=args, text=text)
    if command in STAFF_COMMANDS:
        return base.with_(act="staff")
    act = COMMANDS.get(command)
    if act is None:
        return base
    base = base.with_(act=act)
    if act == "events":
        return _events(interpreter, base, command, args, today)
    if act == "projects":
        return _projects(interpreter, base, args, language, today)
    if act in ("subscribe", "unsubscribe") and args:
        target = interpreter.read_target(args, act, language=language, today=today)
        return target.with_(command=command, args=args, text=text)
    if act == "item" and args:
        pick = interpreter.names.pick(args, threshold=0.3, year=interpreter.index.in_force(today))
        if pick is None:
            return base.with_(act="unknown", detail="not-found", subject=args)
        if pick.item is None:
            return base.with_(act="choose", choices=tuple(o.slug for o in pick.others))
        return base.with_(items=(pick.item.slug,), choices=tuple(o.slug for o in pick.others))
    if act in ("themes", "sections") and args:
        kinds = ("section",) if act == "sections" else ("theme", "section")
        year = interpreter.index.in_force(today)
        pick = interpreter.names.pick(args, kinds=kinds, threshold=0.4, year=year)
        named = frozenset(words(args))
        listed = next((n for n, ws in LIST_NAMES.items() if named & ws), None)
        if listed is not None:
            return base.with_(detail=listed)
        if pick is not None and pick.item is not None:
            return base.with_(act="item", items=(pick.item.slug,))
        return base
    if act == "start" and args:
        return read_deep_link(interpreter, base, args)
    if act == "language":
        return base.with_(detail=args.lower() or None)
    if act == "calendar":
        return base.with_(detail="reset" if "reset" in args.lower() else None)
    return base


def read_deep_link(interpreter: Interpreter, base: Reading, payload: str) -> Reading:
    """What a ``/start`` payload asks for: ``sub_<slug>`` (also ``sub_all``, ``sub_digest``),
    ``item_<slug>``, ``month_<yyyy-mm>``, ``lang_<es|en|fr>``. A payload that is malformed or
    names nothing the plan has is the plain welcome (``base``)."""
    found = _DEEP_LINK.fullmatch(payload.strip())
    if found is None:
        return base
    kind, value = found.groups()
    index = interpreter.index
    if kind == "lang":
        return base.with_(act="language", detail=value) if value in LANGUAGES else base
    if kind == "month":
        month = _MONTH.fullmatch(value)
        if month is None or not 1 <= int(month.group(2)) <= 12:
            return base
        period = parse_code(value)
        return base if period is None else base.with_(act="events", period=period)
    if kind == "sub" and value in ("all", "digest"):
        target = "all_events" if value == "all" else "digest"
        return base.with_(act="subscribe", targets=(target,), detail="button")
    item = index.get(value)
    if item is None:
        return base
    if kind == "sub":
        return base.with_(act="subscribe", items=(item.slug,), detail="button")
    return base.with_(act="item", items=(item.slug,))


def _events(
    interpreter: Interpreter, base: Reading, command: str, args: str, today: date
) -> Reading:
    if not args:
        return base.with_(upcoming=True) if command in _NEXT else base.with_(act="overview")
    found = find_period(args, today=today, years=interpreter.index.years, lenient=True)
    if found is not None:
        return base.with_(period=found.period)
    pick = interpreter.names.pick(args, kinds=("theme",), threshold=0.6)
    if pick is not None and pick.item is not None:
        return base.with_(upcoming=True, theme=pick.item.slug)
    return base.with_(subject=args, detail="unknown-period")


def _projects(
    interpreter: Interpreter, base: Reading, args: str, language: str, today: date
) -> Reading:
    word = args.lower()
    if word in _STATUS:
        return base.with_(status=word)
    status = next((s for s, words in STATUS_WORDS.items() if word in words), None)
    if status is not None:
        return base.with_(status=status)
    if not args:
        return base
    read = interpreter.read(f"projects {args}", language=language, today=today)
    if read.act in ("projects", "item", "choose"):
        return read.with_(command=base.command, args=args, text=base.text)
    return base.with_(subject=args)


def read_action(action: str, fields: tuple[tuple[str, str], ...] = ()) -> Reading:
    """The reading of a button's payload ("about:mega", "sub:all", "cmd:events 2019-07"), or
    of a submitted form ("form:subscribe" and its ``fields``)."""
    prefix, _, value = action.partition(":")
    base = Reading("unknown", value=value)
    if prefix == "form":
        return _form(base.with_(fields=fields), value)
    if prefix == "about":
        return base.with_(act="item", items=(value,))
    if prefix in ("sub", "unsub"):
        act = "subscribe" if prefix == "sub" else "unsubscribe"
        if value in ("all", "digest", "everything"):
            target = {"all": "all_events"}.get(value, value)
            return base.with_(act=act, targets=(target,), detail="button")
        return base.with_(act=act, items=(value,), detail="button")
    if prefix == "more":
        return base.with_(act="more")
    if prefix == "lang":
        return base.with_(act="language", detail=value)
    if prefix == "stf":
        return base.with_(act="staff", command="button")
    if prefix == "help":
        return base.with_(act="help")
    if prefix == "ok":
        return base.with_(act="confirm" if value == "yes" else "cancel", detail="button")
    if prefix == "ev":
        period = parse_code(value)
        return base.with_(act="events", period=period) if period else base
    return base


def _form(base: Reading, name: str) -> Reading:
    """A submitted form: subscriptions picked from a list, or a staff form (announce, edit)."""
    if name == "subscribe":
        picked = [value for key, value in base.fields if key == "item" and value]
        special = {"all": "all_events", "digest": "digest"}
        return base.with_(
            act="subscribe",
            items=tuple(dict.fromkeys(v for v in picked if v not in special)),
            targets=tuple(dict.fromkeys(special[v] for v in picked if v in special)),
            detail="button",
        )
    if name in ("announce", "edit"):
        return base.with_(act="staff", command=name, detail="form")
    return base
