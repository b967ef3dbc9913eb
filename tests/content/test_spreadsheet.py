"""The spreadsheet round trip: export then import of the shipped plan changes no file, byte for
byte; an edited cell changes its line only and comes back on the next export; a broken cell
is named by sheet, row and column and no file changes; a new year's sheet becomes a plan
folder the loader reads. And the translators' CSV."""

from __future__ import annotations

import csv
import filecmp
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.__main__ import main
from content.plans import read_plans
from content.spreadsheet import COLUMNS, CellError, export_workbook, import_workbook
from content.translations import export_translations, import_translations
from tests.conftest import PLAN_DIR
from tests.years.conftest import two_plans_dir


@pytest.fixture
def content(tmp_path: Path) -> Path:
    target = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, target)
    return target


def _files(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in directory.rglob("*.toml")}


def _cell(sheet, column: str, row: int):  # type: ignore[no-untyped-def]
    return sheet.cell(row, COLUMNS.index(column) + 1)


def _row_of(sheet, slug: str) -> int:  # type: ignore[no-untyped-def]
    for row in range(2, sheet.max_row + 1):
        if _cell(sheet, "slug", row).value == slug:
            return row
    raise AssertionError(slug)


def test_export_then_import_of_the_shipped_plan_changes_no_file(
    content: Path, tmp_path: Path
) -> None:
    before = _files(content)
    book = tmp_path / "plan.xlsx"
    assert export_workbook(content, book) == [2019]
    report = import_workbook(content, book)
    assert report.years == (2019,) and report.items == 84
    assert not report.files.changed and len(report.files.unchanged) == 10
    assert _files(content) == before
    assert _files(content) == _files(PLAN_DIR)


def test_one_sheet_per_year_one_row_per_item_a_column_per_field_and_language(
    tmp_path: Path,
) -> None:
    content = two_plans_dir(tmp_path / "plan")
    book = tmp_path / "plans.xlsx"
    assert export_workbook(content, book) == [2019, 2020]
    sheets = load_workbook(book)
    assert sheets.sheetnames == ["README", "2019", "2020"]
    sheet = sheets["2020"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert [c.value for c in sheet[2]][:3] == ["plan.toml", None, "plan"]
    assert _cell(sheet, "title.en", 2).value == "Test plan 2020 (synthetic)"
    assert sheet.max_row == 2 + 13
    row = _row_of(sheet, "board-meeting-2020")
    assert _cell(sheet, "aliases", row).value.startswith("board meeting; board of directors")
    assert _cell(sheet, "when", row).number_format == "@"
    assert export_workbook(content, tmp_path / "one.xlsx", [2020]) == [2020]
    assert load_workbook(tmp_path / "one.xlsx").sheetnames == ["README", "2020"]
    with pytest.raises(LookupError):
        export_workbook(content, tmp_path / "none.xlsx", [2031])


def test_an_edited_cell_round_trips(content: Path, tmp_path: Path) -> None:
    book = tmp_path / "plan.xlsx"
    export_workbook(content, book)
    sheets = load_workbook(book)
    sheet = sheets["2019"]
    row = _row_of(sheet, "mega")
    _cell(sheet, "title.fr", row).value = "MEGA, titre revu"
    _cell(sheet, "keywords", row).value = "énergie; energy"
    sheets.save(book)
    before = (content / "2019" / "pilot-projects.toml").read_text(encoding="utf-8")
    report = import_workbook(content, book)
    assert report.files.written == ["2019/pilot-projects.toml"]
    after = (content / "2019" / "pilot-projects.toml").read_text(encoding="utf-8")
    changed = [
        (old, new)
        for old, new in zip(before.splitlines(), after.splitlines(), strict=True)
        if old != new
    ]
    assert changed == [
        (changed[0][0], 'keywords = ["énergie", "energy"]'),
        (changed[1][0], 'title.fr = "MEGA, titre revu"'),
    ]
    plans = read_plans(content)
    (mega,) = [s for s in plans.items if s.slug == "mega"]
    assert mega.title["fr"] == "MEGA, titre revu"
    again = tmp_path / "again.xlsx"
    export_workbook(content, again)
    sheet = load_workbook(again)["2019"]
    assert _cell(sheet, "title.fr", _row_of(sheet, "mega")).value == "MEGA, titre revu"


@pytest.mark.parametrize(
    ("slug", "column", "value", "problem"),
    [
        ("mega", "when", "2019-13", "month must be in 1..12"),
        ("mega", "title.en", None, "missing translation"),
        ("mega", "status", "finished", "must be one of closing, ongoing, starting"),
        ("mega", "themes", "mobilty", "no theme 'mobilty'"),
        ("women4climate-2019", "kind", "party", "must be one of"),
        ("women4climate-2019", "link", "ftp://x", "must start with https://"),
        ("women4climate-2019", "slug", "mega", "duplicate (also in row {row})"),
    ],
)
def test_a_broken_cell_is_named_and_no_file_changes(
    content: Path, tmp_path: Path, slug: str, column: str, value: str | None, problem: str
) -> None:
    book = tmp_path / "plan.xlsx"
    export_workbook(content, book)
    sheets = load_workbook(book)
    sheet = sheets["2019"]
    row = _row_of(sheet, slug)
    _cell(sheet, column, row).value = value
    sheets.save(book)
    before = _files(content)
    with pytest.raises(CellError) as caught:
        import_workbook(content, book)
    error = caught.value
    letter = sheet.cell(row, COLUMNS.index(column) + 1).column_letter
    if problem.startswith("duplicate"):  # the loader names the second one, and the first
        assert error.problem == problem.format(row=row)
        row = error.row
    assert (error.sheet, error.row, error.column) == ("2019", row, f"{letter} ({column})")
    assert problem.partition(" (")[0] in error.problem
    assert str(error).startswith(f"sheet 2019, row {row}, column {letter} ({column}): ")
    assert _files(content) == before


def test_cells_that_are_not_text_are_refused_or_read_as_text(content: Path, tmp_path: Path) -> None:
    from datetime import datetime

    book = tmp_path / "plan.xlsx"
    export_workbook(content, book)
    sheets = load_workbook(book)
    sheet = sheets["2019"]
    row = _row_of(sheet, "board-meeting-2019")
    _cell(sheet, "when", row).value = 2019  # a number typed in Excel: the year, as text
    sheets.save(book)
    assert not import_workbook(content, book).files.changed
    _cell(sheet, "when", row).value = datetime(2019, 6, 1)
    sheets.save(book)
    with pytest.raises(CellError, match=rf"row {row}, column E \(when\): a date cell"):
        import_workbook(content, book)


def test_a_new_years_sheet_becomes_a_plan_folder(content: Path, tmp_path: Path) -> None:
    source = two_plans_dir(tmp_path / "both")
    book = tmp_path / "next.xlsx"
    export_workbook(source, book, [2020])
    report = import_workbook(content, book)
    assert report.years == (2020,) and report.items == 13
    assert "2020/plan.toml" in report.files.written and "2020/events.toml" in report.files.written
    plans = read_plans(content)
    assert plans.years == (2019, 2020)
    expected = {s.key: s.content_hash() for s in read_plans(source).items}
    assert {s.key: s.content_hash() for s in plans.items} == expected
    assert (content / "2020" / "plan.toml").read_text().count('source_language = "es"') == 0
    # The shipped 2019 files were not touched.
    assert filecmp.dircmp(content / "2019", PLAN_DIR / "2019").diff_files == []


def test_a_file_left_out_of_a_sheet_is_removed(tmp_path: Path) -> None:
    content = two_plans_dir(tmp_path / "plan")
    book = tmp_path / "plans.xlsx"
    export_workbook(content, book, [2020])
    sheets = load_workbook(book)
    sheet = sheets["2020"]
    for row in range(sheet.max_row, 2, -1):
        if _cell(sheet, "file", row).value == "events.toml":
            sheet.delete_rows(row)
    sheets.save(book)
    report = import_workbook(content, book)
    assert report.files.removed == ["2020/events.toml"]
    assert not (content / "2020" / "events.toml").exists()


def test_the_translators_csv_round_trip(content: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "plan-fr.csv"
    count = export_translations(content, sheet, "fr")
    assert count == 1 + 2 * 84
    assert not import_translations(content, sheet).files.changed
    rows = list(csv.reader(sheet.open(encoding="utf-8-sig")))
    assert rows[0] == ["year", "file", "slug", "field", "es", "fr"]
    (mega,) = [n for n, r in enumerate(rows) if r[2] == "mega" and r[3] == "title"]
    rows[mega][-1] = "MEGA (titre revu)"
    with sheet.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(rows)
    report = import_translations(content, sheet)
    assert report.files.written == ["2019/pilot-projects.toml"]
    projects = (content / "2019" / "pilot-projects.toml").read_text(encoding="utf-8")
    assert 'title.fr = "MEGA (titre revu)"' in projects
    rows[mega][-1] = "  "
    with sheet.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows(rows)
    before = _files(content)
    with pytest.raises(CellError) as caught:
        import_translations(content, sheet)
    assert (caught.value.row, caught.value.column) == (mega + 1, "fr")
    assert _files(content) == before


def test_the_command_line(content: Path, tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BOT_CONTENT_DIR", str(content))
    book = tmp_path / "plan.xlsx"
    assert main(["content", "export", str(book), "--year", "2019"]) == 0
    assert main(["content", "import", str(book)]) == 0
    assert "no file changed" in capsys.readouterr().out
    assert main(["content", "export", str(tmp_path / "plan.csv")]) == 2
    assert main(["content", "export", str(tmp_path / "plan-en.csv"), "--language", "en"]) == 0
    sheets = load_workbook(book)
    _cell(sheets["2019"], "when", _row_of(sheets["2019"], "mega")).value = "soon"
    sheets.save(book)
    assert main(["content", "import", str(book)]) == 3  # broken content: exit code 3
    assert "nothing was written: sheet 2019, row" in capsys.readouterr().err
