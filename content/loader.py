"""Read, validate and store the work plan: all or nothing, idempotent, by slug."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.db.engine import Database
from bot.db.locks import xact_lock
from bot.db.models import Heartbeat, Item, utcnow
from content.schema import LANGUAGES, ContentError, ItemSpec, PlanSpec, validate_item

__all__ = ["ContentChange", "LoadResult", "apply_plan", "fingerprint", "read_plan", "sync_content"]

PLAN_FILE = "plan.toml"
_FINGERPRINT_KEY = "content"
# Fields whose change subscribers hear about.
NOTABLE_FIELDS = ("status", "when", "place", "link")


@dataclass(frozen=True)
class ContentChange:
    """What a reload did to one item."""

    slug: str
    kind: str
    change: str  # added | changed | removed
    fields: tuple[str, ...] = ()
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadResult:
    """The outcome of storing a plan."""

    changes: tuple[ContentChange, ...]
    total: int

    @property
    def changed(self) -> bool:
        """Whether anything was added, changed or removed."""
        return bool(self.changes)


def fingerprint(directory: Path) -> str:
    """A cheap digest of the content files' names, sizes and modification times."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.toml")):
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


def read_plan(directory: Path) -> PlanSpec:
    """Read and validate every content file of ``directory``; nothing is written.

    Raises:
        ContentError: naming the file, the item and the field at fault.
    """
    plan_path = directory / PLAN_FILE
    if not plan_path.is_file():
        raise ContentError(PLAN_FILE, None, None, f"missing in {directory}")
    plan_raw = _load_toml(plan_path).get("plan")
    if not isinstance(plan_raw, dict):
        raise ContentError(PLAN_FILE, None, "plan", "a [plan] table is required")
    year = plan_raw.get("year")
    if not isinstance(year, int) or not 1990 <= year <= 2100:
        raise ContentError(PLAN_FILE, None, "plan.year", "must be a year such as 2019")
    source_language = plan_raw.get("source_language", "es")
    if source_language not in LANGUAGES:
        raise ContentError(PLAN_FILE, None, "plan.source_language", "must be es, en or fr")
    title = plan_raw.get("title") or {}
    if not isinstance(title, dict) or any(not title.get(lang) for lang in LANGUAGES):
        raise ContentError(PLAN_FILE, None, "plan.title", "needs es, en and fr")

    items: list[ItemSpec] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.toml")):
        if path.name == PLAN_FILE:
            continue
        raw_items = _load_toml(path).get("item", [])
        if not isinstance(raw_items, list):
            raise ContentError(path.name, None, "item", "use [[item]] tables")
        for index, raw in enumerate(raw_items):
            spec = validate_item(path.name, index, raw)
            if spec.slug in seen:
                raise ContentError(
                    path.name, spec.slug, "slug", f"duplicate (also in {seen[spec.slug]})"
                )
            seen[spec.slug] = path.name
            items.append(spec)
    _check_references(items)
    return PlanSpec(
        year=year, source_language=source_language, title=dict(title), items=tuple(items)
    )


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(path.name, None, None, f"not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ContentError(path.name, None, None, "not UTF-8 text") from None


def _check_references(items: Iterable[ItemSpec]) -> None:
    by_kind: dict[str, set[str]] = {}
    items = list(items)
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


def _columns(spec: ItemSpec) -> dict[str, Any]:
    return {
        "kind": spec.kind,
        "section": spec.section,
        "when_raw": spec.when.raw,
        "precision": spec.when.precision,
        "date_start": spec.when.start,
        "date_end": spec.when.end,
        "status": spec.status,
        "themes": list(spec.themes),
        "data": spec.data(),
        "content_hash": spec.content_hash(),
        "source_file": spec.source_file,
    }


def _snapshot(row: Item) -> dict[str, Any]:
    return {
        "status": row.status,
        "when": row.when_raw,
        "place": (row.data or {}).get("place"),
        "link": (row.data or {}).get("link"),
        "title": (row.data or {}).get("title"),
    }


async def apply_plan(db: Database, plan: PlanSpec) -> LoadResult:
    """Upsert every item by slug in one transaction; items gone from the files are marked removed.

    Loading the same plan twice changes nothing (and reports no change).
    """
    changes: list[ContentChange] = []
    now = utcnow()
    async with db.write() as session:
        await xact_lock(session, "content")  # processes starting together load it once
        existing = {row.slug: row for row in (await session.scalars(select(Item))).all()}
        for spec in plan.items:
            row = existing.pop(spec.slug, None)
            columns = _columns(spec)
            if row is None:
                session.add(
                    Item(slug=spec.slug, sequence=0, updated_at=now, overrides={}, **columns)
                )
                changes.append(ContentChange(spec.slug, spec.kind, "added"))
                continue
            if row.content_hash == columns["content_hash"] and not row.removed:
                continue
            before = _snapshot(row)
            for name, value in columns.items():
                setattr(row, name, value)
            row.removed = False
            row.sequence += 1
            row.updated_at = now
            after = _snapshot(row)
            fields = tuple(name for name in before if before[name] != after[name])
            changes.append(ContentChange(spec.slug, spec.kind, "changed", fields, before, after))
        for row in existing.values():
            if not row.removed:
                row.removed = True
                row.sequence += 1
                row.updated_at = now
                changes.append(ContentChange(row.slug, row.kind, "removed", before=_snapshot(row)))
        meta = await session.get(Heartbeat, "plan")
        plan_meta = {
            "year": plan.year,
            "source_language": plan.source_language,
            "title": plan.title,
        }
        if meta is None:
            session.add(Heartbeat(name="plan", at=now, detail=plan_meta))
        elif meta.detail != plan_meta:
            meta.detail, meta.at = plan_meta, now
    return LoadResult(changes=tuple(changes), total=len(plan.items))


async def sync_content(db: Database, directory: Path, *, force: bool = False) -> LoadResult | None:
    """Reload the content when its files changed since the last load (or when ``force``).

    Returns:
        The load result, or ``None`` when the files had not changed.

    Raises:
        ContentError: The files are broken; the database is left as it was.
    """
    print_ = fingerprint(directory)
    async with db.read() as session:
        mark = await session.get(Heartbeat, _FINGERPRINT_KEY)
        current = mark.detail.get("fingerprint") if mark else None
    if current == print_ and not force:
        return None
    result = await apply_plan(db, read_plan(directory))
    async with db.write() as session:
        await xact_lock(session, "content")
        mark = await session.get(Heartbeat, _FINGERPRINT_KEY)
        if mark is None:
            session.add(Heartbeat(name=_FINGERPRINT_KEY, detail={"fingerprint": print_}))
        else:
            mark.detail = {"fingerprint": print_}
            mark.at = utcnow()
    return result
