"""Themes, theme lists and sections, through the real core and the real 2019 plan."""

from __future__ import annotations

import pytest

from tests.handlers.conftest import actions, bullets


@pytest.mark.parametrize(
    ("text", "language", "title"),
    [
        ("themes", "en", "Themes of the 2019 work plan"),
        ("temas", "es", "Temas del plan de trabajo 2019"),
        ("thèmes", "fr", "Thèmes du plan de travail 2019"),
        ("/themes", "en", "Themes of the 2019 work plan"),
        ("¿cuáles son los temas principales?", "es", "Temas del plan de trabajo 2019"),
    ],
)
async def test_both_theme_lists(say, text, language, title) -> None:
    (reply,) = await say(text, hint="en" if text.startswith("/") else None)
    assert reply.language == language
    assert reply.title == title
    assert len(bullets(reply)) == 15  # 8 + 7, two themes in both lists
    assert len({a for a in actions(reply) if a.startswith("about:")}) == 13


@pytest.mark.parametrize(
    ("text", "language", "count"),
    [
        ("training themes", "en", 7),
        ("temas de formación", "es", 7),
        ("thèmes de la formation", "fr", 7),
        ("global positioning themes", "en", 8),
        ("temas de posicionamiento global", "es", 8),
        ("/themes training", "en", 7),
    ],
)
async def test_one_theme_list(say, text, language, count) -> None:
    (reply,) = await say(text, hint="en" if text.startswith("/") else None)
    assert reply.language == language
    assert len(bullets(reply)) == count


@pytest.mark.parametrize(
    ("text", "language", "title", "slug"),
    [
        ("what about gender?", "en", "Gender equality", "gender-equality"),
        ("¿qué hay sobre movilidad?", "es", "Movilidad", "mobility"),
        ("tout sur le climat", "fr", "Changement climatique", "climate-change"),
        ("et le logement ?", "fr", "Logement convenable", "adequate-housing"),
        ("Que fait Metropolis pour le climat ?", "fr", "Changement climatique", "climate-change"),
        ("mobility", "en", "Mobility", "mobility"),
        ("/themes migration", "en", "Migration", "migration"),
    ],
)
async def test_what_relates_to_a_theme(say, plan_app, text, language, title, slug) -> None:
    (reply,) = await say(text, hint="en" if text.startswith("/") else None)
    assert reply.language == language
    assert reply.title == title
    assert f"sub:{slug}" in actions(reply)
    tagged = [
        i for i in plan_app.content.index.about_theme(slug) if i.kind not in ("theme", "section")
    ]
    shown = len(bullets(reply))
    assert shown == len(tagged) or (
        shown == 10 and any(a.startswith("~more:th:") for a in actions(reply))
    )


async def test_theme_lists_continue_with_more(say, plan_app) -> None:
    (reply,) = await say("what about gender?")
    tagged = [
        i
        for i in plan_app.content.index.about_theme("gender-equality")
        if i.kind not in ("theme", "section")
    ]
    more = [a for a in actions(reply) if a.startswith("~more:")]
    if len(tagged) <= 12:
        assert not more and len(bullets(reply)) == len(tagged)
        return
    assert more == ["~more:th:gender-equality:10"]
    (rest,) = await say(action=more[0])
    assert len(bullets(reply)) + len(bullets(rest)) == len(tagged)
    assert "(continued)" in rest.title
    # Dated items come first, in time order.
    assert bullets(reply)[0].startswith("February 2019 — Women4Climate")


@pytest.mark.parametrize("text", ["/sections", "what are the sections of the plan?", "secciones"])
async def test_sections_overview(say, text) -> None:
    (reply,) = await say(text, hint="en")
    assert reply.title.startswith(("Sections of the 2019", "Secciones del plan de trabajo 2019"))
    assert len(bullets(reply)) == 8
    for slug in ("gender", "governance", "knowledge-hub", "observatory", "statutory", "training"):
        assert f"about:{slug}" in actions(reply)


@pytest.mark.parametrize(
    ("text", "slug", "title"),
    [
        ("knowledge hub", "knowledge-hub", "Knowledge hub"),
        ("observatory", "observatory", "Knowledge dissemination"),
        ("statutory meetings", "statutory", "Statutory meetings"),
        ("training", "training", "Training and capacity building"),
        ("governance section", "governance", "Internal governance culture"),
        ("gender section", "gender", "Gender mainstreaming"),
        ("sección de gobernanza", "governance", "Cultura de gobernanza interna"),
    ],
)
async def test_a_section_with_its_items(say, plan_app, text, slug, title) -> None:
    (reply,) = await say(text)
    assert reply.title.startswith(title)
    members = [
        i for i in plan_app.content.index.items.values() if i.section == slug and i.slug != slug
        and i.kind != "theme"
    ]  # fmt: skip
    assert len(bullets(reply)) == min(len(members), len(members) if len(members) <= 12 else 10)


async def test_long_sections_page_with_more(say, plan_app) -> None:
    (reply,) = await say(action="about:global-positioning", hint="es")
    more = [a for a in actions(reply) if a.startswith("~more:")]
    assert more == ["~more:se:global-positioning:10"]
    (rest,) = await say(action=more[0], hint="es")
    assert rest.title.endswith("(continuación)")
    members = [
        i for i in plan_app.content.index.items.values()
        if i.section == "global-positioning" and i.kind not in ("section", "theme")
    ]  # fmt: skip
    assert len(bullets(reply)) + len(bullets(rest)) == len(members)
    (gone,) = await say(action="more:se:no-such-section:10", hint="es")
    assert "ya no está disponible" in gone.text


async def test_pilot_projects_section_links_to_projects(say) -> None:
    (reply,) = await say(action="about:pilot-projects", hint="en")
    assert "cmd:projects" in actions(reply)
    assert any("— closing in 2019" in line for line in bullets(reply))


async def test_a_bare_theme_word_offers_the_section_too(say) -> None:
    (reply,) = await say("governance")
    assert reply.title == "Metropolitan governance"
    assert "about:governance" in actions(reply)  # see also: internal governance section
