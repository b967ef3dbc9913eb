"""The App Home tab, the member's settings page: language and time zone pickers, their
subscriptions with Unsubscribe buttons, the next events with Subscribe buttons, how to ask.

Published with ``views.publish`` when the user opens the tab (``app_home_opened``) and again
after every change to their settings or subscriptions, wherever it was made (a DM, a slash
command, a button, a modal: the core tells the adapter). Written in the user's language:
their explicit choice, else the language they were last answered in, else their Slack
locale, else the default. Content text is escaped like every reply (see :mod:`.convert`).

The pickers' actions are ``home:lang`` and ``home:tz`` (the adapter passes the choice to the
core as ``lang:<xx>`` and ``/timezone <zone>``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from bot.adapters.slack.convert import MAX_SECTION, escape
from bot.adapters.slack.zones import zone_groups
from bot.db.models import Subscription, User
from bot.i18n.catalog import LANGUAGES
from bot.i18n.dates import format_day, format_when

if TYPE_CHECKING:
    from bot.app import App
    from content.index import ContentIndex, ContentItem

__all__ = ["LANGUAGE_PICKER", "NEXT_EVENTS", "ZONE_PICKER", "build_home", "home_language"]

LANGUAGE_PICKER = "home:lang"
ZONE_PICKER = "home:tz"

NEXT_EVENTS = 5
MAX_SUBSCRIPTIONS = 40  # a home view holds at most 100 blocks


def _title(item: ContentItem, language: str, fallback: str) -> str:
    return item.title.get(language) or item.title.get(fallback) or item.slug


def _button(label: str, action: str, *, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label[:75], "emoji": True},
        "action_id": action,
        "value": action,
    }
    if style:
        button["style"] = style
    return button


def _section(text: str, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": text[:MAX_SECTION]},
    }
    if accessory is not None:
        block["accessory"] = accessory
    return block


def _header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label[:75]}, "value": value}


def _settings(app: App, language: str, timezone: str) -> list[dict[str, Any]]:
    """The pickers: reply language, and the time zone reminders are sent in."""

    def t(key: str, **fields: object) -> str:
        return app.catalog.get(f"slack.home.{key}", language, **fields)

    languages = [_option(app.catalog.get("language.name", lang), lang) for lang in LANGUAGES]
    groups = [
        {
            "label": {"type": "plain_text", "text": region},
            "options": [_option(zone.replace("_", " "), zone) for zone in zones],
        }
        for region, zones in zone_groups(timezone).items()
    ]
    current = next(o for o in languages if o["value"] == language)
    zone = _option(timezone.replace("_", " "), timezone)
    hour = app.settings.send_hour
    return [
        _section(f"*{escape(t('settings'))}*"),
        {
            "type": "actions",
            "block_id": "home-settings",
            "elements": [
                {
                    "type": "static_select",
                    "action_id": LANGUAGE_PICKER,
                    "placeholder": {"type": "plain_text", "text": t("language")},
                    "options": languages,
                    "initial_option": current,
                },
                {
                    "type": "static_select",
                    "action_id": ZONE_PICKER,
                    "placeholder": {"type": "plain_text", "text": t("timezone")},
                    "option_groups": groups,
                    "initial_option": zone,
                },
            ],
        },
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": escape(t("settings_note", hour=hour, timezone=timezone))}
            ],
        },
    ]


def home_language(app: App, user: User | None, locale: str | None) -> str:
    """The language of the tab, resolved like a message with no words."""
    resolution = app.core.resolver.resolve(
        "",
        chosen=user.language_choice if user else None,
        hint=locale or (user.locale_hint if user else None),
        previous=user.language if user else None,
    )
    return resolution.language


def _subscription_label(
    sub: Subscription, index: ContentIndex, language: str, app: App
) -> str | None:
    if sub.target_kind == "all_events":
        return app.catalog.get("slack.home.all_events", language)
    if sub.target_kind == "digest":
        return app.catalog.get("slack.home.digest", language)
    item = index.get(sub.target)
    if item is None:
        return None  # removed from the plan: nothing left to show
    return _title(item, language, index.source_language)


def _unsubscribe_action(sub: Subscription) -> str:
    # The subscriptions handler's payloads: unsub:<slug>, unsub:all, unsub:digest.
    if sub.target_kind == "all_events":
        return "unsub:all"
    if sub.target_kind == "digest":
        return "unsub:digest"
    return f"unsub:{sub.target}"


def _subscriptions(
    app: App, subscriptions: list[Subscription], language: str
) -> list[dict[str, Any]]:
    """The member's subscriptions, each with its Unsubscribe button, and what else to follow."""

    def t(key: str) -> str:
        return app.catalog.get(f"slack.home.{key}", language)

    index = app.content.index
    blocks = [_section(f"*{escape(t('subscriptions'))}*")]
    shown = 0
    for sub in subscriptions:
        label = _subscription_label(sub, index, language, app)
        if label is None or shown >= MAX_SUBSCRIPTIONS:
            continue
        shown += 1
        blocks.append(
            _section(f"• {escape(label)}", _button(t("unsubscribe"), _unsubscribe_action(sub)))
        )
    if shown == 0:
        blocks.append(_section(escape(t("no_subscriptions"))))
    kinds = {s.target_kind for s in subscriptions}
    offers = [_button(t("subscribe_pick"), "cmd:subscribe")]
    if "all_events" not in kinds:
        offers.append(_button(t("subscribe_all"), "sub:all"))
    if "digest" not in kinds:
        offers.append(_button(t("subscribe_digest"), "sub:digest"))
    blocks.append({"type": "actions", "elements": offers})
    return blocks


async def build_home(app: App, user_id: str, locale: str | None = None) -> dict[str, Any]:
    """The ``home`` view for the Slack user ``user_id``."""
    async with app.db.read() as session:
        user = await session.scalar(
            select(User).where(User.platform == "slack", User.platform_user_id == user_id)
        )
        subscriptions: list[Subscription] = []
        if user is not None:
            subscriptions = list(
                (
                    await session.scalars(
                        select(Subscription)
                        .where(Subscription.user_id == user.id, Subscription.active.is_(True))
                        .order_by(Subscription.id)
                    )
                ).all()
            )
    language = home_language(app, user, locale)

    def t(key: str, **fields: object) -> str:
        return app.catalog.get(f"slack.home.{key}", language, **fields)

    index = app.content.index
    today = app.clock.today()
    subscribed = {s.target for s in subscriptions if s.target_kind == "item"}
    # The plan in force names the tab; the next events run on into the next plan.
    blocks: list[dict[str, Any]] = [_header(t("title", year=index.in_force(today)))]
    timezone = (user.timezone if user else None) or app.settings.timezone
    blocks.extend(_settings(app, language, timezone))

    blocks.append({"type": "divider"})
    blocks.extend(_subscriptions(app, subscriptions, language))

    blocks.append({"type": "divider"})
    blocks.append(_section(f"*{escape(t('next'))}*"))
    upcoming = [i for i in index.upcoming(today, kinds=("event",))][:NEXT_EVENTS]
    if not upcoming:
        blocks.append(_section(escape(t("no_next"))))
    for item in upcoming:
        when = format_when(item.precision, item.start, item.end, language)
        line = f"*{escape(_title(item, language, index.source_language))}*\n{escape(when)}"
        if item.place:
            line += f" · {escape(item.place)}"
        accessory = None
        if item.plain_slug not in subscribed:
            accessory = _button(t("subscribe"), f"sub:{item.slug}", style="primary")
        blocks.append(_section(line, accessory))
    blocks.append({"type": "actions", "elements": [_button(t("more"), "cmd:next")]})

    blocks.append({"type": "divider"})
    blocks.append(_section(f"*{escape(t('how_title'))}*\n{escape(t('how'))}"))
    blocks.append(
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": escape(t("updated", day=format_day(today, language)))}
            ],
        }
    )
    return {"type": "home", "blocks": blocks}
