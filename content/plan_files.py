"""The plans written back to the content folder (by the spreadsheet import and the
translators' CSV): checked first with the loader's rules, then each file rewritten only where
its values changed (see :mod:`content.toml_writer`), or left untouched.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from content.plans import PLAN_FILE, RawPlan, plan_folders, raw_plans, validate_plans
from content.schema import ContentError
from content.toml_writer import Table, flatten, render_file

__all__ = ["WriteReport", "check_and_write", "current_plans"]


@dataclass
class WriteReport:
    """What writing the plans did, file by file (paths relative to the content folder)."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether any file was written or removed."""
        return bool(self.written or self.removed)


def current_plans(directory: Path) -> dict[int, RawPlan]:
    """The plans of the content folder as written, by year (an empty folder has none).

    Raises:
        ContentError: A file is not TOML, or a plan has no year.
    """
    if not directory.exists() or not any(directory.iterdir()):
        return {}
    found: dict[int, RawPlan] = {}
    for raw in raw_plans(directory).values():
        year = raw.plan.get("year") if isinstance(raw.plan, dict) else None
        found[year if isinstance(year, int) else 0] = raw
    return found


def _tables(raw: RawPlan, name: str) -> list[Table]:
    if name == PLAN_FILE:
        return [Table("plan", "", flatten(raw.plan))]
    return [Table("item", str(t.get("slug", "")), flatten(t)) for t in raw.files[name]]


def _preamble(raw: RawPlan, name: str) -> str:
    if name == PLAN_FILE:
        return f"# The work plan {raw.plan.get('year')}. See docs/content.md for the schema.\n"
    return (
        f"# Work plan {raw.plan.get('year')}: {name}. Written by `python -m bot content "
        "import`; see docs/content.md.\n"
    )


def _write_atomically(path: Path, text: str) -> None:
    # A reader (the bot reloading) sees the old file or the new one, never half of one.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def check_and_write(
    directory: Path, plans: Mapping[int, RawPlan], *, replace_years: Iterable[int]
) -> WriteReport:
    """Check every plan with the loader's rules, then write the plans of ``replace_years``.

    Args:
        directory: The content folder.
        plans: Every plan as it must be, by year (those not written are checked all the same:
            the plans are validated together).
        replace_years: The years whose files are rewritten; an item file of such a year that
            ``plans`` no longer holds is removed.

    Raises:
        ContentError: A plan breaks a rule; nothing is written.
    """
    validate_plans(plans.values())
    folders = plan_folders(directory) if directory.exists() and any(directory.iterdir()) else {}
    flat = "" in folders
    if flat and any(year != _year_of(directory) for year in replace_years):
        raise ContentError(PLAN_FILE, None, None, "move the plan into its year's folder first")
    rendered: dict[Path, str] = {}
    stale: list[Path] = []
    for year in sorted(replace_years):
        raw = plans[year]
        folder = directory if flat and _year_of(directory) == year else directory / str(year)
        for name in [PLAN_FILE, *raw.files]:
            path = folder / name
            old = path.read_text(encoding="utf-8") if path.is_file() else None
            rendered[path] = render_file(old, _tables(raw, name), _preamble(raw, name))
        if folder.is_dir():
            stale += [
                path
                for path in sorted(folder.glob("*.toml"))
                if path.name != PLAN_FILE and path.name not in raw.files
            ]
    report = WriteReport()
    for path, text in rendered.items():
        name = path.relative_to(directory).as_posix()
        if path.is_file() and path.read_text(encoding="utf-8") == text:
            report.unchanged.append(name)
            continue
        _write_atomically(path, text)
        report.written.append(name)
    for path in stale:
        path.unlink()
        report.removed.append(path.relative_to(directory).as_posix())
    return report


def _year_of(directory: Path) -> Any:
    raw = raw_plans(directory).get("")
    return raw.plan.get("year") if raw is not None and isinstance(raw.plan, dict) else None
