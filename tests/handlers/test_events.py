"""What's next and what happens in a period, through the real core and the real 2019 plan."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import update

from bot.db.models import Item
from tests.handlers.conftest import actions, at, bullets

JUNE_EN = {
    "5th European Metropolitan Authorities Forum",
    "International conference of the World Observatory on Subnational Government Finance "
    "and Investment",
    "Chicago Forum on Global Cities 2019",
    "Global Forum in Guangzhou",
    "Presentation of the Metropolitan Indicators System",
}


def _titles(lines: list[str]) -> set[str]:
    # "June 2019 — Title (Organiser, Place)" → "Title (Organiser, Place)"
    return {line.split(" — ", 1)[-1] if " — " in line else line for line in lines}


async def test_whats_next_in_june_lists_the_june_items(say, plan_app) -> None:
    (reply,) = await say("what's next in June")
    assert reply.language == "en"
    assert "June 2019" in reply.title
    assert _titles(bullets(reply)) == JUNE_EN
    # Events and dated actions both count.
    expected = {
        i.slug
        for i in plan_app.content.index.dated()
        if i.precision == "month" and i.start == date(2019, 6, 1)
    }
    assert len(expected) == len(bullets(reply)) == 5
    assert "~cmd:events 2019-05" in actions(reply) and "~cmd:events 2019-07" in actions(reply)


@pytest.mark.parametrize(
    ("text", "language", "title"),
    [
        ("quoi de prévu en juin ?", "fr", "juin 2019"),
        ("¿qué hay en junio?", "es", "junio de 2019"),
        ("what happens in June", "en", "June 2019"),
        ("eventos de junio", "es", "junio de 2019"),
        ("juin", "fr", "juin 2019"),
        ("/events june", "en", "June 2019"),
        ("/events 2019-06", "en", "June 2019"),
    ],
)
async def test_june_in_three_languages(say, text, language, title) -> None:
    (reply,) = await say(text, hint=language if text.startswith("/") else None)
    assert reply.language == language
    assert title in reply.title
    assert len(bullets(reply)) == 5
    assert "2019" in reply.text  # the plan's year is named


async def test_november_in_spanish(say) -> None:
    (reply,) = await say("eventos de noviembre")
    assert reply.language == "es"
    assert reply.title == "Eventos y acciones: noviembre de 2019"
    assert _titles(bullets(reply)) == {
        "Congreso Mundial de CGLU y Cumbre de Gobiernos Locales y Regionales (UCLG)",
        "Congreso Mundial Smart City Expo Barcelona",
        "Reunión anual de la Comunidad City Managers (digitalización)",
    }
    assert actions(reply)[:2] == ["~cmd:events 2019-10", "~cmd:events 2019-12"]
    assert reply.buttons[0][0].label == "◀ octubre de 2019"


async def test_month_buttons_navigate(say) -> None:
    (july,) = await say(action="cmd:events 2019-07")
    assert "July 2019" in july.title
    assert len(bullets(july)) == 1 and "HLPF 2019" in bullets(july)[0]
    (august,) = await say(action="cmd:events 2019-08")
    assert "nothing dated" in august.text and "August 2019" in august.text
    assert "~cmd:events 2019-09" in actions(august)


async def test_whats_next_from_today_with_more_button(say, plan_app) -> None:
    (reply,) = await say("what's next")
    assert reply.title == "What's next in the 2019 work plan"
    assert "From today, 20 May 2019" in reply.text
    lines = bullets(reply)
    assert lines[0] == "May 2019 — 2nd Urban 20 Mayors Summit"
    assert len(lines) == 10
    upcoming = plan_app.content.index.upcoming(date(2019, 5, 20))
    more = [a for a in actions(reply) if a.startswith("~more:")]
    assert more == ["~more:nx::10"]
    (rest,) = await say(action=more[0])
    assert "(continued)" in rest.title
    assert len(lines) + len(bullets(rest)) == len(upcoming) == 15
    # The last page has no "more", and a button back (pages replace each other in place).
    assert [a for a in actions(rest) if a.startswith("~more:")] == ["~more:nx::0"]
    # Undated items of the year and those still to be dated close the list.
    assert "During 2019, with no precise date" in rest.text
    assert "Date to be confirmed: Thought leaders in Guangzhou" in rest.text


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("/next", "en"),
        ("what's next", "en"),
        ("upcoming events", "en"),
        ("próximos eventos", "es"),
        ("¿qué viene ahora?", "es"),
        ("à venir", "fr"),
        ("quoi de prévu ?", "fr"),
        ("prochains événements", "fr"),
    ],
)
async def test_whats_next_in_every_language(say, text, language) -> None:
    (reply,) = await say(text, hint="en" if text.startswith("/") else None)
    assert reply.language == language
    assert "2019" in reply.title
    assert len(bullets(reply)) == 10


async def test_after_the_plan_says_it_is_over(say, plan_app) -> None:
    plan_app.clock.set(at(date(2024, 3, 1)))
    (reply,) = await say("próximos eventos")
    assert reply.title == "El plan de trabajo 2019 ya terminó"
    assert "1 de marzo de 2024" in reply.text and "diciembre de 2019" in reply.text
    lines = bullets(reply)
    assert len(lines) == 5
    assert lines[-1].startswith("noviembre de 2019")
    (en,) = await say("what's next", user="u2")
    assert en.title == "The 2019 work plan is over"


async def test_late_in_the_plan_only_next_years_items_remain(say, plan_app) -> None:
    plan_app.clock.set(at(date(2019, 12, 10)))
    (reply,) = await say("à venir")
    assert reply.language == "fr"
    assert [line.split(" — ")[0] for line in bullets(reply)] == ["2020", "2020"]
    assert "En 2019, sans date précise" in reply.text


async def test_before_the_plan_everything_is_next(say, plan_app) -> None:
    plan_app.clock.set(at(date(2018, 12, 1)))
    (reply,) = await say("what's next")
    assert "has not started yet" in reply.text
    assert bullets(reply)[0].startswith("February 2019")


async def test_relative_periods_follow_the_clock(say, plan_app) -> None:
    (reply,) = await say("this month")
    assert reply.title == "Events and actions: this month (May 2019)"
    assert len(bullets(reply)) == 1
    plan_app.clock.set(at(date(2024, 3, 1)))
    (later,) = await say("this month")
    assert "nothing for this month (March 2024)" in later.text
    assert actions(later)[0] == "cmd:events 2019-03"


async def test_periods_of_all_kinds(say) -> None:
    (quarter,) = await say("third quarter")
    assert "third quarter of 2019" in quarter.title
    assert len(bullets(quarter)) == 2  # HLPF (July), HLPF/Local2030 (September)
    (range_,) = await say("de junio a septiembre")
    assert range_.title == "Eventos y acciones: junio–septiembre de 2019"
    assert len(bullets(range_)) == 7
    (day,) = await say("8 de marzo")
    assert any("8 de marzo" in line for line in bullets(day))
    (week,) = await say("la semaine prochaine")
    assert week.language == "fr" and "27 mai–2 juin 2019" in week.title


async def test_a_whole_year_lists_more_than_a_page(say) -> None:
    (reply,) = await say("events in 2019")
    assert any(a.startswith("~more:ev:2019:") for a in actions(reply))
    (nothing,) = await say("events in 2021")
    assert "nothing" in nothing.text
    (next_year,) = await say("/events 2020", hint="en")
    assert len(bullets(next_year)) == 2  # the Guangzhou Award and the World Congress work


async def test_overview_by_month(say, plan_app) -> None:
    (reply,) = await say("/events", hint="en")
    assert reply.title == "The 2019 work plan, month by month"
    month_buttons = [a for a in actions(reply) if a.startswith("cmd:events 2019-")]
    assert "cmd:events 2019-06" in month_buttons and "cmd:events 2019-08" not in month_buttons
    assert "• June 2019: 5" in reply.text


async def test_theme_filter(say, plan_app) -> None:
    plan_app.clock.set(at(date(2019, 1, 15)))
    (reply,) = await say("upcoming events about gender")
    assert "Only what relates to “Gender equality”" in reply.text
    lines = bullets(reply)
    assert lines == [
        "February 2019 — Women4Climate Conference 2019 (C40)",
        "8 March 2019 — Joining international campaigns (especially 8 March)",
    ]
    plan_app.clock.set(at(date(2019, 5, 20)))
    (later,) = await say("upcoming events about gender")
    assert "Nothing about “Gender equality” is left" in later.text
    assert "about:gender-equality" in actions(later)
    (es,) = await say("próximos eventos de movilidad")
    assert es.language == "es" and "Movilidad" in es.text


async def test_organiser_and_place_are_shown(say) -> None:
    (feb,) = await say("/events 2019-02", hint="en")
    assert "1. Women4Climate Conference 2019 (C40)" in feb.text
    (june,) = await say("/events 2019-06", hint="en")
    assert "1. Chicago Forum on Global Cities 2019" in june.text  # place already in the title
    (nov,) = await say("/events 2019-11", hint="es")
    assert "Congreso Mundial de CGLU y Cumbre de Gobiernos Locales y Regionales (UCLG)" in nov.text


async def test_a_cancelled_item_says_so(say, plan_app) -> None:
    async with plan_app.db.write() as session:
        await session.execute(
            update(Item)
            .where(Item.slug == "chicago-forum-2019")
            .values(overrides={"status": "cancelled"})
        )
    await plan_app.content.refresh()
    (june,) = await say("/events 2019-06", hint="en")
    assert "Chicago Forum on Global Cities 2019 — cancelled" in june.text


async def test_unknown_period_argument(say) -> None:
    (reply,) = await say("/events sometime", hint="en")
    assert "couldn't read a month" in reply.text
    (stale,) = await say(action="more:zz:x:10")
    assert "no longer available" in stale.text
    (bad,) = await say(action="more:ev:2019-13:10")
    assert "no longer available" in bad.text


async def test_past_periods_are_flagged(say, plan_app) -> None:
    plan_app.clock.set(at(date(2024, 3, 1)))
    (reply,) = await say("what happens in June")
    assert "June 2019" in reply.title
    assert "this period is in the past" in reply.text
