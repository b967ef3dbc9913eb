"""``/calendar``: the member's personal feed link, and the feed itself as a .ics file.

``/calendar reset`` (or "reset my calendar link", "restablecer calendario", "réinitialiser
mon calendrier") replaces the link; the old one stops working at once. Plain words lead here
too ("add it to my Google calendar", "is there an ical feed", "exporter dans Outlook").

In a group or channel the personal link is never shown (anyone there could use it): the
reply points to a private chat and gives the whole plan's feed.
"""

from __future__ import annotations

from bot.calendars import (
    calendar_of,
    personal_url,
    plan_url,
    reset_token,
    subscriptions_of,
)
from bot.core.context import Context
from bot.core.messages import Button, Reply
from bot.understanding.reading import Reading
from content.ical import feed_filename, personal_feed, plan_feed

__all__ = ["HANDLERS"]


async def calendar(ctx: Context, reading: Reading) -> list[Reply]:
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
                    feed_filename(index, ctx.language),
                    plan_feed(index, ctx.language, ctx.catalog, ctx.now),
                ),
            )
        ]
    reset = reading.detail == "reset"
    if reset:
        token = await reset_token(ctx.db, ctx.user.id)
        subscriptions = await subscriptions_of(ctx.db, ctx.user.id)
    else:
        token, subscriptions = await calendar_of(ctx.db, ctx.user.id)
    base = ctx.settings.public_base_url
    url, whole_plan = personal_url(base, token), plan_url(base, ctx.language)
    index = ctx.content
    body, count = personal_feed(index, subscriptions, ctx.language, ctx.catalog, ctx.now)
    document = (feed_filename(index, "my-calendar"), body)
    if reset:
        text = ctx.t("calendar.reset", url=url)
    elif count:
        text = ctx.t("calendar.link", url=url, plan_url=whole_plan, count=count)
    else:
        text = ctx.t("calendar.empty", url=url, plan_url=whole_plan)
    if not count:
        # An empty file is no use to import: send the whole plan instead.
        document = (
            feed_filename(index, ctx.language),
            plan_feed(index, ctx.language, ctx.catalog, ctx.now),
        )
    # The feed as a link button too: one tap opens it in the member's calendar app.
    buttons = ((Button(ctx.t("links.button.calendar"), url=url),),)
    return [ctx.reply(text, title=ctx.t("calendar.title"), document=document, buttons=buttons)]


HANDLERS = {"calendar": calendar}
