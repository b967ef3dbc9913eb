"""Subscriptions: /subscribe, /unsubscribe, /subscriptions, buttons and plain words.

Buttons: ``sub:<slug>`` and ``unsub:<slug>`` (a pilot project, event, action or theme),
``sub:all``/``unsub:all`` (all events), ``sub:digest``/``unsub:digest`` (weekly digest) and
``unsub:everything``. Plain words: "subscribe me to MEGA", "suscríbeme a los proyectos sobre
agua", "abonne-moi à tous les événements", "stop MEGA updates", "unsubscribe from everything".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.core.router import Query, Route
from bot.core.text import fold, words
from bot.db.subscriptions import active_subscriptions, subscribe, unsubscribe, unsubscribe_all

__all__ = ["ROUTES", "Target", "resolve"]

_SUB_VERBS = frozenset(
    """subscribe subscribed suscribe suscribeme suscribirme suscribir suscribete suscribirse
    suscribanme abonne abonner abonnez abonnes inscris inscrire follow seguir suivre""".split()
)
_UNSUB_VERBS = frozenset(
    """unsubscribe unsubscribed unsuscribe desuscribe desuscribeme desuscribirme desuscribir
    desuscribirse desabonne desabonner desabonnez desinscris desinscrire unfollow""".split()
)
_STOP = frozenset("stop para parar deja dejar arrete arreter cancel cancela cancelar".split())
_NEWS = frozenset(
    """updates update news notifications notification notices reminders alerts messages
    novedades noticias notificaciones avisos recordatorios alertas mensajes nouvelles
    notifications rappels alertes messages actualites infos""".split()
)
_LIST = (
    "my subscriptions",
    "mis suscripciones",
    "mes abonnements",
    "what am i subscribed to",
    "a que estoy suscrito",
    "a quoi suis-je abonne",
)
# One search instead of a substring test per phrase.
_LIST_PHRASE = re.compile("|".join(re.escape(p) for p in _LIST))
_EVERYTHING = frozenset("everything all todo todas todos tout tous toutes".split())
_EVENTS = frozenset("events event eventos evento evenements evenement".split())
_DIGEST = frozenset("digest weekly semanal resumen hebdomadaire resume newsletter boletin".split())
# Words around the name that say nothing about which thing is meant.
_FILLER = (
    _SUB_VERBS
    | _UNSUB_VERBS
    | _STOP
    | _NEWS
    | frozenset(
        """me to from of about for on in the a an my please pls i want would like to
        al a de del la las los el sobre acerca por favor quiero quisiera en lo que mi mis
        moi a au aux de des du le la les l sur pour s il vous plait je veux voudrais mes
        more no ya de baja dar darme dame getting receiving recibir recevoir plus""".split()
    )
)


@dataclass(frozen=True)
class Target:
    """Something one can subscribe to."""

    kind: str  # item | theme | all_events | digest
    target: str  # a slug, or "*"

    @property
    def action(self) -> str:
        """The button payload value (after ``sub:``/``unsub:``)."""
        if self.kind == "all_events":
            return "all"
        if self.kind == "digest":
            return "digest"
        return self.target


ALL_EVENTS = Target("all_events", "*")
DIGEST = Target("digest", "*")


def _from_action(ctx: Context, value: str) -> Target | None:
    if value == "all":
        return ALL_EVENTS
    if value == "digest":
        return DIGEST
    item = ctx.content.get(value)
    if item is None:
        return None
    return Target("theme" if item.kind == "theme" else "item", item.slug)


def resolve(ctx: Context, text: str) -> list[Target] | str | None:
    """What ``text`` names: targets, ``"everything"``, or ``None`` if nothing is recognised."""
    folded = words(text)
    rest = [w for w in folded if w not in _FILLER]
    bag = set(folded)
    if bag & _DIGEST:
        return [DIGEST]
    if bag & _EVENTS and not [w for w in rest if w not in _EVENTS | _EVERYTHING]:
        return [ALL_EVENTS]
    if rest and all(w in _EVERYTHING for w in rest):
        return "everything"
    if not rest:
        return None
    query = " ".join(rest)
    kinds = ("pilot_project", "event", "action")
    themes = [m for m in ctx.content.find(query, kinds=("theme",), limit=2) if m.score >= 0.5]
    items = [m for m in ctx.content.find(query, kinds=kinds, limit=3) if m.score >= 0.5]
    if themes and (not items or themes[0].score >= items[0].score):
        return [Target("theme", themes[0].item.slug)]
    if items:
        best = items[0]
        if len(items) == 1 or best.score - items[1].score >= 0.2 or best.score >= 0.95:
            return [Target("item", best.item.slug)]
    related = ctx.content.with_keyword(query, kinds=("pilot_project",))
    if related:
        return [Target("item", item.slug) for item in related[:5]]
    if items:
        return [Target("item", m.item.slug) for m in items]
    return None


def _name(ctx: Context, target: Target) -> str:
    if target.kind == "all_events":
        return ctx.t("subscriptions.target.all_events")
    if target.kind == "digest":
        return ctx.t("subscriptions.target.digest")
    item = ctx.content.get(target.target)
    title = item.title.get(ctx.language, target.target) if item else target.target
    if target.kind == "theme":
        return ctx.t("subscriptions.target.theme", name=title)
    return title


def _short(ctx: Context, target: Target) -> str:
    if target.kind == "all_events":
        return ctx.t("subscriptions.button.all_events")
    if target.kind == "digest":
        return ctx.t("subscriptions.button.digest")
    item = ctx.content.get(target.target)
    title = item.title.get(ctx.language, target.target) if item else target.target
    return title if len(title) <= 40 else title[:39] + "…"


def _offer(ctx: Context) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(ctx.t("subscriptions.button.all_events"), "sub:all"),
            Button(ctx.t("subscriptions.button.digest"), "sub:digest"),
        ),
    )


def _text(args: Mapping[str, Any]) -> str:
    query: Query = args["query"]
    return str(args.get("text") if args.get("text") is not None else query.args)


# -- subscribe ------------------------------------------------------------------------------


async def do_subscribe(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Subscribe to what the command, button or words name."""
    if args.get("action") == "sub":
        target = _from_action(ctx, str(args.get("value") or ""))
        found: list[Target] | str | None = [target] if target else None
        text = str(args.get("value") or "")
    else:
        text = _text(args)
        found = resolve(ctx, text) if text.strip() else None
        if not text.strip():
            return [ctx.reply(ctx.t("subscriptions.ask"), buttons=_offer(ctx))]
    if found == "everything":
        found = [ALL_EVENTS]
    if not found or isinstance(found, str):
        return [
            ctx.reply(ctx.t("subscriptions.not_found", text=text.strip()[:60]), buttons=_offer(ctx))
        ]
    created: list[tuple[Target, bool]] = []
    async with ctx.db.write() as session:
        for target in found:
            _, new = await subscribe(
                session,
                user_id=ctx.user.id,
                platform=ctx.incoming.platform,
                chat_id=ctx.incoming.chat_id,
                target_kind=target.kind,
                target=target.target,
                now=ctx.now,
            )
            created.append((target, new))
    note = ctx.t(
        "subscriptions.timezone_note",
        hour=ctx.settings.send_hour,
        timezone=ctx.user.timezone or ctx.settings.timezone,
    )
    undo = tuple(
        (Button(f"{ctx.t('subscriptions.button.undo')}: {_short(ctx, t)}", f"unsub:{t.action}"),)
        for t, _ in created
    )
    if len(created) == 1:
        target, new = created[0]
        if not new:
            key = "subscriptions.already"
        elif target.kind == "digest":
            key = "subscriptions.subscribed_digest"
        else:
            key = "subscriptions.subscribed"
        text = ctx.t(key, name=_name(ctx, target))
        return [ctx.reply(f"{text}\n{note}", buttons=undo)]
    lines = "\n".join(f"• {_name(ctx, t)}" for t, _ in created)
    return [ctx.reply(f"{ctx.t('subscriptions.subscribed_many')}\n{lines}\n{note}", buttons=undo)]


# -- unsubscribe ----------------------------------------------------------------------------


async def do_unsubscribe(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """Unsubscribe from what the command, button or words name (or from everything)."""
    if args.get("action") == "unsub":
        value = str(args.get("value") or "")
        found: list[Target] | str | None = (
            "everything"
            if value == "everything"
            else [t]
            if (t := _from_action(ctx, value))
            else None
        )
        text = value
    else:
        text = _text(args)
        found = resolve(ctx, text) if text.strip() else None
    if found == "everything":
        async with ctx.db.write() as session:
            count = await unsubscribe_all(session, user_id=ctx.user.id)
        if not count:
            return [ctx.reply(ctx.t("subscriptions.nothing_to_cancel"))]
        return [ctx.reply(ctx.t("subscriptions.unsubscribed_all", count=count))]
    if not found or isinstance(found, str):
        listing = await list_subscriptions(ctx, args)
        if text.strip():
            return listing
        return [ctx.reply(ctx.t("subscriptions.ask_unsubscribe")), *listing]
    done: list[Target] = []
    missing: list[Target] = []
    async with ctx.db.write() as session:
        for target in found:
            ok = await unsubscribe(
                session, user_id=ctx.user.id, target_kind=target.kind, target=target.target
            )
            (done if ok else missing).append(target)
    lines = [ctx.t("subscriptions.unsubscribed", name=_name(ctx, t)) for t in done]
    lines += [ctx.t("subscriptions.not_subscribed", name=_name(ctx, t)) for t in missing]
    buttons = tuple(
        (
            Button(
                f"{ctx.t('subscriptions.button.resubscribe')}: {_short(ctx, t)}", f"sub:{t.action}"
            ),
        )
        for t in done
    )
    return [ctx.reply("\n".join(lines), buttons=buttons)]


# -- list -----------------------------------------------------------------------------------


async def list_subscriptions(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """The user's subscriptions, each with a button to undo it."""
    async with ctx.db.read() as session:
        subs = await active_subscriptions(session, ctx.user.id)
    if not subs:
        return [ctx.reply(ctx.t("subscriptions.list_empty"), buttons=_offer(ctx))]
    targets = [Target(s.target_kind, s.target) for s in subs]
    lines = "\n".join(f"• {_name(ctx, t)}" for t in targets)
    buttons = tuple(
        (Button(ctx.t("subscriptions.button.stop", name=_short(ctx, t)), f"unsub:{t.action}"),)
        for t in targets
    )
    return [
        ctx.reply(
            f"{lines}\n\n{ctx.t('subscriptions.list_footer')}",
            title=ctx.t("subscriptions.list_title"),
            buttons=buttons,
        )
    ]


# -- plain words ----------------------------------------------------------------------------

_SPLIT = re.compile(r"[\s,.;:!?¿¡'’-]+")


def _after_verb(text: str, verbs: frozenset[str]) -> str:
    """The text after the first verb ("subscribe me to MEGA" → "me to MEGA")."""
    parts = _SPLIT.split(text.strip())
    for n, part in enumerate(parts):
        if fold(part) in verbs:
            return " ".join(parts[n + 1 :])
    return text


def _match_list(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    if _LIST_PHRASE.search(query.joined) and len(query.words) <= 7:
        return {}
    return None


_BAJA = frozenset({"dar", "darme", "dame", "doy"})
_UNSUB_VERBS_BAJA = _UNSUB_VERBS | {"baja"}


def _match_unsubscribe(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    bag = query.word_set
    if not bag.isdisjoint(_UNSUB_VERBS) or ("baja" in bag and not bag.isdisjoint(_BAJA)):
        return {"text": _after_verb(query.args, _UNSUB_VERBS_BAJA)}
    if not bag.isdisjoint(_STOP) and not bag.isdisjoint(_NEWS) and len(query.words) <= 10:
        return {"text": query.args}
    return None


def _match_subscribe(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    if not query.word_set.isdisjoint(_SUB_VERBS) and len(query.words) <= 14:
        return {"text": _after_verb(query.args, _SUB_VERBS)}
    return None


ROUTES = [
    Route(
        "subscriptions",
        list_subscriptions,
        commands=("subscriptions", "suscripciones", "abonnements", "mysubscriptions"),
        matcher=_match_list,
        priority=18,
    ),
    Route(
        "unsubscribe",
        do_unsubscribe,
        commands=("unsubscribe", "desuscribir", "desuscribirme", "desabonner"),
        actions=("unsub",),
        matcher=_match_unsubscribe,
        priority=19,
    ),
    Route(
        "subscribe",
        do_subscribe,
        commands=("subscribe", "suscribir", "suscribirme", "abonner", "sabonner"),
        actions=("sub",),
        matcher=_match_subscribe,
        priority=20,
    ),
]
