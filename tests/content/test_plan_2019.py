"""The shipped 2019 plan: every line of the work plan, counted per kind, in three languages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from content.plans import read_plan
from content.schema import LANGUAGES, ItemSpec

PLAN_DIR = Path(__file__).resolve().parents[2] / "content" / "plan" / "2019"


@pytest.fixture(scope="module")
def items() -> list[ItemSpec]:
    plan = read_plan(PLAN_DIR)
    assert plan.year == 2019
    assert plan.source_language == "es"
    return list(plan.items)


def _of(items: list[ItemSpec], kind: str) -> list[ItemSpec]:
    return [i for i in items if i.kind == kind]


def test_thirteen_global_events_each_with_its_month(items: list[ItemSpec]) -> None:
    events = _of(items, "event")
    assert len(events) == 13
    assert all(e.when.precision == "month" and e.when.start.year == 2019 for e in events)  # type: ignore[union-attr]
    months = Counter(e.when.start.month for e in events)  # type: ignore[union-attr]
    assert months == {2: 1, 3: 1, 4: 1, 5: 1, 6: 3, 7: 1, 9: 1, 10: 2, 11: 2}


def test_eleven_pilot_projects_by_status(items: list[ItemSpec]) -> None:
    projects = _of(items, "pilot_project")
    assert Counter(p.status for p in projects) == {"closing": 6, "ongoing": 1, "starting": 4}
    for project in projects:
        if project.status == "starting":
            assert "presupuest" in project.description["es"].lower(), project.slug


def test_themes_from_both_lists(items: list[ItemSpec]) -> None:
    themes = _of(items, "theme")
    assert len(themes) == 13
    positioning = [t for t in themes if "global-positioning" in t.lists]
    training = [t for t in themes if "training" in t.lists]
    assert len(positioning) == 8
    assert len(training) == 7
    assert len([t for t in themes if len(t.lists) == 2]) == 2


def test_every_section_has_an_overview(items: list[ItemSpec]) -> None:
    sections = {s.slug for s in _of(items, "section")}
    assert sections == {
        "global-positioning",
        "knowledge-hub",
        "pilot-projects",
        "observatory",
        "training",
        "gender",
        "governance",
        "statutory",
    }
    for section in sections:
        assert any(i.section == section and i.kind != "section" for i in items), section


@pytest.mark.parametrize(
    ("needle", "when"),
    [
        ('"use"', "2019-02/2019-03"),
        ("webinar", "2019-03"),
        ("Guangzhou", "2019-06"),
        ("Guangzhou", "tbc"),
        ("Guangzhou", "2020"),
        ("Indicadores", "2019-06"),
        ("City Managers", "2019-11"),
        ("8 de marzo", "2019-03-08"),
        ("XIII", "2020"),
    ],
)
def test_dated_actions_outside_the_events_table(
    items: list[ItemSpec], needle: str, when: str
) -> None:
    hits = [
        i
        for i in items
        if i.when.raw == when and needle.lower() in (i.title["es"] + i.description["es"]).lower()
    ]
    assert hits, f"no item mentioning {needle!r} dated {when}"


def test_undated_actions_of_every_section(items: list[ItemSpec]) -> None:
    text = " ".join(i.title["es"] + " " + i.description["es"] for i in items).lower()
    for phrase in [
        "gold v",
        "metrópolis africanas",
        "gender keys",
        "estatutos",
        "españa",
        "captación de fondos",
        "tasas",
        "uitp",
        "comunidades de práctica",
        "issue papers",
        "secretarías regionales",
        "comisión financiera",
        "evaluación de impacto",
    ]:
        assert phrase in text, phrase


def test_every_text_in_three_languages_and_names_kept(items: list[ItemSpec]) -> None:
    for item in items:
        for language in LANGUAGES:
            assert item.title[language].strip() and item.description[language].strip()
    by_slug = {i.slug: i for i in items}
    for name in ("MEGA", "METROAirports", "Women4Climate", "Urban 20", "Local2030"):
        carriers = [i for i in by_slug.values() if name in i.title["es"] + i.description["es"]]
        assert carriers, name
        for item in carriers:
            for language in LANGUAGES:
                assert name in item.title[language] + item.description[language], (name, language)
