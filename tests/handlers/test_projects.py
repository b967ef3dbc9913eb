"""Pilot projects by status and topic, through the real core and the real 2019 plan."""

from __future__ import annotations

import pytest

from tests.handlers.conftest import actions, bullets

STARTING_ES = {
    "Cooperación entre Laboratorios de Innovación Públicos para aumentar la participación "
    "ciudadana y la cocreación de servicios",
    "Gestión integral del agua para la adaptación al cambio climático en las metrópolis",
    "Democracia participativa en el marco de la nueva gobernanza para un desarrollo humano, "
    "sostenible e inclusivo",
    "Diálogo entre ciudades: Urbanismo Táctico y Participación Ciudadana",
}


async def test_which_pilot_projects_start(say, plan_app) -> None:
    (reply,) = await say("¿qué proyectos piloto empiezan?")
    assert reply.language == "es"
    assert reply.title == "Proyectos piloto que empiezan en 2019"
    assert set(bullets(reply)) == STARTING_ES
    assert "sujetos a disponibilidad presupuestaria" in reply.text
    starting = [
        p for p in plan_app.content.index.of_kind("pilot_project") if p.status == "starting"
    ]
    assert len(starting) == 4
    assert {f"about:{p.slug}" for p in starting} <= set(actions(reply))


async def test_all_pilot_projects_grouped_by_status(say) -> None:
    (reply,) = await say("/projects", hint="en")
    assert reply.title == "Pilot projects of the 2019 work plan"
    assert len(bullets(reply)) == 11
    assert "Closing in 2019 (6):" in reply.text
    assert "Ongoing (1):" in reply.text
    assert "Starting (4), subject to budget availability:" in reply.text
    assert "A single event will present their conclusions" in reply.text
    assert "about:pilot-conclusions-event" in actions(reply)
    assert actions(reply)[:3] == [
        "~cmd:projects closing",
        "~cmd:projects ongoing",
        "~cmd:projects starting",
    ]


@pytest.mark.parametrize(
    ("text", "language", "count"),
    [
        ("which pilot projects are closing?", "en", 6),
        ("projects ending in 2019", "en", 6),
        ("proyectos que terminan", "es", 6),
        ("proyectos piloto que se cierran", "es", 6),
        ("projets qui se terminent", "fr", 6),
        ("cuéntame de los proyectos que terminan", "es", 6),
        ("pilot projects in progress", "en", 1),
        ("ongoing projects", "en", 1),
        ("proyectos en marcha", "es", 1),
        ("¿qué proyectos piloto siguen en marcha?", "es", 1),
        ("projets pilotes en cours", "fr", 1),
        ("new pilot projects", "en", 4),
        ("which projects are starting?", "en", 4),
        ("nuevos proyectos piloto", "es", 4),
        ("quels projets pilotes commencent ?", "fr", 4),
        ("nouveaux projets pilotes", "fr", 4),
        ("/projects closing", "en", 6),
        ("/projects starting", "en", 4),
        ("/projects ongoing", "en", 1),
    ],
)
async def test_projects_by_status(say, text, language, count) -> None:
    (reply,) = await say(text, hint=language if text.startswith("/") else None)
    assert reply.language == language
    assert len(bullets(reply)) == count, reply.text


async def test_closing_projects_mention_the_conclusions_event(say) -> None:
    (reply,) = await say("projects closing", hint="en")
    assert "A single event will present their conclusions" in reply.text
    assert "METROAirports: socio-economic impact and uses of new-generation airports" in bullets(
        reply
    )


@pytest.mark.parametrize(
    ("text", "language", "slugs"),
    [
        ("mobility projects", "en", {"metroairports", "metropolis-in-motion"}),
        ("proyectos de movilidad", "es", {"metroairports", "metropolis-in-motion"}),
        ("climate projects", "en", {"surplus-food-network", "sustainable-cities-collaboratory",
                                    "mega", "integrated-water-management"}),
    ],
)  # fmt: skip
async def test_projects_by_theme(say, text, language, slugs) -> None:
    (reply,) = await say(text)
    assert reply.language == language
    assert {a.removeprefix("about:") for a in actions(reply) if a.startswith("about:")} >= slugs
    assert len(bullets(reply)) >= len(slugs)


@pytest.mark.parametrize(
    ("text", "language", "slug"),
    [
        ("projects about water", "en", "integrated-water-management"),
        ("proyectos de agua", "es", "integrated-water-management"),
        ("projets sur l'eau", "fr", "integrated-water-management"),
        ("LGBTI projects", "en", "lgbti-intersectionality"),
        ("proyectos de energía", "es", "mega"),
    ],
)
async def test_one_project_by_keyword_shows_it(say, text, language, slug) -> None:
    intro, detail = await say(text)
    assert intro.language == detail.language == language
    assert f"~sub:{slug}" in actions(detail)


async def test_the_topic_is_said_back_as_written(say) -> None:
    intro, _ = await say("projets sur l'énergie")
    assert "« énergie »" in intro.text
    water, _ = await say("Y a-t-il des projets sur l'eau ?")
    assert "« eau »" in water.text
    (listing,) = await say("proyectos de movilidad")
    assert listing.title == "Proyectos piloto: Movilidad"  # the theme, by its name


async def test_a_topic_no_project_covers(say) -> None:
    none, listing = await say("proyectos de vivienda")
    assert "Ningún proyecto piloto" in none.text and "vivienda" in none.text.lower()
    assert len(bullets(listing)) == 11


async def test_the_conclusions_event(say) -> None:
    (reply,) = await say("evento de conclusiones de los proyectos piloto")
    assert reply.language == "es"
    assert "conclusiones" in reply.title.lower()
    assert "Fecha: 2019" in reply.text


async def test_a_project_by_name_is_about_it(say) -> None:
    (reply,) = await say("tell me about the MEGA project")
    assert "MEGA" in reply.title and "~sub:mega" in actions(reply)
    (metro,) = await say("háblame del proyecto METROAirports")
    assert metro.language == "es" and metro.title.startswith("METROAirports")
