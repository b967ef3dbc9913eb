"""A CSV per language for translators: every text of the plans (the plan's title, each item's
title and description) beside the source text, one per row (see docs/content.md).

``python -m bot content export plan-fr.csv --language fr`` writes the columns ``year``,
``file``, ``slug``, ``field``, the source language's text (``es``, for reference) and the
language's own (``fr``); translators fill or correct the last column, and ``python -m bot
content import plan-fr.csv`` puts those texts back in the TOML files, checked with the
loader's rules first (an error names the row and the column; nothing is written when
anything is wrong). The file is UTF-8 with a byte-order mark, which spreadsheet apps read.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from content.plan_files import WriteReport, check_and_write, current_plans
from content.plans import PLAN_FILE, RawPlan
from content.schema import LANGUAGES, ContentError
from content.spreadsheet import CellError

__all__ = ["TranslationReport", "export_translations", "import_translations"]

KEYS = ("year", "file", "slug", "field")
FIELDS = ("title", "description")
ENCODING = "utf-8-sig"


@dataclass(frozen=True)
class TranslationReport:
    """What a translations import changed."""

    language: str
    texts: int
    files: WriteReport


def _source(raw: RawPlan) -> str:
    language = raw.plan.get("source_language", "es") if isinstance(raw.plan, dict) else "es"
    return language if language in LANGUAGES else "es"


def _text(table: Any, language: str) -> str:
    value = table.get(language) if isinstance(table, dict) else None
    return value if isinstance(value, str) else ""


def export_translations(
    directory: Path, path: Path, language: str, years: Iterable[int] | None = None
) -> int:
    """Write every text of the plans (of ``years``, or all) in ``language`` to the CSV
    ``path``, beside the source text.

    Returns:
        The number of rows (texts) written.

    Raises:
        ValueError: ``language`` is not es, en or fr.
        LookupError: A year asked for has no plan.
    """
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}")
    plans = current_plans(directory)
    chosen = sorted(plans) if years is None else sorted(set(years))
    missing = [year for year in chosen if year not in plans]
    if missing:
        raise LookupError(f"no plan for {', '.join(map(str, missing))} in {directory}")
    rows: list[list[str]] = []
    source = "es"
    for year in chosen:
        raw = plans[year]
        source = _source(raw)
        texts = [(PLAN_FILE, "", "title", raw.plan.get("title"))]
        for name, tables in sorted(raw.files.items()):
            for table in tables:
                slug = str(table.get("slug", ""))
                texts += [(name, slug, f, table.get(f)) for f in FIELDS]
        for name, slug, field, value in texts:
            row = [str(year), name, slug, field]
            if language != source:
                row.append(_text(value, source))
            rows.append([*row, _text(value, language)])
    header = [*KEYS, *([source] if language != source else []), language]
    with path.open("w", encoding=ENCODING, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


def _error(name: str, row: int | None, column: str | None, problem: str) -> CellError:
    return CellError(name, row, column, problem, what="file")


def _target(raw: RawPlan, name: str, slug: str, field: str) -> dict[str, Any] | None:
    # The table of texts a row names (the plan's title, or an item's title or description).
    if name == PLAN_FILE and not slug and field == "title":
        table = raw.plan.setdefault("title", {}) if isinstance(raw.plan, dict) else None
        return table if isinstance(table, dict) else None
    for item in raw.files.get(name, ()):
        if isinstance(item, dict) and item.get("slug") == slug and field in FIELDS:
            texts = item.setdefault(field, {})
            return texts if isinstance(texts, dict) else None
    return None


def import_translations(directory: Path, path: Path) -> TranslationReport:
    """Put the texts of the CSV ``path`` (its last column's language) back in the plans.

    Raises:
        CellError: A row is wrong (row and column named); nothing is written.
    """
    name = path.name
    with path.open(encoding=ENCODING, newline="") as stream:
        rows = list(csv.reader(stream))
    if not rows or [c.strip() for c in rows[0][:4]] != list(KEYS) or len(rows[0]) < 5:
        raise _error(name, 1, None, f"the header is {', '.join(KEYS)}, then the language(s)")
    language = rows[0][-1].strip()
    if language not in LANGUAGES:
        raise _error(name, 1, language, f"the last column is es, en or fr, not {language!r}")
    plans = current_plans(directory)
    where: dict[tuple[str, str, str], int] = {}  # (file as errors name it, slug, field) → row
    touched: set[int] = set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(rows[0]):
            raise _error(name, number, None, f"expected {len(rows[0])} cells")
        year_text, file, slug, field = (cell.strip() for cell in row[:4])
        raw = plans.get(int(year_text)) if year_text.isdigit() else None
        if raw is None:
            raise _error(name, number, "year", f"no plan for {year_text!r}")
        texts = _target(raw, file, slug, field)
        if texts is None:
            raise _error(name, number, "slug", f"no {field!r} of {slug or file!r} in {year_text}")
        texts[language] = row[-1].strip()
        touched.add(int(year_text))
        where[(raw.where(file), slug or "", field)] = number
    try:
        report = check_and_write(directory, plans, replace_years=touched)
    except ContentError as exc:
        field = (exc.field or "").removeprefix("plan.").partition(".")[0]
        row_number = where.get((exc.file, exc.item or "", field))
        problem = exc.problem if row_number is not None else str(exc)
        raise _error(name, row_number, language, problem) from None
    return TranslationReport(language, len(where), report)
