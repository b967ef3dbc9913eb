"""The plans as written: read from the content folder and validated, one plan at a time, then
all together (see docs/content.md).

The content folder holds one folder per plan year, ``2019/``, ``2020/``…, each with its
``plan.toml`` and its ``[[item]]`` files. A folder that holds a ``plan.toml`` itself is one
plan on its own (the layout before plans by year, still used by small test plans).

Reading has two steps, so that the spreadsheet import (:mod:`content.spreadsheet`) checks
its rows with exactly the loader's rules: the files become :class:`RawPlan` values (the
tables as written), and :func:`validate_plans` turns those into :class:`Plans` or raises a
:class:`ContentError` naming the file, the item and the field.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from content.schema import (
    LANGUAGES,
    ContentError,
    ItemSpec,
    PlanSpec,
    item_key,
    validate_item,
)

__all__ = [
    "PLAN_FILE",
    "Plans",
    "RawPlan",
    "fingerprint",
    "plan_folders",
    "raw_plans",
    "read_plan",
    "read_plans",
    "read_raw",
    "validate_plan",
    "validate_plans",
]

PLAN_FILE = "plan.toml"
_YEAR_FOLDER = re.compile(r"^\d{4}$")
_YEAR_SUFFIX = re.compile(r"-(\d{4})$")


@dataclass(frozen=True)
class RawPlan:
    """One plan as written, before validation.

    Attributes:
        folder: The plan's folder under the content folder (``"2019"``), or ``""`` for a
            folder that is one plan on its own.
        plan: The ``[plan]`` table.
        files: Each item file's ``[[item]]`` tables, in order, by file name.
    """

    folder: str
    plan: Any
    files: dict[str, list[Any]] = field(default_factory=dict)

    def where(self, name: str) -> str:
        """How errors name a file of this plan: ``2019/global.toml``."""
        return f"{self.folder}/{name}" if self.folder else name


@dataclass(frozen=True)
class Plans:
    """Every plan, validated, each item with its year and its key (see ``item_key``).

    Attributes:
        plans: The plans, oldest first.
        notes: Things worth a look that are not errors (a slug that names another year).
    """

    plans: tuple[PlanSpec, ...]
    notes: tuple[str, ...] = ()

    @property
    def items(self) -> tuple[ItemSpec, ...]:
        """Every item of every plan, oldest plan first."""
        return tuple(item for plan in self.plans for item in plan.items)

    @property
    def years(self) -> tuple[int, ...]:
        """The plans' years, oldest first."""
        return tuple(plan.year for plan in self.plans)

    def plan(self, year: int) -> PlanSpec | None:
        """The plan of ``year``, if there is one."""
        return next((p for p in self.plans if p.year == year), None)


def plan_folders(directory: Path) -> dict[str, Path]:
    """The plan folders of the content folder, by name (``""`` when it is one plan itself).

    Raises:
        ContentError: There is no plan at all, or both layouts are mixed.
    """
    years = {
        path.name: path
        for path in sorted(directory.iterdir() if directory.is_dir() else ())
        if path.is_dir() and _YEAR_FOLDER.match(path.name)
    }
    if (directory / PLAN_FILE).is_file():
        if years:
            raise ContentError(
                PLAN_FILE, None, None, "move it into its year's folder, next to the other plans"
            )
        return {"": directory}
    if not years:
        raise ContentError(PLAN_FILE, None, None, f"no plan in {directory} (nor a folder per year)")
    return years


def fingerprint(directory: Path) -> str:
    """A cheap digest of the content files' names, sizes and modification times."""
    # The layout's name first: the first start after plans moved into folders per year
    # loads them once (which records each item's year) even though no file changed.
    digest = hashlib.sha256(b"plans-by-year;")
    for path in sorted([*directory.glob("*.toml"), *directory.glob("*/*.toml")]):
        stat = path.stat()
        name = path.relative_to(directory).as_posix()
        digest.update(f"{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


def _load_toml(path: Path, where: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(where, None, None, f"not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ContentError(where, None, None, "not UTF-8 text") from None


def read_raw(directory: Path, folder: str = "") -> RawPlan:
    """The tables of one plan folder, as written (nothing is validated but the TOML).

    Raises:
        ContentError: ``plan.toml`` is missing, or a file is not TOML.
    """
    raw = RawPlan(folder, None)
    plan_path = directory / PLAN_FILE
    if not plan_path.is_file():
        raise ContentError(raw.where(PLAN_FILE), None, None, f"missing in {directory}")
    plan = _load_toml(plan_path, raw.where(PLAN_FILE)).get("plan")
    files: dict[str, list[Any]] = {}
    for path in sorted(directory.glob("*.toml")):
        if path.name == PLAN_FILE:
            continue
        items = _load_toml(path, raw.where(path.name)).get("item", [])
        if not isinstance(items, list):
            raise ContentError(raw.where(path.name), None, "item", "use [[item]] tables")
        files[path.name] = items
    return RawPlan(folder, plan, files)


def _plan_table(raw: RawPlan) -> tuple[int, str, dict[str, str]]:
    where = raw.where(PLAN_FILE)
    if not isinstance(raw.plan, dict):
        raise ContentError(where, None, "plan", "a [plan] table is required")
    year = raw.plan.get("year")
    if not isinstance(year, int) or not 1990 <= year <= 2100:
        raise ContentError(where, None, "plan.year", "must be a year such as 2019")
    if raw.folder and raw.folder != str(year):
        raise ContentError(where, None, "plan.year", f"is {year} in the folder {raw.folder}")
    source_language = raw.plan.get("source_language", "es")
    if source_language not in LANGUAGES:
        raise ContentError(where, None, "plan.source_language", "must be es, en or fr")
    title = raw.plan.get("title") or {}
    if not isinstance(title, dict) or any(not title.get(lang) for lang in LANGUAGES):
        raise ContentError(where, None, "plan.title", "needs es, en and fr")
    return year, source_language, dict(title)


def validate_plan(raw: RawPlan) -> PlanSpec:
    """One plan checked on its own: its ``[plan]`` table, each item, unique slugs, and the
    sections and themes its items name.

    Raises:
        ContentError: naming the file, the item and the field at fault.
    """
    year, source_language, title = _plan_table(raw)
    items: list[ItemSpec] = []
    seen: dict[str, str] = {}
    for name, raw_items in raw.files.items():
        where = raw.where(name)
        for index, table in enumerate(raw_items):
            spec = validate_item(where, index, table)
            if spec.slug in seen:
                raise ContentError(
                    where, spec.slug, "slug", f"duplicate (also in {seen[spec.slug]})"
                )
            seen[spec.slug] = where
            items.append(replace(spec, year=year, key=spec.slug))
    _check_references(items)
    return PlanSpec(year=year, source_language=source_language, title=title, items=tuple(items))


def _check_references(items: Sequence[ItemSpec]) -> None:
    by_kind: dict[str, set[str]] = {}
    for spec in items:
        by_kind.setdefault(spec.kind, set()).add(spec.slug)
    sections, themes = by_kind.get("section", set()), by_kind.get("theme", set())
    for spec in items:
        if spec.section not in sections:
            raise ContentError(
                spec.source_file, spec.slug, "section", f"no section {spec.section!r}"
            )
        for theme in spec.themes:
            if theme not in themes:
                raise ContentError(spec.source_file, spec.slug, "themes", f"no theme {theme!r}")


def validate_plans(raws: Iterable[RawPlan]) -> Plans:
    """Every plan checked on its own, then together: one plan per year, and each item's key.

    Raises:
        ContentError: naming the file, the item and the field at fault.
    """
    plans: dict[int, PlanSpec] = {}
    for raw in raws:
        plan = validate_plan(raw)
        if plan.year in plans:
            raise ContentError(raw.where(PLAN_FILE), None, "plan.year", f"{plan.year} twice")
        plans[plan.year] = plan
    ordered = [plans[year] for year in sorted(plans)]
    first_year: dict[str, int] = {}
    for plan in ordered:
        for spec in plan.items:
            first_year.setdefault(spec.slug, plan.year)
    keyed = tuple(
        replace(
            plan,
            items=tuple(
                replace(s, key=item_key(s.slug, plan.year, first_year[s.slug])) for s in plan.items
            ),
        )
        for plan in ordered
    )
    return Plans(keyed, tuple(_notes(keyed)))


def _notes(plans: Sequence[PlanSpec]) -> list[str]:
    # A slug that ends in an earlier plan's year was most likely copied with last year's file
    # (a later year is common: "guangzhou-award-2020" in the 2019 plan).
    years = {plan.year for plan in plans}
    notes = []
    for plan in plans:
        for spec in plan.items:
            found = _YEAR_SUFFIX.search(spec.slug)
            if found and int(found.group(1)) in years and int(found.group(1)) < plan.year:
                notes.append(
                    f"{spec.source_file}: item {spec.slug!r} of the {plan.year} plan names "
                    f"{found.group(1)} (copied from that plan?)"
                )
    return notes


def read_plan(directory: Path) -> PlanSpec:
    """Read and validate one plan folder (one holding a ``plan.toml``); nothing is written.

    Raises:
        ContentError: naming the file, the item and the field at fault.
    """
    return validate_plans([read_raw(directory)]).plans[0]


def read_plans(directory: Path) -> Plans:
    """Read and validate every plan of the content folder; nothing is written.

    Raises:
        ContentError: naming the file, the item and the field at fault.
    """
    return validate_plans(read_raw(path, name) for name, path in plan_folders(directory).items())


def raw_plans(directory: Path) -> Mapping[str, RawPlan]:
    """Every plan of the content folder as written, by folder name."""
    return {name: read_raw(path, name) for name, path in plan_folders(directory).items()}
