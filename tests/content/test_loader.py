"""The loader validates everything before writing, names what is wrong, and is idempotent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.db.engine import Database
from bot.db.models import Item
from content.loader import apply_plan, sync_content
from content.plans import read_plan
from content.schema import ContentError, parse_when

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "plan"


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    target = tmp_path / "plan"
    shutil.copytree(FIXTURE, target)
    return target


@pytest.fixture
async def sqlite_db(tmp_path: Path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'loader.db'}")
    await db.create_all()
    yield db
    await db.dispose()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture lacks {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


async def _count(db: Database) -> int:
    async with db.read() as session:
        return await session.scalar(select(func.count()).select_from(Item)) or 0


@pytest.mark.parametrize(
    ("old", "new", "item", "field"),
    [
        ('title.fr = "Mobilité"', "", "mobility", "title.fr"),
        ('status = "closing"', 'status = "finished"', "mega", "status"),
        ('when = "2019-11"', 'when = "2019-13"', "uclg-congress-2019", "when"),
        ('when = "2019-02"', 'when = "2019-02-30"', "women4climate-2019", "when"),
        ('slug = "water-management"', 'slug = "mega"', "mega", "slug"),
        ('themes = ["mobility"]', 'themes = ["mobilty"]', "mega", "themes"),
        ('kind = "event"', 'kind = "party"', "women4climate-2019", "kind"),
    ],
)
async def test_broken_item_is_named_and_nothing_is_written(
    plan_dir: Path, sqlite_db: Database, old: str, new: str, item: str, field: str
) -> None:
    await apply_plan(sqlite_db, read_plan(plan_dir))
    before = await _count(sqlite_db)
    _edit(plan_dir / "items.toml", old, new)
    with pytest.raises(ContentError) as caught:
        await sync_content(sqlite_db, plan_dir, force=True)
    error = caught.value
    assert error.file == "items.toml"
    assert error.item == item
    assert error.field == field
    assert "items.toml" in str(error) and item in str(error)
    assert await _count(sqlite_db) == before


async def test_bad_toml_names_the_file(plan_dir: Path, sqlite_db: Database) -> None:
    (plan_dir / "broken.toml").write_text("[[item]]\nslug = 'x\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"broken\.toml: not valid TOML"):
        await sync_content(sqlite_db, plan_dir)
    assert await _count(sqlite_db) == 0


async def test_loading_twice_changes_nothing(plan_dir: Path, sqlite_db: Database) -> None:
    first = await apply_plan(sqlite_db, read_plan(plan_dir))
    assert first.total == 7
    assert {c.change for c in first.changes} == {"added"}
    second = await apply_plan(sqlite_db, read_plan(plan_dir))
    assert second.changes == ()
    assert await _count(sqlite_db) == 7


async def test_reload_reports_changes_and_raises_sequence(
    plan_dir: Path, sqlite_db: Database
) -> None:
    await sync_content(sqlite_db, plan_dir)
    _edit(plan_dir / "items.toml", 'status = "closing"', 'status = "ongoing"')
    _edit(plan_dir / "items.toml", 'when = "2019-11"', 'when = "2019-11-13"')
    result = await sync_content(sqlite_db, plan_dir)
    assert result is not None
    changed = {c.slug: c for c in result.changes}
    assert changed["mega"].fields == ("status",)
    assert changed["mega"].before["status"] == "closing"
    assert changed["mega"].after["status"] == "ongoing"
    assert changed["uclg-congress-2019"].fields == ("when",)
    async with sqlite_db.read() as session:
        mega = await session.get(Item, "mega")
        assert mega is not None and mega.sequence == 1


async def test_removed_item_is_marked_not_deleted(plan_dir: Path, sqlite_db: Database) -> None:
    await sync_content(sqlite_db, plan_dir)
    text = (plan_dir / "items.toml").read_text(encoding="utf-8")
    start = text.index('[[item]]\nslug = "water-management"')
    (plan_dir / "items.toml").write_text(text[:start], encoding="utf-8")
    result = await sync_content(sqlite_db, plan_dir)
    assert result is not None
    assert [(c.slug, c.change) for c in result.changes] == [("water-management", "removed")]
    async with sqlite_db.read() as session:
        row = await session.get(Item, "water-management")
        assert row is not None and row.removed


async def test_unchanged_files_are_not_reread(plan_dir: Path, sqlite_db: Database) -> None:
    assert await sync_content(sqlite_db, plan_dir) is not None
    assert await sync_content(sqlite_db, plan_dir) is None


@pytest.mark.parametrize(
    ("raw", "precision", "start", "end"),
    [
        ("2019-03-08", "day", "2019-03-08", "2019-03-08"),
        ("2019-02", "month", "2019-02-01", "2019-02-28"),
        ("2019-02/2019-03", "period", "2019-02-01", "2019-03-31"),
        ("2020", "year", "2020-01-01", "2020-12-31"),
        ("tbc", "tbc", None, None),
        (None, "none", None, None),
    ],
)
def test_when_forms(raw: str | None, precision: str, start: str | None, end: str | None) -> None:
    when = parse_when(raw)
    assert when.precision == precision
    assert (when.start.isoformat() if when.start else None) == start
    assert (when.end.isoformat() if when.end else None) == end


@pytest.mark.parametrize("raw", ["2019-3", "June 2019", "2019-06/2019-02", "2019-02-29"])
def test_impossible_or_unknown_dates_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        parse_when(raw)
