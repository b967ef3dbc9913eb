"""Plans by year: a folder per year, each plan validated on its own and all loaded together,
slugs keyed across years, and the shipped 2019 plan unchanged by the move into 2019/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.core.content_store import ContentStore
from bot.db.engine import Database
from bot.db.models import Item
from content.loader import apply_plan, sync_content
from content.plans import fingerprint, read_plan, read_plans
from content.schema import ContentError, item_key, plain_slug
from tests.conftest import PLAN_DIR, sqlite_url
from tests.years.conftest import PLAN_2020, two_plans_dir

FLAT = Path(__file__).resolve().parents[1] / "fixtures" / "plan"


@pytest.fixture
async def sqlite_db(tmp_path: Path):
    db = Database(sqlite_url(tmp_path / "plans.db"))
    await db.create_all()
    yield db
    await db.dispose()


def test_keys_qualify_a_slug_only_in_the_later_plans_that_repeat_it() -> None:
    assert item_key("statutory", 2019, 2019) == "statutory"
    assert item_key("statutory", 2020, 2019) == "statutory@2020"
    assert plain_slug("statutory@2020") == "statutory" and plain_slug("mega") == "mega"


def test_both_plans_read_together_with_their_keys(tmp_path: Path) -> None:
    plans = read_plans(two_plans_dir(tmp_path / "plan"))
    assert plans.years == (2019, 2020)
    keys = {spec.key: spec for spec in plans.items}
    assert len(keys) == len(plans.items) == 84 + 13
    assert keys["statutory"].year == 2019 and keys["statutory@2020"].year == 2020
    assert keys["mobility@2020"].source_file == "2020/themes.toml"
    assert keys["board-meeting-2020"].key == "board-meeting-2020"  # unique: its own key
    assert plans.notes == ()


def test_the_shipped_folder_holds_the_2019_plan_only() -> None:
    plans = read_plans(PLAN_DIR)
    assert plans.years == (2019,)
    assert all(spec.key == spec.slug for spec in plans.items)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("plan.toml", "year = 2020", "year = 2021"), "2020/plan.toml, field 'plan.year': is 2021"),
        (("themes.toml", 'section = "global-positioning"\nlists', 'section = "nowhere"\nlists'),
         "2020/themes.toml, item 'mobility', field 'section': no section 'nowhere'"),
        (("events.toml", 'when = "2020-06"', 'when = "2020-13"'),
         "2020/events.toml, item 'test-june-forum-2020', field 'when'"),
    ],
)  # fmt: skip
def test_each_plan_is_validated_on_its_own(
    tmp_path: Path, edit: tuple[str, str, str], message: str
) -> None:
    content = two_plans_dir(tmp_path / "plan")
    name, old, new = edit
    path = content / "2020" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        read_plans(content)
    assert str(caught.value).startswith(message)


def test_a_plan_cannot_sit_beside_plan_folders(tmp_path: Path) -> None:
    content = two_plans_dir(tmp_path / "plan")
    shutil.copy(PLAN_2020 / "plan.toml", content / "plan.toml")
    with pytest.raises(ContentError, match="move it into its year's folder"):
        read_plans(content)
    with pytest.raises(ContentError, match="no plan"):
        read_plans(tmp_path / "empty")


def test_a_slug_copied_with_last_years_file_is_noted(tmp_path: Path) -> None:
    content = two_plans_dir(tmp_path / "plan")
    path = content / "2020" / "statutory.toml"
    path.write_text(path.read_text().replace('"board-meeting-2020"', '"board-meeting-2019"'))
    plans = read_plans(content)
    assert any("'board-meeting-2019' of the 2020 plan names 2019" in n for n in plans.notes)
    assert "board-meeting-2019@2020" in {s.key for s in plans.items}


def test_a_flat_folder_is_still_one_plan(tmp_path: Path) -> None:
    assert read_plans(FLAT).years == (2019,)
    assert read_plan(FLAT).year == 2019


async def test_moving_a_plan_into_its_year_folder_changes_no_item(
    tmp_path: Path, sqlite_db: Database
) -> None:
    flat = tmp_path / "flat"
    shutil.copytree(FLAT, flat)
    first = await sync_content(sqlite_db, flat)
    assert first is not None and first.changed
    moved = tmp_path / "moved"
    shutil.copytree(FLAT, moved / "2019")
    assert fingerprint(moved) != fingerprint(flat)
    result = await sync_content(sqlite_db, moved)
    assert result is not None and result.changes == ()
    async with sqlite_db.read() as session:
        rows = (await session.scalars(select(Item))).all()
    assert {row.plan_year for row in rows} == {2019}
    assert all(row.source_file.startswith("2019/") and row.sequence == 0 for row in rows)


async def test_adding_next_years_plan_adds_its_items_and_keeps_the_others(
    tmp_path: Path, sqlite_db: Database
) -> None:
    content = tmp_path / "plan"
    shutil.copytree(PLAN_DIR / "2019", content / "2019")
    store = ContentStore(sqlite_db, content)
    await store.sync()
    shutil.copytree(PLAN_2020, content / "2020")
    result = await store.sync()
    assert result is not None
    assert {c.change for c in result.changes} == {"added"}
    assert len(result.changes) == 13
    index = store.index
    assert index.years == (2019, 2020)
    assert index.plan(2020).years == (2020,) and len(index.plan(2020).items) == 13
    assert index.info(2020).title["en"] == "Test plan 2020 (synthetic)"
    assert index.resolve("statutory", 2020) is index.items["statutory@2020"]
    assert [e.slug for e in index.editions(index.items["mobility"])] == ["mobility@2020"]
    # Loading the same plans again changes nothing.
    assert (await apply_plan(sqlite_db, read_plans(content))).changes == ()
