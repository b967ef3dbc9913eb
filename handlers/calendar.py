"""``/calendar``: the member's personal feed link, and the feed itself as a .ics file.

``/calendar reset`` (or "reset my calendar link", "restablecer calendario", "réinitialiser
mon calendrier") replaces the link; the old one stops working at once. Plain words lead here
too ("calendar", "calendario", "calendrier", "add to my calendar"…), but only when the message
is about the calendar and nothing else: "calendar of events in June" is a question for the
events handler.

In a group or channel the personal link is never shown (anyone there could use it): the
reply points to a private chat and gives the whole plan's feed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.calendars import personal_url, plan_url, reset_token, subscriptions_of, token_for
from bot.core.context import Context
from bot.core.messages import Reply
from bot.core.router import Query, Route
from bot.core.text import words
from content.ical import personal_feed, plan_feed

__all__ = ["ROUTES", "is_calendar_request"]

_CALENDAR = frozenset(
    "calendar calendars calendario calendarios calendrier calendriers ical icalendar ics "
    "webcal".split()
)
# Words that ask for a new link (and the end of the old one).
_RESET = frozenset(
    "reset revoke regenerate renew restablecer reiniciar revocar renovar regenerar "
    "reinitialiser reinitialise revoquer renouveler regenerer".split()
)
# Words that may come with "calendar" without making it another question.
_FILLER = frozenset(
    """
    a add adds adding agrega agregar al an and anade anadir ajoute ajouter ajoutez apple avec
    can como comment con could dame de del des do donde donne du el en enlace envia envoie
    envoyer es est et export exportar exporter favor feed fichier file archivo for get give
    google how i in into is je la las le les lien link los ma me mes metropolis mi mis moi mon
    my new nouveau nouvel nouvelle nueva nuevo obtener outlook para personal personnel
    personnelle plait plan please plz por pour puedo peux quiero s see send show sil subscribe
    suscribir suscribirme sync synchroniser sincronizar te the this to trabajo travail tu url
    veux ver voir vous want where with y 2019 abonner it you lo ca cela esto
    """.split()
)


_ALLOWED = _CALENDAR | _RESET | _FILLER


def is_calendar_request(text: str) -> bool:
    """Whether ``text`` asks for the calendar and for nothing else."""
    return _only_calendar(frozenset(words(text)))


def _only_calendar(found: frozenset[str]) -> bool:
    return not found.isdisjoint(_CALENDAR) and found <= _ALLOWED


def _match(query: Query, ctx: Context) -> Mapping[str, Any] | None:
    return {"args": query.args} if _only_calendar(query.word_set) else None


async def calendar(ctx: Context, args: Mapping[str, Any]) -> list[Reply]:
    """The personal feed link (created on first use, replaced on reset) and the .ics file."""
    if ctx.incoming.is_group:
        # Whoever reads the group could use the link: only the whole plan is shown there.
        index = ctx.content
        return [
            ctx.reply(
                ctx.t(
                    "calendar.group", plan_url=plan_url(ctx.settings.public_base_url, ctx.language)
                ),
                title=ctx.t("calendar.title"),
                document=(
                    f"metropolis-{index.year}-{ctx.language}.ics",
                    plan_feed(index, ctx.language, ctx.catalog, ctx.now),
                ),
            )
        ]
    reset = bool(set(words(str(args.get("args") or ""))) & _RESET)
    if reset:
        token = await reset_token(ctx.db, ctx.user.id)
    else:
        token = await token_for(ctx.db, ctx.user.id)
    base = ctx.settings.public_base_url
    url, whole_plan = personal_url(base, token), plan_url(base, ctx.language)
    index = ctx.content
    subscriptions = await subscriptions_of(ctx.db, ctx.user.id)
    body, count = personal_feed(index, subscriptions, ctx.language, ctx.catalog, ctx.now)
    document = (f"metropolis-{index.year}-my-calendar.ics", body)
    if reset:
        text = ctx.t("calendar.reset", url=url)
    elif count:
        text = ctx.t("calendar.link", url=url, plan_url=whole_plan, count=count)
    else:
        text = ctx.t("calendar.empty", url=url, plan_url=whole_plan)
    if not count:
        # An empty file is no use to import: send the whole plan instead.
        document = (
            f"metropolis-{index.year}-{ctx.language}.ics",
            plan_feed(index, ctx.language, ctx.catalog, ctx.now),
        )
    return [ctx.reply(text, title=ctx.t("calendar.title"), document=document)]


ROUTES = [
    Route(
        "calendar",
        calendar,
        commands=("calendar", "calendario", "calendrier", "ical"),
        matcher=_match,
        priority=30,
    ),
]
