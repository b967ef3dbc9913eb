"""Subscriptions: follow, stop following, list, and undo — however asked ("/subscribe MEGA",
a button, "follow the mobility projects for me", "avísame de lo que pase en noviembre",
"quit sending me messages", "undo"). A request that covers several items, or a name read
with doubt, is confirmed first ("shall I…?"); "yes", "oui", "sí" or the button answers.

Buttons: ``sub:<slug>``/``unsub:<slug>``, ``sub:all``/``unsub:all`` (all events),
``sub:digest``/``unsub:digest``, ``unsub:everything``, ``ok:yes``/``ok:no``. An item card's
``~sub:<slug>`` (read as a ``toggle``) answers with the same card, its button turned into
"✓ Subscribed · Unsubscribe" (``~unsub:<slug>``), and a short notice.

In a group, only its administrators change what the group follows (the platform tells, see
:meth:`bot.core.context.Context.may_change_group`); others get a polite refusal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.conversation.state import Action, Pending
from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.db.subscriptions import active_subscriptions, subscribe, unsubscribe
from bot.understanding.reading import Reading
from handlers.present.choices import choices_reply, confirm_row
from handlers.present.items import item_card, title_of
from handlers.present.lists import numbered
from handlers.selection import dated_between, projects

__all__ = ["HANDLERS", "Target"]

# Doubt below this asks before acting on a single name.
_SURE = 0.6


@dataclass(frozen=True, slots=True)
class Target:
    """Something one can subscribe to.

    Attributes:
        kind: ``item``, ``theme``, ``all_events`` or ``digest``.
        target: A slug (as the plans write it: the same for every plan year), or ``*``.
    """

    kind: str
    target: str

    @property
    def key(self) -> str:
        """How the conversation names it: a slug, ``all_events`` or ``digest``."""
        return self.target if self.kind in ("item", "theme") else self.kind

    @property
    def action(self) -> str:
        """The button payload value (after ``sub:``/``unsub:``)."""
        return {"all_events": "all", "digest": "digest"}.get(self.kind, self.target)


def _target(ctx: Context, key: str) -> Target | None:
    if key in ("all_events", "digest"):
        return Target(key, "*")
    item = ctx.content.get(key)
    if item is None:
        return None
    # By the slug the plans share: following a theme or a yearly item goes on from one
    # plan to the next (the scheduler and the feeds cover every plan's item of that slug).
    return Target("theme" if item.kind == "theme" else "item", item.plain_slug)


_DATED = ("event", "action")


def _targets(ctx: Context, reading: Reading) -> list[Target]:
    keys: list[str] = [t for t in reading.targets if t != "everything"]
    if reading.detail == "projects":
        keys += [
            p.slug
            for p in projects(
                ctx.content, status=reading.status, theme=reading.theme, topic=reading.subject
            )
        ]
    elif reading.detail == "events" and reading.period is not None:
        dated = dated_between(ctx.content, reading.period, reading.theme)
        if reading.subject:  # "los dos congresos de noviembre": those the words name
            named = {i.slug for i in ctx.content.with_keyword(reading.subject, _DATED)}
            dated = [i for i in dated if i.slug in named] or dated
        keys += [i.slug for i in dated]
    else:
        keys += list(reading.items)
    found = [t for t in (_target(ctx, k) for k in dict.fromkeys(keys)) if t is not None]
    return found


def _name(ctx: Context, target: Target) -> str:
    if target.kind == "all_events":
        return ctx.t("subscriptions.target.all_events")
    if target.kind == "digest":
        return ctx.t("subscriptions.target.digest")
    item = ctx.content.get(target.target)
    title = title_of(ctx, item) if item else target.target
    if target.kind == "theme":
        return ctx.t("subscriptions.target.theme", name=title)
    return title


def _short(ctx: Context, target: Target) -> str:
    if target.kind in ("all_events", "digest"):
        return ctx.t(f"subscriptions.button.{target.kind}")
    item = ctx.content.get(target.target)
    title = title_of(ctx, item) if item else target.target
    return title if len(title) <= 40 else title[:39] + "…"


def _offer(ctx: Context) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(ctx.t("subscriptions.button.all_events"), "sub:all"),
            Button(ctx.t("subscriptions.button.digest"), "sub:digest"),
        ),
    )


def _asked(reading: Reading) -> bool:
    # A button or a "yes" to the bot's own question: no need to confirm again.
    return reading.detail in ("button", "toggle", "confirmed", "picked")


def _refused(ctx: Context) -> list[Reply]:
    ctx.turn.act = "unknown"
    return [ctx.reply(ctx.t("subscriptions.group_admins_only"))]


def _toggled(ctx: Context, target: Target, *, subscribed: bool) -> list[Reply] | None:
    """The card whose button was pressed, its button turned, and a notice; ``None`` when the
    target has no card (a theme, all events)."""
    item = ctx.content.get(target.target) if target.kind == "item" else None
    if item is None:
        return None
    key = "subscriptions.toast.subscribed" if subscribed else "subscriptions.toast.unsubscribed"
    card = item_card(ctx, item, subscribed=subscribed)
    notice = ctx.t(key, name=_short(ctx, target))
    return [ctx.reply(card.text, title=card.title, buttons=card.buttons, notice=notice)]


def _confirm(ctx: Context, act: str, targets: Sequence[Target]) -> list[Reply]:
    keys = tuple(t.key for t in targets)
    ctx.turn.pending = Pending(
        "confirm",
        act,
        items=tuple(k for k in keys if k not in ("all_events", "digest")),
        targets=tuple(k for k in keys if k in ("all_events", "digest")),
    )
    ctx.turn.listed = keys
    ctx.turn.act = act
    if len(targets) == 1:
        key = "confirm_one" if act == "subscribe" else "confirm_one_unsubscribe"
        text = ctx.t(f"conversation.{key}", name=_name(ctx, targets[0]))
    else:
        lines = "\n".join(numbered([_name(ctx, t) for t in targets]))
        text = ctx.t(f"conversation.confirm_{act}", count=len(targets), lines=lines)
    return [ctx.reply(text, buttons=(confirm_row(ctx),))]


# --- subscribe ------------------------------------------------------------------------------


async def do_subscribe(ctx: Context, reading: Reading) -> list[Reply]:
    """Subscribe to what the reading names (after asking, when it covers several items)."""
    found = _targets(ctx, reading)
    if not found:
        return _ask_what(ctx, reading, "subscribe")
    if not await ctx.may_change_group():
        return _refused(ctx)
    several = len([t for t in found if t.kind == "item"]) > 1
    if not _asked(reading) and (several or reading.confidence < _SURE):
        return _confirm(ctx, "subscribe", found)
    if reading.detail == "replace":
        await _take_back(ctx)
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
    made = [t for t, new in created if new]
    ctx.turn.undo = Action(
        "subscribe",
        items=tuple(t.key for t in made if t.kind in ("item", "theme")),
        targets=tuple(t.key for t in made if t.kind not in ("item", "theme")),
    )
    ctx.turn.focus = tuple(t.key for t, _ in created)
    if reading.detail == "toggle" and len(found) == 1:
        toggled = _toggled(ctx, found[0], subscribed=True)
        if toggled is not None:
            return toggled
    note = ctx.t(
        "subscriptions.timezone_note",
        hour=ctx.settings.send_hour,
        timezone=ctx.user.timezone or ctx.settings.timezone,
    )
    undo = tuple(
        (
            Button(
                ctx.t("subscriptions.button.undo_named", name=_short(ctx, t)), f"unsub:{t.action}"
            ),
        )
        for t, _ in created[:6]
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


def _ask_what(ctx: Context, reading: Reading, act: str) -> list[Reply]:
    choices = [i for i in (ctx.content.get(s) for s in reading.choices) if i is not None]
    if len(choices) > 1:
        text = ctx.t(f"conversation.which_{act}")
        return [choices_reply(ctx, choices[:6], text=text, act=act)]
    if reading.detail in ("projects", "events"):
        ctx.turn.act = "unknown"
        return [ctx.reply(ctx.t("conversation.nothing_selected", year=ctx.plan_year))]
    ctx.turn.pending = Pending("target", act)
    ctx.turn.act = act
    if act == "unsubscribe":
        return []  # the list of subscriptions asks (see do_unsubscribe)
    subject = reading.subject or (reading.args if reading.command else "")
    if subject.strip():
        text = ctx.t("subscriptions.not_found", text=subject.strip()[:60])
        return [ctx.reply(text, buttons=_offer(ctx))]
    # Where the platform has forms, a list to pick from (Slack's modal) suits better.
    return [ctx.reply(ctx.t("subscriptions.ask"), buttons=_offer(ctx), form="subscribe")]


# --- unsubscribe ----------------------------------------------------------------------------


async def do_unsubscribe(ctx: Context, reading: Reading) -> list[Reply]:
    """Unsubscribe from what the reading names, or from everything."""
    if not await ctx.may_change_group():
        return _refused(ctx)
    if "everything" in reading.targets:
        return await _unsubscribe_all(ctx)
    found = _targets(ctx, reading)
    if not found:
        asked = _ask_what(ctx, reading, "unsubscribe")
        listing = await list_subscriptions(ctx, reading, asking=True)
        return asked + listing
    several = len([t for t in found if t.kind == "item"]) > 1
    if not _asked(reading) and (several or reading.confidence < _SURE):
        return _confirm(ctx, "unsubscribe", found)
    if reading.detail == "replace":
        await _take_back(ctx)
    done: list[Target] = []
    missing: list[Target] = []
    async with ctx.db.write() as session:
        for target in found:
            ok = await unsubscribe(
                session, user_id=ctx.user.id, target_kind=target.kind, target=target.target
            )
            (done if ok else missing).append(target)
    ctx.turn.undo = Action(
        "unsubscribe",
        items=tuple(t.key for t in done if t.kind in ("item", "theme")),
        targets=tuple(t.key for t in done if t.kind not in ("item", "theme")),
    )
    ctx.turn.focus = tuple(t.key for t in found)
    if reading.detail == "toggle" and len(found) == 1:
        toggled = _toggled(ctx, found[0], subscribed=False)
        if toggled is not None:
            return toggled
    lines = [ctx.t("subscriptions.unsubscribed", name=_name(ctx, t)) for t in done]
    lines += [ctx.t("subscriptions.not_subscribed", name=_name(ctx, t)) for t in missing]
    buttons = tuple(
        (Button(ctx.t("subscriptions.button.resubscribe", name=_short(ctx, t)), f"sub:{t.action}"),)
        for t in done[:6]
    )
    return [ctx.reply("\n".join(lines), buttons=buttons)]


async def _unsubscribe_all(ctx: Context) -> list[Reply]:
    async with ctx.db.write() as session:
        subs = await active_subscriptions(session, ctx.user.id)
        for sub in subs:
            await unsubscribe(
                session, user_id=ctx.user.id, target_kind=sub.target_kind, target=sub.target
            )
    if not subs:
        return [ctx.reply(ctx.t("subscriptions.nothing_to_cancel"))]
    gone = [Target(s.target_kind, s.target) for s in subs]
    ctx.turn.undo = Action(
        "unsubscribe",
        items=tuple(t.key for t in gone if t.kind in ("item", "theme")),
        targets=tuple(t.key for t in gone if t.kind not in ("item", "theme")),
    )
    undo = (Button(ctx.t("subscriptions.button.undo"), "cmd:undo"),)
    return [ctx.reply(ctx.t("subscriptions.unsubscribed_all", count=len(subs)), buttons=(undo,))]


# --- list -----------------------------------------------------------------------------------


async def list_subscriptions(
    ctx: Context, reading: Reading, *, asking: bool = False
) -> list[Reply]:
    """The member's subscriptions, numbered, each with a button to stop it."""
    async with ctx.db.read() as session:
        subs = await active_subscriptions(session, ctx.user.id)
    if not subs:
        return [ctx.reply(ctx.t("subscriptions.list_empty"), buttons=_offer(ctx))]
    targets = [Target(s.target_kind, s.target) for s in subs]
    lines = "\n".join(numbered([_name(ctx, t) for t in targets]))
    buttons = tuple(
        (Button(ctx.t("subscriptions.button.stop", name=_short(ctx, t)), f"unsub:{t.action}"),)
        for t in targets
    )
    ctx.turn.listed = tuple(t.key for t in targets)
    head = ctx.t("subscriptions.ask_unsubscribe") + "\n" if asking else ""
    return [
        ctx.reply(
            f"{head}{lines}\n\n{ctx.t('subscriptions.list_footer')}",
            title=ctx.t("subscriptions.list_title"),
            buttons=buttons,
        )
    ]


# --- undo, yes, no --------------------------------------------------------------------------


async def _take_back(ctx: Context) -> list[str]:
    """Undo the last change (a correction replaces it); the names of what changed back."""
    undo = ctx.conversation.undo
    if undo is None:
        return []
    targets = [t for t in (_target(ctx, k) for k in (*undo.items, *undo.targets)) if t]
    async with ctx.db.write() as session:
        for target in targets:
            if undo.act == "subscribe":
                await unsubscribe(
                    session, user_id=ctx.user.id, target_kind=target.kind, target=target.target
                )
            else:
                await subscribe(
                    session,
                    user_id=ctx.user.id,
                    platform=ctx.incoming.platform,
                    chat_id=ctx.incoming.chat_id,
                    target_kind=target.kind,
                    target=target.target,
                    now=ctx.now,
                )
    ctx.turn.cleared = True
    return [_name(ctx, t) for t in targets]


async def undo(ctx: Context, reading: Reading) -> list[Reply]:
    """Take back the last subscription change of this conversation."""
    if ctx.conversation.undo is None or reading.detail is None:
        return [ctx.reply(ctx.t("conversation.nothing_to_undo"))]
    if not await ctx.may_change_group():
        return _refused(ctx)
    act = ctx.conversation.undo.act
    names = await _take_back(ctx)
    if not names:
        return [ctx.reply(ctx.t("conversation.nothing_to_undo"))]
    ctx.turn.focus = ctx.conversation.undo.items
    return [ctx.reply(ctx.t(f"conversation.undone_{act}", names=", ".join(names)))]


async def acknowledge(ctx: Context, reading: Reading) -> list[Reply]:
    """A "yes" or "ok" with no question pending."""
    return [ctx.reply(ctx.t("conversation.ack"))]


async def cancel(ctx: Context, reading: Reading) -> list[Reply]:
    """A "no" to the bot's question: nothing changes."""
    if reading.detail is None:
        return [ctx.reply(ctx.t("conversation.ack"))]
    return [ctx.reply(ctx.t("conversation.cancelled"))]


HANDLERS = {
    "subscribe": do_subscribe,
    "unsubscribe": do_unsubscribe,
    "subscriptions": list_subscriptions,
    "undo": undo,
    "confirm": acknowledge,
    "cancel": cancel,
}
