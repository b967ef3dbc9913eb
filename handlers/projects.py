"""Pilot projects: all of them ("/projects"), by status ("¿qué proyectos piloto empiezan?",
"projects closing", "projets en cours"), by topic ("projects about water", "proyectos de
movilidad", "projets LGBTI"), and the single event presenting the conclusions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.core.router import Query, Route
from bot.core.text import words
from content.index import ContentIndex, ContentItem
from handlers.about import EXPLICIT, button_label, content_words, pick, render_item, when_text

__all__ = ["ROUTES"]

STATUSES = ("closing", "ongoing", "starting")
_PROJECT = frozenset(
    "project projects proyecto proyectos projet projets pilot pilots piloto pilotos pilote "
    "pilotes".split()
)
_STATUS_WORDS = {
    "closing": frozenset(
        """
        closing close closes closed ending end ends ended finishing finish finishes finished
        concluding conclude concludes wrapping terminan termina terminen terminar terminaran
        acaban acaba finalizan finaliza finalizar cierran cierra cerrar cierre clausura
        concluyen terminent termine terminer finissent finit cloture cloturent clotures
        achevent acheve fin finales closure
        """.split()
    ),
    "ongoing": frozenset(
        """
        ongoing progress running current currently continuing continue continues active
        underway still marcha curso continuan continua activos activo actuales sigue siguen
        seguir todavia aun cours actuels actuel continuent encore toujours
        """.split()
    ),
    "starting": frozenset(
        """
        starting start starts started new begin begins beginning launching launch launched
        upcoming empiezan empieza empezar empezaran comienzan comienza comenzar comienzo
        nuevos nuevo nuevas inician inicia iniciar arrancan commencent commence commencer
        debutent debute demarrent demarre demarrer nouveaux nouveau nouvelles lancement
        lancent proximos
        """.split()
    ),
}
_ALL_STATUS_WORDS = frozenset().union(*_STATUS_WORDS.values())
_CONCLUSIONS = frozenset(
    "conclusions conclusion conclusiones results resultados resultats bilan".split()
)
_ELSEWHERE = frozenset(
    "subscribe suscribir suscribeme suscribirme abonner abonne unsubscribe desuscribir "
    "desabonner remind reminder recordatorio rappel".split()
)
_FILLER = frozenset("list lista liste all todos todas tous toutes status estado statut".split())
_STATUS_ALIASES = {
    "closing": "closing", "ending": "closing", "cierran": "closing", "terminan": "closing",
    "ongoing": "ongoing", "marcha": "ongoing", "cours": "ongoing",
    "starting": "starting", "new": "starting", "empiezan": "starting", "nuevos": "starting",
    "commencent": "starting", "nouveaux": "starting",
}  # fmt: skip


def _status(word_set: frozenset[str]) -> str | None:
    for status in ("starting", "closing", "ongoing"):
        if word_set & _STATUS_WORDS[status]:
            return status
    return None


# Words of a question about projects that are not its topic.
_NOT_TOPIC = _PROJECT | _ALL_STATUS_WORDS | _CONCLUSIONS | _FILLER


def _read(text: str, ctx: Context) -> dict[str, Any]:
    tokens = frozenset(words(text))
    kept = content_words(text, today=ctx.today, year=ctx.content.year, also=_NOT_TOPIC)
    return {
        "status": _status(tokens),
        "topic": " ".join(kept),
        "shown": _as_written(text, kept),
        "conclusions": bool(tokens & _CONCLUSIONS),
    }


_RAW_WORD = re.compile(r"\w+")


def _as_written(text: str, kept: list[str]) -> str:
    # The topic in the user's own spelling ("l'énergie" → "énergie"), for the reply.
    if not kept:
        return ""
    wanted = set(kept)
    found = [w for w in _RAW_WORD.findall(text) if (folded := words(w)) and folded[0] in wanted]
    return " ".join(found) or " ".join(kept)


def _match(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    found = query.word_set
    if not found & _PROJECT or found & _ELSEWHERE or len(query.words) > 40:
        return None
    read = _read(query.args, ctx)
    if read["topic"] and EXPLICIT.search(query.joined):
        # "tell me about the MEGA project": one project by name is "about"'s answer.
        chosen = pick(ctx, read["topic"], threshold=0.6)
        if chosen is not None and chosen.item is not None and chosen.item.kind != "theme":
            return None
    return read


# --- Answers --------------------------------------------------------------------------------


def _projects(ctx: Context) -> list[ContentItem]:
    index = ctx.content
    found = index.derived(
        "projects.all", lambda: tuple(sorted(index.of_kind("pilot_project"), key=lambda i: i.order))
    )
    return list(found)


def _conclusions_event(ctx: Context) -> ContentItem | None:
    index = ctx.content
    return index.derived("projects.conclusions", lambda: _find_conclusions(index))


def _find_conclusions(index: ContentIndex) -> ContentItem | None:
    for kind in ("action", "event"):
        for item in index.of_kind(kind):
            if item.section == "pilot-projects" and _CONCLUSIONS.intersection(
                w for k in item.keywords for w in words(k)
            ):
                return item
    return None


# Project lists are not paged (the plan has 11 projects); a list this long is cut.
_MAX_LINES = 20


def _capped(lines: list[str], total: int, limit: int = _MAX_LINES) -> list[str]:
    if total <= limit:
        return lines
    return [*lines[:limit], f"… (+{total - limit})"]


def _line(ctx: Context, item: ContentItem) -> str:
    return f"• {item.title[ctx.language]}"


def _status_buttons(ctx: Context, but: str | None = None) -> tuple[Button, ...]:
    row = [Button(ctx.t(f"projects.button.{s}"), f"cmd:projects {s}") for s in STATUSES if s != but]
    if but is not None:
        row.append(Button(ctx.t("projects.button.all"), "cmd:projects"))
    return tuple(row)


def _item_buttons(ctx: Context, items: Sequence[ContentItem]) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        (Button(button_label(i.title[ctx.language]), f"about:{i.slug}"),) for i in items[:6]
    )


def _conclusions_note(ctx: Context) -> str | None:
    event = _conclusions_event(ctx)
    if event is None:
        return None
    return ctx.t(
        "projects.conclusions.note", title=event.title[ctx.language], when=when_text(ctx, event)
    )


# A list's text, title and buttons.
_Parts = tuple[str, str, tuple[tuple[Button, ...], ...]]


def all_reply(ctx: Context) -> list[Reply]:
    """Every pilot project, grouped by status."""
    # The same for every reader of a language: written once per index.
    key = ("projects.all_reply", ctx.language, ctx.catalog)
    text, title, buttons = ctx.content.derived(key, lambda: _all_parts(ctx))
    return [ctx.reply(text, title=title, buttons=buttons)]


def _all_parts(ctx: Context) -> _Parts:
    year = ctx.content.year
    projects = _projects(ctx)
    # Grouped lists are not paged: past the plan's size, each group shows its first few.
    limit = _MAX_LINES if len(projects) <= _MAX_LINES else 6
    parts = [ctx.t("projects.all.intro", year=year, count=len(projects))]
    for status in STATUSES:
        group = [p for p in projects if p.status == status]
        if not group:
            continue
        parts.append("")
        parts.append(ctx.t(f"projects.group.{status}", year=year, count=len(group)))
        parts.extend(_capped([_line(ctx, p) for p in group[:limit]], len(group), limit))
    note = _conclusions_note(ctx)
    if note:
        parts += ["", note]
    buttons: list[tuple[Button, ...]] = [_status_buttons(ctx)]
    event = _conclusions_event(ctx)
    if event is not None:
        buttons.append((Button(ctx.t("projects.button.conclusions"), f"about:{event.slug}"),))
    return "\n".join(parts), ctx.t("projects.all.title", year=year), tuple(buttons)


def status_reply(ctx: Context, status: str) -> list[Reply]:
    """The pilot projects with one status; starting ones say they depend on the budget."""
    # The same for every reader of a language: written once per index.
    key = ("projects.status_reply", status, ctx.language, ctx.catalog)
    text, title, buttons = ctx.content.derived(key, lambda: _status_parts(ctx, status))
    return [ctx.reply(text, title=title, buttons=buttons)]


def _status_parts(ctx: Context, status: str) -> _Parts:
    year = ctx.content.year
    group = [p for p in _projects(ctx) if p.status == status]
    title = ctx.t(f"projects.status.title.{status}", year=year)
    if not group:
        return ctx.t("projects.status.none", year=year), title, (_status_buttons(ctx, status),)
    parts = [ctx.t(f"projects.status.intro.{status}", year=year, count=len(group))]
    parts.extend(_capped([_line(ctx, p) for p in group[: _MAX_LINES + 1]], len(group)))
    if status == "closing":
        note = _conclusions_note(ctx)
        if note:
            parts += ["", note]
    return "\n".join(parts), title, (*_item_buttons(ctx, group), _status_buttons(ctx, status))


def topic_reply(
    ctx: Context, topic: str, status: str | None, shown: str | None = None
) -> list[Reply]:
    """The pilot projects related to a topic (a theme, a keyword, a word of their names)."""
    year = ctx.content.year
    found = ctx.content.with_keyword(topic, kinds=("pilot_project",))
    if status:
        found = [p for p in found if p.status == status]
    shown = (shown or topic)[:40]
    if not found:
        text = ctx.t("projects.topic.none", year=year, topic=shown)
        replies = [ctx.reply(text, buttons=(_status_buttons(ctx, "all"),))]
        return replies + (status_reply(ctx, status) if status else all_reply(ctx))
    if len(found) == 1 and not status:
        intro = ctx.reply(ctx.t("projects.topic.one", year=year, topic=shown))
        return [intro, *render_item(ctx, found[0])]
    parts = [ctx.t("projects.topic.intro", year=year, topic=shown, count=len(found))]
    lines = [
        f"{_line(ctx, p)} — {ctx.t(f'about.status.{p.status}', year=year)}"
        for p in found[: _MAX_LINES + 1]
    ]
    parts.extend(_capped(lines, len(found)))
    buttons = (*_item_buttons(ctx, found), _status_buttons(ctx, "all"))
    return [
        ctx.reply(
            "\n".join(parts), title=ctx.t("projects.topic.title", topic=shown), buttons=buttons
        )
    ]


async def projects(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """/projects [status|topic], and the plain-word questions the matcher recognised."""
    if "command" in args:
        raw = str(args.get("args", "")).strip()
        read = _read(raw, ctx)
        status = _STATUS_ALIASES.get(raw.lower(), read["status"])
        if raw.lower() in STATUSES:
            read["topic"] = ""
        read["status"] = status
    else:
        read = dict(args)
    if read.get("conclusions"):
        event = _conclusions_event(ctx)
        if event is not None:
            return render_item(ctx, event)
    topic, status = read.get("topic") or "", read.get("status")
    if topic:
        return topic_reply(ctx, topic, status, read.get("shown"))
    if status in STATUSES:
        return status_reply(ctx, status)
    return all_reply(ctx)


ROUTES = [
    Route(
        "projects",
        projects,
        commands=("projects", "proyectos", "projets", "pilots"),
        matcher=_match,
        priority=20,
    ),
]
