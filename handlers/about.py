"""One item of the plan: "tell me about MEGA", "¿cuándo es el Congreso Mundial?",
"où a lieu le Forum mondial ?", or just a name ("mega", "metro airports").

Also the helpers other topics use to name items: :func:`pick` (which item a text means),
:func:`when_text` and :func:`item_line`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.core.periods import Period, find_period, format_month, format_when
from bot.core.router import Query, Route
from bot.core.text import words
from content.index import STOPWORDS, ContentIndex, ContentItem, Match

__all__ = [
    "EXPLICIT",
    "NEUTRAL",
    "ROUTES",
    "Pick",
    "button_label",
    "content_words",
    "item_line",
    "pick",
    "render_item",
    "when_text",
]

# Words that name nothing in the plan: question words, politeness, articles.
NEUTRAL = STOPWORDS | frozenset(
    """
    please pls por favor svp stp s il te plait plaît merci can could would you vous usted
    i me we us nos nous yo tell say give show list dime dame muestrame montre donne
    know saber savoir want quiero veux voudrais like gustaria any anything algo quelque chose
    there hay y a il the el la los las le les un una une some alguno algunos des
    which cual cuales quel quels quelle quelles qu est ce this that esto eso ceci cela ca
    do does did are was were will sera seran serait have has tiene ont avoir
    happen happens happening pasa ocurre passe se lieu celebra celebre tient deroule
    again otra vez encore also tambien aussi then entonces alors now ahora maintenant
    hi hello hola bonjour ok okay vale d accord yes no si oui non
    all everything todo toda todos todas tout tous toutes
    cuentame cuenteme hableme explicame explain describe raconte racontez parlez dites dis
    fait faire font hace hacer hacen doing does done
    section sections seccion secciones theme themes tema temas thematique thematiques
    topic topics
    metropolis work plan trabajo travail
    next upcoming proximo proxima proximos proximas prochain prochaine prochains prochaines
    siguiente siguientes
    """.split()
)

_COMPACT_WORD = re.compile(r"[a-z0-9]+")
EXPLICIT = re.compile(
    r"\b(?:tell me (?:more )?about|talk (?:to me )?about|what (?:is|s|are)|who organi[sz]es|"
    r"(?:where|when) (?:is|s|are|was|will|does|do)|info(?:rmation)? (?:on|about)|"
    r"details (?:on|about)|more (?:about|on)|describe|explain|"
    r"hablame|cuentame|dime algo|que (?:es|son)|cuando|donde|informacion sobre|info sobre|"
    r"mas sobre|explicame|parle(?:z)? moi|dis moi tout sur|dites moi|qu est ce que|c est quoi|"
    r"quand|ou (?:a lieu|se tient|se deroule|est|sera|aura lieu)|infos? sur|"
    r"informations? sur|en savoir plus sur|plus sur)\b"
)
_WHEN = frozenset("when cuando quand date dates fecha fechas dia jour month mes mois".split())
_WHERE = frozenset("where donde lugar venue city ciudad ville".split())
_WHERE_FR = re.compile(r"\bou (?:a lieu|se tient|se deroule|est|sera|aura lieu)\b")


def content_words(
    text: str, *, today: date, year: int, also: frozenset[str] = frozenset()
) -> list[str]:
    """The folded words of ``text`` that may name something: no period, no question words."""
    found = find_period(text, today=today, year=year)
    tokens = list(found.rest) if found else words(text)
    # Single letters are left by elisions and hyphens ("y a-t-il", "l'eau", "qu'est").
    return [t for t in tokens if t not in NEUTRAL and t not in also and len(t) > 1]


# --- Which item a text means ----------------------------------------------------------------


@dataclass(frozen=True)
class Pick:
    """What a text names.

    Attributes:
        item: The item meant, when one stands out (or a theme/section leads a tie).
        others: Close matches: the choices when ``item`` is None, "see also" otherwise.
        score: The best match's score.
    """

    item: ContentItem | None
    others: tuple[ContentItem, ...]
    score: float


# Per-index caches: matchers of several topics ask about the same text for one message.
_cache_owner: list[ContentIndex] = []
_names: dict[str, set[str]] = {}
_picks: dict[tuple[str, tuple[str, ...] | None, bool], Pick | None] = {}


def _caches(index: ContentIndex) -> None:
    if _cache_owner and _cache_owner[0] is index:
        if len(_picks) > 4096:
            _picks.clear()
        return
    _cache_owner[:] = [index]
    _picks.clear()
    _names.clear()
    for item in index.items.values():
        for name in (*item.aliases, *item.title.values(), item.slug.replace("-", " ")):
            compact = "".join(w for w in words(name) if w not in STOPWORDS)
            if len(compact) >= 3:
                _names.setdefault(compact, set()).add(item.slug)


def pick(
    ctx: Context,
    text: str,
    *,
    kinds: Sequence[str] | None = None,
    threshold: float = 0.6,
    prefer_sections: bool = False,
) -> Pick | None:
    """The item ``text`` names, the close candidates, or ``None`` when nothing matches well.

    An exact name (an alias or a title, ignoring case, accents, spaces and small words) wins
    outright. Otherwise the best match must reach ``threshold`` and lead the next by 0.1; when
    several are that close and one is a theme (or a section, with ``prefer_sections``), it
    leads and the others become "see also"; else the close ones are returned as choices.
    """
    index = ctx.content
    _caches(index)
    key = (text, tuple(kinds) if kinds else None, prefer_sections)
    if key in _picks:
        result = _picks[key]
    else:
        result = _picks[key] = _pick(index, text, kinds, prefer_sections)
    if result is None or result.score < threshold:
        return None
    return result


def _pick(
    index: ContentIndex,
    text: str,
    kinds: Sequence[str] | None,
    prefer_sections: bool,
) -> Pick | None:
    compact = "".join(w for w in words(text) if w not in STOPWORDS)
    exact = [
        index.items[s]
        for s in _names.get(compact, ())
        if s in index.items and (kinds is None or index.items[s].kind in kinds)
    ]
    matches: list[Match] = index.find(text, kinds=kinds, limit=8)
    best = matches[0].score if matches else 0.0
    close = [m.item for m in matches if m.score >= best - 0.1 + 1e-9 and m.score >= 0.45]
    if len(exact) == 1:
        lead = exact[0]
        if lead.kind not in ("theme", "section"):
            return Pick(lead, (), 1.0)
        close = [lead, *(i for i in close if i is not lead)]
        best = 1.0
    elif not matches:
        return None
    elif len(close) <= 1:
        return Pick(matches[0].item, (), best)
    # A theme (or, when asked, a section) leads a tie: its overview covers the others.
    order = ("section", "theme") if prefer_sections else ("theme", "section")
    for kind in order:
        leaders = [i for i in close if i.kind == kind]
        if leaders:
            lead = leaders[0]
            others = tuple(i for i in close if i is not lead and i.kind in order)
            return Pick(lead, others[:3], best)
    return Pick(None, tuple(close[:6]), best)


# --- Saying things about items --------------------------------------------------------------


def when_text(ctx: Context, item: ContentItem) -> str:
    """The item's date, the local way ("junio de 2019", "date to be confirmed")."""
    return _when(item.precision, item.start, item.end, ctx.language)


# Dates are written again and again for the same few items.
_when = lru_cache(maxsize=1024)(format_when)


def status_text(ctx: Context, item: ContentItem) -> str:
    """The item's status in words ("closing in 2019", "planned")."""
    return ctx.t(f"about.status.{item.status}", year=ctx.content.year)


def button_label(text: str, limit: int = 48) -> str:
    """A button label no longer than ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def item_line(
    ctx: Context,
    item: ContentItem,
    *,
    within: Period | None = None,
    show_date: bool = True,
    show_status: bool = False,
) -> str:
    """One list line: "• junio de 2019 — Foro Global en Guangzhou (Guangzhou)".

    The date is left out when it says no more than the period shown (``within``); organiser and
    place are added when known; cancelled or postponed items say so.
    """
    dated = show_date and item.precision != "none"
    if dated and within is not None and _says_no_more(item, within):
        dated = False
    index = ctx.content
    if index.items.get(item.slug) is not item:  # not one of the index's own items
        return _item_line(ctx, item, dated=dated, show_status=show_status)
    # A line depends on the item, the language and the catalog only: written once per index.
    key = ("about.line", item.slug, ctx.language, ctx.catalog, dated, show_status)
    return index.derived(key, lambda: _item_line(ctx, item, dated=dated, show_status=show_status))


def _item_line(ctx: Context, item: ContentItem, *, dated: bool, show_status: bool) -> str:
    title = item.title.get(ctx.language) or item.title.get("en", item.slug)
    extra = [x for x in (item.organiser, item.place) if x and x.lower() not in title.lower()]
    if extra:
        title += f" ({', '.join(extra)})"
    if item.status in ("cancelled", "postponed", "done") or show_status:
        title += f" — {status_text(ctx, item)}"
    if not dated:
        return f"• {title}"
    return f"• {when_text(ctx, item)} — {title}"


def _says_no_more(item: ContentItem, period: Period) -> bool:
    return (
        item.precision == "month"
        and period.precision == "month"
        and item.start is not None
        and item.start == period.start
    )


def _date_line(ctx: Context, item: ContentItem) -> str:
    if item.precision == "none":
        return ctx.t("about.field.when", value=ctx.t("about.no_date"))
    value = when_text(ctx, item)
    today = ctx.today
    if item.end is not None and item.end < today:
        value += f" ({ctx.t('about.past')})"
    elif item.start is not None and item.end is not None and item.start <= today <= item.end:
        now = {"day": "about.today", "month": "about.this_month", "period": "about.ongoing_now"}
        if item.precision in now:
            value += f" ({ctx.t(now[item.precision])})"
    return ctx.t("about.field.when", value=value)


@dataclass(frozen=True, slots=True)
class _Card:
    """What an item's reply says whatever the day: all of it but the date line.

    Attributes:
        kind: The first line ("Action of the 2019 work plan").
        place: The place line, if any.
        dated: Whether the reply has a date line.
        rest: The lines after the date and place.
        title: The reply's title.
        buttons: The reply's buttons.
    """

    kind: str
    place: str | None
    dated: bool
    rest: tuple[str, ...]
    title: str
    buttons: tuple[tuple[Button, ...], ...]


def render_item(ctx: Context, item: ContentItem, *, ask: str | None = None) -> list[Reply]:
    """Everything the plan says about one item, with buttons to go further."""
    if item.kind in ("theme", "section"):
        from handlers import themes

        return themes.render_theme_or_section(ctx, item)
    where = ask == "where"
    if ctx.content.items.get(item.slug) is item:
        # All but the date line depends on the item and the language: written once per index.
        key = ("about.card", item.slug, ctx.language, ctx.catalog, where)
        card = ctx.content.derived(key, lambda: _card(ctx, item, where=where))
    else:
        card = _card(ctx, item, where=where)
    date_line = _date_line(ctx, item) if card.dated else None
    # A "where" question gets the place first.
    first = (card.place, date_line) if where else (date_line, card.place)
    lines = [card.kind, *(line for line in first if line), *card.rest]
    return [ctx.reply("\n".join(lines).strip(), title=card.title, buttons=card.buttons)]


def _card(ctx: Context, item: ContentItem, *, where: bool) -> _Card:
    lang = ctx.language
    year = ctx.content.year
    # A project without a date has its status instead; other undated items say so.
    no_date = item.kind == "pilot_project" and item.precision == "none"
    place_line = None
    if item.place:
        place_line = ctx.t("about.field.place", value=item.place)
    elif where:
        place_line = ctx.t("about.field.place", value=ctx.t("about.no_place"))
    lines = [ctx.t("about.field.status", value=status_text(ctx, item))]
    if item.organiser:
        lines.append(ctx.t("about.field.organiser", value=item.organiser))
    section = ctx.content.get(item.section)
    if section is not None and section.slug != item.slug:
        lines.append(ctx.t("about.field.section", value=section.title[lang]))
    lines.append("")
    lines.append(item.description.get(lang, ""))
    themes = [ctx.content.get(s) for s in item.themes]
    names = [t.title[lang] for t in themes if t is not None]
    if names:
        lines.append("")
        lines.append(ctx.t("about.field.themes", value=", ".join(names)))
    if item.link:
        lines.append(ctx.t("about.field.link", value=item.link))
    buttons: list[tuple[Button, ...]] = []
    if item.kind == "pilot_project":
        buttons.append(
            (
                Button(ctx.t("about.button.subscribe"), f"sub:{item.slug}"),
                Button(
                    ctx.t(f"about.button.projects_{item.status}"), f"cmd:projects {item.status}"
                ),
            )
        )
    elif item.start is not None and item.precision in ("day", "month"):
        month = format_month(item.start.year, item.start.month, lang)
        buttons.append(
            (Button(ctx.t("about.button.month", month=month), f"cmd:events {item.start:%Y-%m}"),)
        )
    related = [t for t in themes if t is not None][:2]
    if related:
        buttons.append(
            tuple(
                Button(
                    ctx.t("about.button.see_also", title=button_label(t.title[lang], 32)),
                    f"about:{t.slug}",
                )
                for t in related
            )
        )
    return _Card(
        kind=ctx.t(f"about.kind.{item.kind}", year=year),
        place=place_line,
        dated=not no_date,
        rest=tuple(lines),
        title=item.title[lang],
        buttons=tuple(buttons),
    )


def render_choices(ctx: Context, query_text: str, items: Sequence[ContentItem]) -> list[Reply]:
    """Several items match: a short list, one button each."""
    lines = "\n".join(item_line(ctx, i, show_status=i.kind == "pilot_project") for i in items)
    buttons = tuple(
        (Button(button_label(i.title[ctx.language]), f"about:{i.slug}"),) for i in items
    )
    return [
        ctx.reply(
            ctx.t(
                "about.several.body",
                year=ctx.content.year,
                query=query_text[:60],
                lines=lines,
            ),
            title=ctx.t("about.several.title"),
            buttons=buttons,
        )
    ]


# --- Understanding and answering ------------------------------------------------------------


def _ask(folded: str, word_set: frozenset[str]) -> str | None:
    if word_set & _WHEN:
        return "when"
    if word_set & _WHERE or _WHERE_FR.search(folded):
        return "where"
    return None


def _subject(query: Query, ctx: Context, *, explicit: bool) -> Mapping[str, Any] | None:
    joined = query.joined
    if explicit:
        found = EXPLICIT.search(joined)
        if not found:
            return None
        subject_text = joined[found.end() :] or joined[: found.start()]
    else:
        subject_text = joined
    kept = content_words(subject_text, today=ctx.today, year=ctx.content.year)
    if not kept:
        return None
    text = " ".join(kept)
    chosen = pick(ctx, text, threshold=0.45 if explicit else 0.6)
    if chosen is None:
        return None
    return {"text": text, "ask": _ask(joined, query.word_set)}


def _match_explicit(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    if len(query.words) > 40:
        return None
    return _subject(query, ctx, explicit=True)


def _match_name(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    # A name on its own ("mega", "metro airports", "women 4 climate"), or nearly.
    if not query.words or len(query.words) > 12:
        return None
    return _subject(query, ctx, explicit=False)


async def about(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Show the item named (or pressed), or the close candidates."""
    if args.get("action") == "about":
        item = ctx.content.get(str(args.get("value", "")))
        if item is None:
            return [ctx.reply(ctx.t("about.gone"))]
        return render_item(ctx, item)
    text = args.get("text")
    ask = args.get("ask")
    if text is None:  # /about <name>
        raw = str(args.get("args", ""))
        text = " ".join(content_words(raw, today=ctx.today, year=ctx.content.year)) or raw
        ask = None
    if not text.strip():
        from handlers.help import show_help

        return await show_help(ctx, args)
    chosen = pick(ctx, text, threshold=0.3)
    if chosen is None:
        return [ctx.reply(ctx.t("about.not_found", query=text[:60], year=ctx.content.year))]
    if chosen.item is None:
        return render_choices(ctx, text, chosen.others)
    if ask == "when" and not chosen.item.dated:
        # "When is the webinar?": an undated name-match should not hide a dated one.
        dated = [
            m.item
            for m in ctx.content.find(text, limit=5)
            if m.item.dated and m.score >= 0.6 and m.item is not chosen.item
        ]
        if dated:
            return render_choices(ctx, text, [chosen.item, *dated[:4]])
    replies = render_item(ctx, chosen.item, ask=ask)
    if chosen.others and replies:
        first = replies[0]
        extra = tuple(
            (
                Button(
                    ctx.t("about.button.see_also", title=button_label(o.title[ctx.language], 32)),
                    f"about:{o.slug}",
                ),
            )
            for o in chosen.others
        )
        replies[0] = ctx.reply(first.text, title=first.title, buttons=first.buttons + extra)
    return replies


ROUTES = [
    Route(
        "about",
        about,
        commands=("about", "info", "acerca", "apropos"),
        actions=("about",),
        matcher=_match_explicit,
        priority=22,
    ),
    Route("about.name", about, matcher=_match_name, priority=60),
]
