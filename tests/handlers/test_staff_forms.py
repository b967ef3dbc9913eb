"""Staff forms through the real core: /edit and its form (the same overrides as /setdate &
co, audited, with change notices), the announce form, and /link."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from bot.core.messages import Incoming, Reply
from bot.db.models import Announcement, Delivery, Item
from tests.handlers.test_staff import STAFF_SLACK, _audit, staff_app  # noqa: F401


async def _submit(app: App, user: str, form: str, **values: str) -> list[Reply]:
    fields = tuple((name, value) for name, value in values.items())
    return await app.core.handle(
        Incoming("slack", user, user, action=f"form:{form}", fields=fields, locale_hint="en")
    )


async def _row(app: App, slug: str) -> Item:
    async with app.db.read() as session:
        row = await session.get(Item, slug)
    assert row is not None
    return row


async def test_edit_offers_the_form_with_the_items_values(staff_app: App) -> None:  # noqa: F811
    (reply,) = await staff_app.core.handle(
        Incoming("slack", STAFF_SLACK, STAFF_SLACK, "!edit mega", locale_hint="en")
    )
    assert reply.form == "edit:mega"
    assert dict(reply.fields) == {
        "item": "mega",
        "date": "",
        "place": "",
        "link": "",
        "status": "plan",
    }
    assert "/setdate mega" in reply.text  # where there are no forms, the commands


async def test_the_edit_form_writes_the_overrides_once_with_notices_and_audit(
    staff_app: App,  # noqa: F811
) -> None:
    await staff_app.core.handle(Incoming("telegram", "m1", "m1", action="sub:mega"))
    (done,) = await _submit(
        staff_app,
        STAFF_SLACK,
        "edit",
        item="mega",
        date="2019-06-12",
        place="Barcelona",
        link="",
        status="postponed",
    )
    assert not done.errors and "Notices queued: 1" in done.text
    row = await _row(staff_app, "mega")
    assert row.overrides == {"date": "2019-06-12", "place": "Barcelona", "status": "postponed"}
    item = staff_app.content.index.get("mega")
    assert item is not None and item.place == "Barcelona" and item.status == "postponed"
    async with staff_app.db.read() as session:
        notices = (await session.scalars(select(Delivery))).all()
    assert len(notices) == 1  # one notice for the three changes
    entries = [e for e in await _audit(staff_app) if e.allowed]
    assert [e.action for e in entries] == ["setdate", "setplace", "postpone"]
    assert all(e.detail.get("via") == "form" and e.recipients == 1 for e in entries)
    # The same values again change nothing.
    (same,) = await _submit(
        staff_app,
        STAFF_SLACK,
        "edit",
        item="mega",
        date="2019-06-12",
        place="Barcelona",
        link="",
        status="postponed",
    )
    assert "Nothing changed" in same.text
    # Back to the plan: the overrides are cleared.
    await _submit(staff_app, STAFF_SLACK, "edit", item="mega", date="", place="", status="plan")
    assert (await _row(staff_app, "mega")).overrides == {}


async def test_a_wrong_field_refuses_the_whole_form(staff_app: App) -> None:  # noqa: F811
    (refused,) = await _submit(
        staff_app,
        STAFF_SLACK,
        "edit",
        item="mega",
        date="12/06/2019",
        place="Barcelona",
        link="ftp://example.org",
        status="gone",
    )
    errors = dict(refused.errors)
    assert set(errors) == {"date", "link", "status"}
    assert "YYYY-MM-DD" in errors["date"] and "https://" in errors["link"]
    assert (await _row(staff_app, "mega")).overrides == {}  # nothing written, not even the place
    (unknown,) = await _submit(staff_app, STAFF_SLACK, "edit", item="no-such-item")
    assert dict(unknown.errors).keys() == {"item"}


async def test_a_member_submitting_a_staff_form_is_refused_and_audited(
    staff_app: App,  # noqa: F811
) -> None:
    for form in ("edit", "announce"):
        (refused,) = await _submit(staff_app, "UMEMBER", form, item="mega", place="x", text_en="x")
        assert "reserved for Metropolis staff" in refused.text and not refused.errors
    (refused,) = await staff_app.core.handle(Incoming("slack", "UMEMBER", "UMEMBER", "!edit mega"))
    assert refused.form is None
    entries = await _audit(staff_app)
    assert [(e.action, e.allowed, e.actor) for e in entries] == [
        ("edit", False, "slack:UMEMBER"),
        ("announce", False, "slack:UMEMBER"),
        ("edit", False, "slack:UMEMBER"),
    ]
    assert (await _row(staff_app, "mega")).overrides == {}


async def test_the_announce_form_previews_like_the_command(staff_app: App) -> None:  # noqa: F811
    (usage,) = await staff_app.core.handle(
        Incoming("slack", STAFF_SLACK, STAFF_SLACK, "!announce", locale_hint="en")
    )
    assert usage.form == "announce" and usage.fields == ()
    (usage,) = await staff_app.core.handle(
        Incoming("slack", STAFF_SLACK, STAFF_SLACK, "!announce mega", locale_hint="en")
    )
    assert usage.form == "announce" and usage.fields == (("item", "mega"),)
    (refused,) = await _submit(staff_app, STAFF_SLACK, "announce", item="", text_en=" ")
    assert dict(refused.errors).keys() == {"item", "text_en"}
    (preview,) = await _submit(
        staff_app, STAFF_SLACK, "announce", item="mega", text_es="Sala nueva", text_fr="Salle"
    )
    assert "[es] Sala nueva" in preview.text and "[fr] Salle" in preview.text
    assert preview.buttons[0][0].action.startswith("stf:ann:")
    async with staff_app.db.read() as session:
        drafts = (await session.scalars(select(Announcement))).all()
    assert [(d.target, d.texts) for d in drafts] == [("mega", {"es": "Sala nueva", "fr": "Salle"})]


async def test_link_gives_the_deep_links_of_the_platforms_that_have_them(
    staff_app: App,  # noqa: F811
) -> None:
    async def link(text: str) -> Reply:
        (reply,) = await staff_app.core.handle(
            Incoming("slack", STAFF_SLACK, STAFF_SLACK, text, locale_hint="en")
        )
        return reply

    alone = await link("!link mega")
    assert "/start item_mega" in alone.text and "/start sub_mega" in alone.text
    assert "does not run Telegram" in alone.text
    staff_app.core.attach("telegram", deep_link="https://t.me/metro_bot?start={payload}")
    linked = await link("!link mega")
    urls = [b.url for row in linked.buttons for b in row]
    assert urls == [
        "https://t.me/metro_bot?start=item_mega",
        "https://t.me/metro_bot?start=sub_mega",
    ]
    assert "Telegram" in linked.text and "does not run" not in linked.text
    assert "Usage" in (await link("!link")).text
    assert "can't find" in (await link("!link nothing-here")).text
    entries = [e.action for e in await _audit(staff_app)]
    assert entries.count("link") == 2
