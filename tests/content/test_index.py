"""The in-memory index: forgiving name search, periods, upcoming items, keywords."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.core.content_store import ContentStore
from bot.db.engine import Database
from content.index import ContentIndex

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plan"


@pytest.fixture
async def index(tmp_path: Path) -> ContentIndex:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'index.db'}")
    await db.create_all()
    store = ContentStore(db, FIXTURE)
    await store.sync()
    yield store.index
    await db.dispose()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("women 4 climate", "women4climate-2019"),
        ("Women4Climate", "women4climate-2019"),
        ("congrès mondial", "uclg-congress-2019"),
        ("congreso mundial", "uclg-congress-2019"),
        ("MEGA", "mega"),
        ("tell me about mega", "mega"),
        ("gestion de l'eau", "water-management"),
    ],
)
def test_find_is_forgiving(index: ContentIndex, text: str, slug: str) -> None:
    found = index.find(text)
    assert found, text
    assert found[0].item.slug == slug


def test_find_ignores_words_that_name_nothing(index: ContentIndex) -> None:
    assert index.find("what is the") == []
    assert index.find("") == []


def test_between_skips_year_long_items_for_a_month(index: ContentIndex) -> None:
    november = index.between(date(2019, 11, 1), date(2019, 11, 30))
    assert [i.slug for i in november] == ["uclg-congress-2019"]
    year = index.between(date(2019, 1, 1), date(2019, 12, 31), kinds=("event", "pilot_project"))
    assert {i.slug for i in year} == {"women4climate-2019", "uclg-congress-2019", "mega"}


def test_upcoming_from_a_day(index: ContentIndex) -> None:
    assert [i.slug for i in index.upcoming(date(2019, 3, 1))] == ["uclg-congress-2019"]
    assert index.upcoming(date(2020, 1, 1)) == []


def test_keywords_and_themes_relate_projects(index: ContentIndex) -> None:
    assert [i.slug for i in index.with_keyword("agua")] == ["water-management"]
    assert [i.slug for i in index.with_keyword("projets sur la mobilité")] == ["mega"]
    assert [i.slug for i in index.about_theme("mobility")] == ["mega"]


@pytest.mark.parametrize(
    "text",
    ["women4climate", "metroairports", "tell me about mega and women 4 climate", "zzz", "megamega"],
)
def test_joined_names_are_found_as_a_substring_scan_finds_them(
    index: ContentIndex, text: str
) -> None:
    # The scan by first four letters finds exactly the joined names a plain scan finds.
    compact = "".join(text.split())
    plain = [n for n, (name, _slug) in enumerate(index._compact) if name in compact]
    assert index._joined_names_in(compact) == plain


def test_derived_values_are_built_once(index: ContentIndex) -> None:
    calls: list[int] = []

    def build() -> int:
        calls.append(1)
        return 42

    assert index.derived(("test", 1), build) == 42
    assert index.derived(("test", 1), build) == 42
    assert calls == [1]
