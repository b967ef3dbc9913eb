"""Questions across plan years, with the shipped 2019 plan and the synthetic 2020 plan: a
month without a year is the plan in force's, every reply names the year, what's next runs
on into the next plan, a named year selects that plan, and an item that several plans hold
answers for the plan in force and offers the others."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tests.handlers.conftest import actions, bullets
from tests.years.conftest import Say


async def test_whats_next_in_late_december_reaches_into_the_next_plan(
    say: Say, set_today: Callable[[date], None]
) -> None:
    set_today(date(2019, 12, 20))
    (reply,) = await say("what's next?")
    lines = bullets(reply)
    assert any("Synthetic January workshop 2020" in line for line in lines), lines
    assert "2020" in (reply.title or "")
    # The 2020 items come after what is left of 2019, in date order.
    assert lines.index(next(x for x in lines if "January workshop" in x)) < len(lines)


async def test_events_in_june_on_1_may_2020_answer_from_2020_and_name_it(say: Say) -> None:
    (reply,) = await say("events in June")
    assert reply.title == "Events and actions: June 2020"
    assert "According to the 2020 work plan:" in reply.text
    assert bullets(reply) == ["Synthetic June forum 2020 (Testville)",
                              "16 June 2020 — Synthetic June summit 2020"]  # fmt: skip
    # The same month of the other plan is a button away.
    assert "cmd:events 2019-06" in actions(reply)


async def test_june_2019_still_answers_from_2019(say: Say) -> None:
    (reply,) = await say("events in June 2019")
    assert reply.title == "Events and actions: June 2019"
    assert "According to the 2019 work plan:" in reply.text
    assert "Global Forum in Guangzhou" in bullets(reply)
    assert not any("Synthetic" in line for line in bullets(reply))
    assert "cmd:events 2020-06" in actions(reply)


async def test_a_month_without_a_year_in_december_2019_is_the_2019_plans(
    say: Say, set_today: Callable[[date], None]
) -> None:
    set_today(date(2019, 12, 20))
    (reply,) = await say("eventos de junio")
    assert reply.title == "Eventos y acciones: junio de 2019"
    assert "Según el plan de trabajo 2019:" in reply.text
    assert "cmd:events 2020-06" in actions(reply)


async def test_named_years_select_their_plan(say: Say) -> None:
    (in_2019,) = await say("¿qué eventos hay en 2019?", hint="es")
    assert "Según el plan de trabajo 2019:" in in_2019.text
    (en_2020,) = await say("les événements en 2020", hint="fr")
    assert "D'après le plan de travail 2020 :" in en_2020.text or "plans de travail" in en_2020.text
    assert any("Synthetic" in line or "synthétique" in line for line in bullets(en_2020))
    (last_year,) = await say("l'an dernier, quels événements ?", hint="fr")
    assert "2019" in (last_year.title or "")
    (last,) = await say("events last year")
    assert "2019" in (last.title or "")


async def test_a_period_across_two_plans_names_both(
    say: Say, set_today: Callable[[date], None]
) -> None:
    set_today(date(2019, 10, 2))
    (reply,) = await say("events from November to January")
    assert reply.title == "Events and actions: November 2019–January 2020"
    assert "According to the 2019 and 2020 work plans:" in reply.text
    lines = bullets(reply)
    assert any("UCLG" in line for line in lines) and any("January workshop" in x for x in lines)


async def test_the_board_meeting_answers_for_the_plan_in_force_and_offers_the_other(
    say: Say, set_today: Callable[[date], None]
) -> None:
    (now,) = await say("tell me about the board meeting")
    assert now.title == "Board of Directors meeting (test 2020)"
    assert "Action of the 2020 work plan" in now.text
    assert "about:board-meeting-2019" in actions(now)
    assert any("2019 plan" in b.label for row in now.buttons for b in row)

    set_today(date(2019, 6, 1))
    (then,) = await say("tell me about the board meeting", user="u2")
    assert then.title == "Metropolis Board of Directors meeting 2019"
    assert "about:board-meeting-2020" in actions(then)

    (named,) = await say("the 2020 board meeting", user="u3")
    assert named.title == "Board of Directors meeting (test 2020)"


async def test_a_recurring_section_and_theme_answer_for_the_plan_in_force(say: Say) -> None:
    (section,) = await say("statutory meetings")
    assert "Section of the 2020 work plan" in section.text
    assert "about:statutory" in actions(section)  # the 2019 section, offered
    assert any("Board of Directors meeting (test 2020)" in line for line in bullets(section))

    (theme,) = await say("what about mobility?")
    assert "Theme of the 2020 work plan" in theme.text
    assert all("2019" not in line for line in bullets(theme))
    assert "about:mobility" in actions(theme)
    (older,) = await say(action="about:mobility")
    assert "Theme of the 2019 work plan" in older.text
    assert "about:mobility@2020" in actions(older)


async def test_lists_of_the_plan_are_the_plan_in_force_unless_a_year_is_named(say: Say) -> None:
    (now,) = await say("pilot projects")
    assert now.title == "Pilot projects of the 2020 work plan"
    assert bullets(now) == ["Synthetic pilot project 2020"]
    (then,) = await say("pilot projects of the 2019 plan")
    assert then.title == "Pilot projects of the 2019 work plan"
    assert "Metropolis Energy GovernAnce: MEGA" in bullets(then)
    (themes,) = await say("themes")
    assert themes.title == "Themes of the 2020 work plan"
    (sections,) = await say("/sections")
    assert sections.title == "Sections of the 2020 work plan"


async def test_an_item_of_another_plan_is_still_found_and_named_with_its_year(say: Say) -> None:
    (mega,) = await say("tell me about MEGA")
    assert "Pilot project of the 2019 work plan" in mega.text
    assert "closing in 2019" in mega.text


async def test_before_any_plan_and_after_every_plan(
    say: Say, set_today: Callable[[date], None]
) -> None:
    set_today(date(2021, 3, 1))
    (over,) = await say("what's next")
    assert over.title == "The 2020 work plan is over"
    (june,) = await say("events in June", user="u2")
    assert june.title == "Events and actions: June 2020"  # the latest plan, named
    set_today(date(2018, 6, 1))
    (before,) = await say("what's next", user="u3")
    assert "The 2019 work plan has not started yet" in before.text


async def test_the_overview_is_the_plan_in_force_with_the_other_plans_a_button_away(
    say: Say,
) -> None:
    (reply,) = await say("/events")
    assert reply.title == "The 2020 work plan, month by month"
    assert "cmd:events 2019" in actions(reply)
