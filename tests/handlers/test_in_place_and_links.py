"""Replies that update the message they came from, notices, link buttons, deep links, group
administrators and the platform's time zone, through the real core."""

from __future__ import annotations

from bot.app import App
from bot.core.messages import Incoming, Reply
from bot.db.models import Item
from tests.handlers.conftest import actions, bullets


def urls(reply: Reply) -> list[str]:
    return [b.url for row in reply.buttons for b in row if b.url]


async def test_a_cards_subscribe_button_toggles_in_place(say, plan_app: App) -> None:
    (card,) = await say("tell me about MEGA")
    assert "~sub:mega" in actions(card) and not card.edit
    (pressed,) = await say(action="~sub:mega")
    assert pressed.edit and pressed.title == card.title and pressed.text == card.text
    assert pressed.notice == "Subscribed to Metropolis Energy GovernAnce: MEGA"
    labels = [b.label for row in pressed.buttons for b in row]
    assert "✓ Subscribed · Unsubscribe" in labels and "~unsub:mega" in actions(pressed)
    assert "~sub:mega" not in actions(pressed)
    (back,) = await say(action="~unsub:mega")
    assert back.edit and "~sub:mega" in actions(back)
    assert back.notice == "Unsubscribed from Metropolis Energy GovernAnce: MEGA"
    # "undo" still knows what the last press did.
    (undone,) = await say("undo")
    assert "Undone" in undone.text


async def test_old_subscribe_buttons_still_answer_with_a_new_message(say) -> None:
    (reply,) = await say(action="sub:mega")
    assert not reply.edit and "subscribed to" in reply.text


async def test_pages_replace_each_other_with_a_way_back(say) -> None:
    (first,) = await say("what's next")
    more = next(a for a in actions(first) if a.startswith("~more:"))
    (second,) = await say(action=more)
    assert second.edit
    back = [a for a in actions(second) if a.startswith("~more:")]
    assert back == ["~more:nx::0"]
    (again,) = await say(action=back[0])
    assert again.edit and bullets(again) == bullets(first)


async def test_filters_and_periods_are_answered_in_place(say) -> None:
    (projects,) = await say("/projects")
    assert "~cmd:projects closing" in actions(projects)
    (closing,) = await say(action="~cmd:projects closing")
    assert closing.edit and "~cmd:projects" in actions(closing)
    (june,) = await say("/events june")
    (july,) = await say(action="~cmd:events 2019-07")
    assert july.edit and not june.edit and "July 2019" in (july.title or "")
    (menu,) = await say(action="cmd:next")  # a menu button opens a new message
    assert not menu.edit


async def test_link_buttons_for_the_items_site_and_the_personal_feed(say, plan_app: App) -> None:
    async with plan_app.db.write() as session:  # as /setlink writes it
        row = await session.get(Item, "mega")
        assert row is not None
        row.overrides = {"link": "https://example.org/mega"}
        row.sequence += 1
    await plan_app.content.refresh()
    (card,) = await say(action="about:mega")
    assert urls(card) == ["https://example.org/mega"]
    (calendar,) = await say("/calendar")
    (feed,) = urls(calendar)
    assert feed.startswith(plan_app.settings.public_base_url + "/calendar/")
    assert feed in calendar.text


async def test_deep_links_answer_each_kind(say) -> None:
    (card,) = await say("/start item_mega")
    assert card.title and "MEGA" in card.title
    (done,) = await say("/start sub_mega", user="u2", hint="en")
    assert "subscribed to Metropolis Energy GovernAnce" in done.text
    (june,) = await say("/start month_2019-06", user="u3")
    assert june.title == "Events and actions: June 2019"
    (welcome,) = await say("/start lang_fr", hint="en", user="u4")
    assert welcome.language == "fr" and welcome.title
    (later,) = await say("what's next", hint="en", user="u4")
    assert later.language == "fr"  # the link's language is the member's choice
    (plain,) = await say("/start", user="u5")
    for bad in ("item_nothing", "month_2019-13", "lang_de", "garbage!"):
        (reply,) = await say(f"/start {bad}", user="u5")
        assert (reply.title, reply.text) == (plain.title, plain.text), bad


class _Roles:
    def __init__(self, admins: set[str], *, fail: bool = False) -> None:
        self.admins = admins
        self.fail = fail
        self.asked: list[tuple[str, str]] = []

    async def is_admin(self, chat_id: str, user_id: str) -> bool:
        self.asked.append((chat_id, user_id))
        if self.fail:
            raise RuntimeError("no answer")
        return user_id in self.admins


async def _group(app: App, user: str, text: str = "", action: str | None = None) -> list[Reply]:
    return await app.core.handle(
        Incoming("telegram", user, "-100777", text=text, action=action, is_group=True)
    )


async def test_only_group_admins_change_the_groups_subscriptions(plan_app: App) -> None:
    roles = _Roles({"boss"})
    plan_app.core.attach("telegram", group_roles=roles)
    (refused,) = await _group(plan_app, "member", "/subscribe MEGA")
    assert "Only the group's administrators" in refused.text
    (refused,) = await _group(plan_app, "member", action="unsub:mega")
    assert "Only the group's administrators" in refused.text
    (done,) = await _group(plan_app, "boss", "/subscribe MEGA")
    assert "subscribed to" in done.text
    assert roles.asked == [("-100777", "member")] * 2 + [("-100777", "boss")]
    # Private chats are never asked about; a platform that cannot tell refuses.
    private = Incoming("telegram", "member", "member", "/subscribe MEGA")
    (mine,) = await plan_app.core.handle(private)
    assert "subscribed to" in mine.text and len(roles.asked) == 3
    plan_app.core.attach("telegram", group_roles=_Roles(set(), fail=True))
    (unsure,) = await _group(plan_app, "boss", "/unsubscribe MEGA")
    assert "Only the group's administrators" in unsure.text


async def test_changes_are_told_to_the_platform(plan_app: App) -> None:
    changed: list[str] = []
    plan_app.core.attach("slack", changed=changed.append)

    async def send(text: str = "", action: str | None = None) -> None:
        await plan_app.core.handle(Incoming("slack", "U1", "U1", text=text, action=action))

    await send("what's next")
    assert changed == []
    await send(action="sub:mega")
    assert changed == ["U1"]
    await send(action="sub:mega")  # already: nothing changed
    await send("undo")  # … so nothing to take back
    assert changed == ["U1"]
    await send("/language fr")
    await send("/timezone Europe/Paris")
    assert changed == ["U1"] * 3
    await send(action="unsub:mega")
    await send("undo")
    assert changed == ["U1"] * 5


async def test_the_platforms_time_zone_until_the_member_chooses(plan_app: App) -> None:
    async def send(text: str, tz: str | None) -> str | None:
        await plan_app.core.handle(Incoming("slack", "U9", "U9", text=text, timezone_hint=tz))
        user = plan_app.core.users.get("slack", "U9")
        assert user is not None
        return user.timezone

    assert await send("hello", "America/Bogota") == "America/Bogota"
    assert await send("hello", "Asia/Tokyo") == "America/Bogota"  # set once, from the first
    assert await send("/timezone Europe/Paris", "Asia/Tokyo") == "Europe/Paris"
    assert await send("hello", "Asia/Tokyo") == "Europe/Paris"  # a choice always wins
    await plan_app.core.handle(Incoming("slack", "U8", "U8", text="hi", timezone_hint="Mars/Base"))
    assert plan_app.core.users.get("slack", "U8").timezone is None  # type: ignore[union-attr]
