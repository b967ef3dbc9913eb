"""One item of the plan, by name, through the real core and the real 2019 plan."""

from __future__ import annotations

from datetime import date

import pytest

from tests.handlers.conftest import actions, at, bullets


@pytest.mark.parametrize(
    ("text", "language", "status"),
    [
        ("tell me about MEGA", "en", "Status: closing in 2019"),
        ("háblame de MEGA", "es", "Estado: se cierra en 2019"),
        ("parle-moi de MEGA", "fr", "Statut : se termine en 2019"),
        ("mega", "en", "Status: closing in 2019"),
        ("what is MEGA?", "en", "Status: closing in 2019"),
    ],
)
async def test_tell_me_about_mega(say, text, language, status) -> None:
    (reply,) = await say(text)
    assert reply.language == language
    assert reply.title == "Metropolis Energy GovernAnce: MEGA" or "MEGA" in reply.title
    assert status in reply.text
    assert "2019" in reply.text.splitlines()[0]  # "Pilot project of the 2019 work plan"
    assert "~sub:mega" in actions(reply)  # a toggle, answered in place
    assert "cmd:projects closing" in actions(reply)


async def test_when_is_the_uclg_congress_in_french(say) -> None:
    (reply,) = await say("quand a lieu le Congrès mondial de CGLU ?")
    assert reply.language == "fr"
    assert reply.title.startswith("Congrès mondial de CGLU")
    assert "Date : novembre 2019" in reply.text
    assert "Organisateur : UCLG" in reply.text
    assert "cmd:events 2019-11" in actions(reply)
    assert "~sub:uclg-congress-2019" in actions(reply)  # events can be followed too


async def test_when_is_the_world_congress_lists_the_candidates(say) -> None:
    (reply,) = await say("¿cuándo es el Congreso Mundial?")
    assert reply.language == "es"
    assert reply.title == "Varias coincidencias"
    found = actions(reply)
    assert "about:uclg-congress-2019" in found
    assert "about:smart-city-expo-2019" in found
    assert "about:world-congress-2020-preparation" in found
    # Each candidate says when it is, which answers the question already.
    assert any(
        line.startswith("noviembre de 2019 — Congreso Mundial de CGLU") for line in bullets(reply)
    )
    (chosen,) = await say(action="about:uclg-congress-2019")
    assert chosen.title.startswith("Congreso Mundial de CGLU")
    assert "Fecha: noviembre de 2019" in chosen.text


async def test_where_is_the_global_forum(say) -> None:
    (reply,) = await say("where is the Global Forum?")
    assert reply.title == "Global Forum in Guangzhou"
    # A "where" question gets the place first.
    assert reply.text.splitlines()[1] == "Place: Guangzhou"
    assert "Date: June 2019" in reply.text


async def test_where_without_a_place_says_the_plan_does_not_say(say) -> None:
    (reply,) = await say("where is the Urban 20 summit?")
    assert "Place: the plan does not say where" in reply.text


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("metro airports", "METROAirports"),
        ("women 4 climate", "Women4Climate Conference 2019"),
        ("Women4Climate", "Women4Climate Conference 2019"),
        ("LGBTI", "Intersectionality in metropolitan LGBTI policies"),
        ("tell me about the EMA forum", "5th European Metropolitan Authorities Forum"),
        ("info on the city managers meeting", "City Managers community annual meeting"),
        ("what is use?", "The platform is renamed"),
        ("GOLD V", "GOLD V Metropolitan Chapter report"),
    ],
)
async def test_names_are_matched_forgivingly(say, text, title) -> None:
    (reply,) = await say(text, hint="en")
    assert reply.title.startswith(title), reply


async def test_dates_of_every_precision(say) -> None:
    (tbc,) = await say("thought leaders", hint="en")
    assert "Date: date to be confirmed" in tbc.text
    assert "Place: Guangzhou" in tbc.text
    (undated,) = await say("GOLD V", hint="en")
    assert "the plan gives it no date" in undated.text
    (day,) = await say("campañas del 8 de marzo")
    assert "Fecha: 8 de marzo de 2019 (ya pasó)" in day.text
    (period,) = await say("tell me about the policy transfer platform", hint="en")
    assert "Date: February–March 2019 (already past)" in period.text


async def test_past_items_say_so(say, plan_app) -> None:
    plan_app.clock.set(at(date(2024, 3, 1)))
    (reply,) = await say("tell me about the Chicago forum")
    assert "Date: June 2019 (already past)" in reply.text
    plan_app.clock.set(at(date(2019, 6, 10)))
    (now,) = await say("tell me about the Chicago forum", user="u2")
    assert "Date: June 2019 (this month)" in now.text
    plan_app.clock.set(at(date(2019, 3, 1)))
    (running,) = await say("tell me about the policy transfer platform", user="u3")
    assert "Date: February–March 2019 (under way)" in running.text


async def test_a_theme_by_name_shows_the_theme_and_its_section(say) -> None:
    (reply,) = await say("tell me about gender")
    assert reply.title == "Gender equality"
    assert "sub:gender-equality" in actions(reply)
    assert "about:gender" in actions(reply)  # see also: the gender mainstreaming section


async def test_about_buttons_and_command(say) -> None:
    (reply,) = await say(action="about:ema-forum-2019", hint="fr")
    assert reply.language == "fr"
    assert reply.title == "5e Forum des European Metropolitan Authorities"
    (gone,) = await say(action="about:no-such-item", hint="en")
    assert "no longer in the work plan" in gone.text
    (command,) = await say("/about mega", hint="en")
    assert "MEGA" in command.title
    (unknown,) = await say("/about quantum teleportation", hint="en")
    assert "can't find anything called" in unknown.text


async def test_unknown_names_fall_back_kindly(say) -> None:
    (reply,) = await say("tell me about the zorblax")
    assert "I didn't understand" in reply.text or "Did you mean" in reply.text


async def test_what_the_bot_cannot_do_is_said_plainly(say) -> None:
    (reply,) = await say("tell me about the weather")
    assert reply.text.startswith("That's outside what I know")
    (vuelo,) = await say("reservame un vuelo a guangzhou", hint="es")
    assert vuelo.language == "es" and vuelo.text.startswith("Eso no lo sé")


async def test_project_subscribe_button_and_theme_buttons(say) -> None:
    (reply,) = await say("integrated water management", hint="en")
    assert reply.title.startswith("Integrated water management")
    assert "starting (subject to budget availability)" in reply.text
    assert "~sub:integrated-water-management" in actions(reply)
    assert "about:climate-change" in actions(reply)


async def test_status_is_always_shown(say) -> None:
    answer, card = await say("is the Chicago Forum cancelled?")
    assert answer.text.startswith("No:")  # a yes/no question is answered yes or no first
    assert "Status: planned" in card.text


async def test_when_prefers_showing_dated_namesakes(say) -> None:
    (reply,) = await say("¿cuándo es el webinar?")
    assert "about:online-courses" in actions(reply)
    assert "about:urban-innovation-webinar" in actions(reply)
    assert any(line.startswith("marzo de 2019") for line in bullets(reply))
