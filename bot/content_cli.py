"""``python -m bot content export|import``: the plans as a spreadsheet (``.xlsx``, one sheet
per year) or, for translators, a CSV of one language's texts (``.csv``); see docs/content.md.

The TOML files under ``BOT_CONTENT_DIR`` stay the canonical store: importing checks the file
with the loader's rules, writes nothing when anything is wrong, and otherwise rewrites only
the lines whose values changed. Load the result with ``content reload`` (or ``/reload``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from bot.config import Settings
from bot.startup import ExitCode

__all__ = ["export_plans", "import_plans"]


def _kind(path: Path) -> str | None:
    suffix = path.suffix.lower()
    return {".xlsx": "xlsx", ".csv": "csv"}.get(suffix)


def export_plans(settings: Settings, path: Path, year: int | None, language: str | None) -> int:
    """Write the plans (or one year's) to ``path``; returns the exit status."""
    from content.schema import ContentError
    from content.spreadsheet import export_workbook
    from content.translations import export_translations

    kind = _kind(path)
    years = [year] if year is not None else None
    try:
        if kind == "xlsx":
            written = export_workbook(settings.content_dir, path, years)
            print(f"exported: {path} (sheets {', '.join(map(str, written))})")
        elif kind == "csv":
            if language is None:
                print("a CSV holds one language: add --language es|en|fr", file=sys.stderr)
                return ExitCode.CONFIG
            count = export_translations(settings.content_dir, path, language, years)
            print(f"exported: {path} ({count} texts in {language})")
        else:
            print("export to a .xlsx workbook or a .csv of one language", file=sys.stderr)
            return ExitCode.CONFIG
    except (ContentError, LookupError, ValueError) as exc:
        print(f"content error: {exc}", file=sys.stderr)
        return ExitCode.CONTENT
    return 0


def import_plans(settings: Settings, path: Path) -> int:
    """Check ``path`` and write its plans into the content files; returns the exit status."""
    from content.spreadsheet import CellError, import_workbook
    from content.translations import import_translations

    kind = _kind(path)
    if kind is None or not path.is_file():
        print(f"no .xlsx or .csv file at {path}", file=sys.stderr)
        return ExitCode.CONFIG
    try:
        if kind == "xlsx":
            sheets = import_workbook(settings.content_dir, path)
            years = ", ".join(map(str, sheets.years))
            files, what = sheets.files, f"{sheets.items} items of {years}"
        else:
            texts = import_translations(settings.content_dir, path)
            files, what = texts.files, f"{texts.texts} texts in {texts.language}"
    except CellError as exc:
        print(f"not imported, nothing was written: {exc}", file=sys.stderr)
        return ExitCode.CONTENT
    print(f"checked: {what}")
    for name in files.written:
        print(f"  written: {name}")
    for name in files.removed:
        print(f"  removed: {name}")
    if not files.changed:
        print("  no file changed")
    else:
        print("load it with: python -m bot content reload (or /reload in a chat, as staff)")
    return 0
