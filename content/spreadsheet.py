"""The plans as a spreadsheet, for the staff who write them: ``python -m bot content export
plan.xlsx`` and ``python -m bot content import plan.xlsx`` (see docs/content.md).

A workbook holds one sheet per plan year, named after it (``2019``), one row per item and a
column per field and language (:data:`COLUMNS`); the first row under the headers is the plan
itself (``file`` = ``plan.toml``, ``kind`` = ``plan``, its titles). Lists (themes, aliases,
keywords, lists) are written in one cell, separated by ``;``. Sheets not named after a year
(the ``README``) are left alone.

Importing checks every row with the loader's own rules (:mod:`content.plans`), and an error
names the sheet, the row and the column; nothing is written when anything is wrong.
Otherwise the TOML files, which stay the canonical store, are rewritten only where a value
changed (:mod:`content.plan_files`). Normalisation (documented in docs/content.md): text is
trimmed, empty cells and empty lists are left out, and numbers typed in a text column are
read as text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from content.plan_files import WriteReport, check_and_write, current_plans
from content.plans import PLAN_FILE, RawPlan
from content.schema import LANGUAGES, ContentError

__all__ = [
    "COLUMNS",
    "CellError",
    "ImportReport",
    "export_workbook",
    "import_workbook",
]

COLUMNS = (
    "file", "slug", "kind", "section", "when", "status", "themes", "organiser", "place",
    "link", "aliases", "keywords", "lists",
    *(f"title.{lang}" for lang in LANGUAGES), *(f"description.{lang}" for lang in LANGUAGES),
)  # fmt: skip
LIST_COLUMNS = frozenset({"themes", "aliases", "keywords", "lists"})
SEPARATOR = ";"
PLAN_KIND = "plan"
_YEAR_SHEET = re.compile(r"^\d{4}$")
_FILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*\.toml$")
_DUPLICATE = re.compile(r"^duplicate \(also in (.+)\)$")
_WIDTHS = {"file": 18, "slug": 30, "kind": 14, "section": 20, "when": 16, "status": 11}
_README = (
    "One sheet per plan year, named after it; one row per item; the first row under the "
    "headers is the plan itself (file plan.toml, kind plan, its titles).",
    "Lists (themes, aliases, keywords, lists) go in one cell, separated by ';'. Dates are "
    "text: 2020-06-12, 2020-06, 2020-02/2020-03, 2020 or tbc.",
    "Import with: python -m bot content import <this file>. Nothing is written if a cell is "
    "wrong; the error names the sheet, the row and the column. See docs/content.md.",
    "Una hoja por año del plan; una fila por elemento. Ver docs/content.md.",
    "Une feuille par année du plan ; une ligne par élément. Voir docs/content.md.",
)


class CellError(ValueError):
    """A cell is wrong: the message names the sheet, the row and the column."""

    def __init__(
        self, sheet: str, row: int | None, column: str | None, problem: str, what: str = "sheet"
    ) -> None:
        self.sheet, self.row, self.column, self.problem = sheet, row, column, problem
        where = f"{what} {sheet}"
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column}"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class ImportReport:
    """What an import read and wrote."""

    years: tuple[int, ...]
    items: int
    files: WriteReport


# --- Export ------------------------------------------------------------------------------------


def _cell_text(year: int, slug: str, column: str, value: Any) -> str:
    if isinstance(value, list):
        if any(SEPARATOR in str(v) for v in value):
            raise ContentError(str(year), slug, column, f"an element holds {SEPARATOR!r}")
        return f"{SEPARATOR} ".join(str(v) for v in value)
    return str(value)


def _item_row(year: int, name: str, table: Mapping[str, Any]) -> list[str | None]:
    slug = str(table.get("slug", ""))
    row: list[str | None] = []
    for column in COLUMNS:
        if column == "file":
            row.append(name)
            continue
        head, _, lang = column.partition(".")
        value = table.get(head)
        if lang:
            value = value.get(lang) if isinstance(value, Mapping) else None
        row.append(None if value is None else _cell_text(year, slug, column, value))
    return row


def _plan_row(plan: Mapping[str, Any]) -> list[str | None]:
    titles = plan.get("title") if isinstance(plan.get("title"), Mapping) else {}
    values: dict[str, str | None] = {"file": PLAN_FILE, "kind": PLAN_KIND}
    values |= {f"title.{lang}": titles.get(lang) for lang in LANGUAGES}
    return [values.get(column) for column in COLUMNS]


def _sheet(book: Workbook, year: int, raw: RawPlan) -> None:
    sheet = book.create_sheet(str(year))
    sheet.append(list(COLUMNS))
    sheet.append(_plan_row(raw.plan))
    for name, tables in sorted(raw.files.items()):
        for table in tables:
            sheet.append(_item_row(year, name, table))
    wrap = Alignment(wrap_text=True, vertical="top")
    for n, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(n)
        sheet.column_dimensions[letter].width = _WIDTHS.get(
            column, 60 if column.startswith("description") else 32
        )
        sheet.cell(1, n).font = Font(bold=True)
        for cells in sheet.iter_rows(min_row=2, min_col=n, max_col=n):
            # Text, so that a spreadsheet app never reads "2020-06" as a date.
            cells[0].number_format = "@"
            cells[0].alignment = wrap
    sheet.freeze_panes = "C2"


def export_workbook(directory: Path, path: Path, years: Iterable[int] | None = None) -> list[int]:
    """Write the plans of ``directory`` (those of ``years``, or all) to the workbook ``path``.

    Returns:
        The years written.

    Raises:
        ContentError: A plan file is not TOML, or a list element holds the separator.
        LookupError: A year asked for has no plan.
    """
    plans = current_plans(directory)
    chosen = sorted(plans) if years is None else sorted(set(years))
    missing = [year for year in chosen if year not in plans]
    if missing:
        raise LookupError(f"no plan for {', '.join(map(str, missing))} in {directory}")
    book = Workbook()
    readme = book.active
    assert readme is not None
    readme.title = "README"
    readme.column_dimensions["A"].width = 120
    for line in _README:
        readme.append([line])
    for year in chosen:
        _sheet(book, year, plans[year])
    book.save(path)
    return chosen


# --- Import ------------------------------------------------------------------------------------


def _text(sheet: str, row: int, column: str, value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError(sheet, row, column, "expected text, not TRUE/FALSE")
    if isinstance(value, datetime | date | time):
        raise CellError(
            sheet, row, column, "a date cell: write dates as text, e.g. 2020-06 (start with ')"
        )
    if isinstance(value, int | float):
        value = str(int(value)) if float(value).is_integer() else format(value, "g")
    text = str(value).strip()
    return text or None


@dataclass
class _Sheet:
    """One year's sheet read into a plan, with where each item came from."""

    year: int
    plan: dict[str, Any]
    files: dict[str, list[Any]]
    rows: dict[tuple[str, str], int]  # (file name, slug or "#n") → row
    plan_row: int
    columns: dict[str, int]  # column name → its number in the sheet


def _header(sheet: Worksheet) -> dict[str, int]:
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    found: dict[str, int] = {}
    for n, value in enumerate(first, start=1):
        name = str(value).strip() if value is not None else ""
        if not name:
            continue
        if name not in COLUMNS:
            raise CellError(sheet.title, 1, _label(n, name), "unknown column")
        found[name] = n
    missing = [c for c in COLUMNS if c not in found]
    if missing:
        raise CellError(sheet.title, 1, None, f"missing column(s): {', '.join(missing)}")
    return found


def _label(n: int, name: str) -> str:
    return f"{get_column_letter(n)} ({name})"


def _read_sheet(sheet: Worksheet) -> _Sheet:
    title = sheet.title
    columns = _header(sheet)
    read = _Sheet(int(title), {}, {}, {}, 0, columns)
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        cells = {
            name: _text(title, number, _label(n, name), values[n - 1] if n <= len(values) else None)
            for name, n in columns.items()
        }
        if not any(cells.values()):
            continue
        kind, name = cells["kind"], cells["file"]
        if not read.plan_row:
            if kind != PLAN_KIND or name != PLAN_FILE:
                raise CellError(
                    title, number, None, "the first row is the plan: file plan.toml, kind plan"
                )
            read.plan_row, read.plan = number, _plan_table(title, number, cells, columns)
            continue
        if kind == PLAN_KIND or name == PLAN_FILE:
            raise CellError(title, number, _label(columns["kind"], "kind"), "a second plan row")
        if name is None or not _FILE_NAME.match(name):
            problem = "a file name such as global.toml (a-z, 0-9, - and _)"
            raise CellError(title, number, _label(columns["file"], "file"), problem)
        tables = read.files.setdefault(name, [])
        tables.append(_item_table(cells))
        read.rows[(name, f"#{len(tables)}")] = number
        if cells["slug"]:
            read.rows.setdefault((name, cells["slug"]), number)
    if not read.plan_row:
        raise CellError(title, None, None, "no plan row (file plan.toml, kind plan)")
    return read


def _plan_table(
    title: str, number: int, cells: Mapping[str, str | None], columns: Mapping[str, int]
) -> dict[str, Any]:
    allowed = {"file", "kind", *(f"title.{lang}" for lang in LANGUAGES)}
    for name, value in cells.items():
        if value is not None and name not in allowed:
            label = _label(columns[name], name)
            raise CellError(title, number, label, "the plan row has titles only")
    titles = {lang: cells[f"title.{lang}"] for lang in LANGUAGES if cells[f"title.{lang}"]}
    return {"year": int(title), "title": titles}


def _item_table(cells: Mapping[str, str | None]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for column in COLUMNS[1:]:
        value = cells[column]
        if value is None:
            continue
        head, _, lang = column.partition(".")
        if lang:
            table.setdefault(head, {})[lang] = value
        elif column in LIST_COLUMNS:
            parts = [p.strip() for p in value.split(SEPARATOR) if p.strip()]
            if parts:
                table[column] = parts
        else:
            table[column] = value
    return table


def _column_of(field: str | None, columns: Iterable[str] = COLUMNS) -> str | None:
    if field is None:
        return None
    name = field.removeprefix("plan.")
    if name in ("title", "description"):
        name += ".es"
    name = name if name in columns else name.partition(".")[0]
    return name if name in columns else None


def _located(exc: ContentError, sheets: Mapping[str, _Sheet]) -> CellError:
    folder, _, name = exc.file.rpartition("/")
    sheet = sheets.get(folder)
    if sheet is None:  # another year's files, on disk: say so as the loader does
        return CellError(folder or "?", None, None, str(exc))
    if name == PLAN_FILE:
        row: int | None = sheet.plan_row
    else:
        row = sheet.rows.get((name, exc.item)) if exc.item else None
    column = _column_of(exc.field)
    label = _label(sheet.columns[column], column) if column else None
    problem = exc.problem
    twin = _DUPLICATE.match(problem)
    if twin is not None and exc.item:  # say the other row too
        other = sheet.rows.get((twin.group(1).rpartition("/")[2], exc.item))
        problem = f"duplicate (also in row {other})" if other else problem
    return CellError(str(sheet.year), row, label, problem)


def import_workbook(directory: Path, path: Path) -> ImportReport:
    """Check the workbook ``path`` with the loader's rules and write its plans' files.

    Raises:
        CellError: A cell is wrong (sheet, row and column named); nothing is written.
    """
    book = load_workbook(path, data_only=True)
    sheets: dict[int, _Sheet] = {}
    for sheet in book.worksheets:
        if _YEAR_SHEET.match(sheet.title.strip()):
            read = _read_sheet(sheet)
            sheets[read.year] = read
    if not sheets:
        raise CellError(path.name, None, None, "no sheet named after a plan year (e.g. 2020)")
    try:
        plans = current_plans(directory)
    except ContentError as exc:
        raise CellError(exc.file, None, None, str(exc)) from None
    for year, read in sheets.items():
        old = plans.get(year)
        folder = old.folder if old is not None else str(year)
        # What the spreadsheet does not show of the plan table (its source language) stays.
        table = dict(old.plan) if old is not None and isinstance(old.plan, dict) else {}
        plans[year] = RawPlan(folder, table | read.plan, read.files)
    try:
        report = check_and_write(directory, plans, replace_years=sheets)
    except ContentError as exc:
        raise _located(exc, {plans[year].folder: read for year, read in sheets.items()}) from None
    items = sum(len(t) for read in sheets.values() for t in read.files.values())
    return ImportReport(tuple(sorted(sheets)), items, report)
