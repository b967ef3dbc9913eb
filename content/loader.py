"""Store the work plans read by :mod:`content.plans`: all or nothing, idempotent, by key."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.db.engine import Database
from bot.db.locks import xact_lock
from bot.db.models import Heartbeat, Item, utcnow
from content.plans import Plans, fingerprint, read_plans
from content.schema import ItemSpec, PlanSpec

__all__ = ["ContentChange", "LoadResult", "apply_plan", "sync_content"]

_FINGERPRINT_KEY = "content"
# Fields whose change subscribers hear about.
NOTABLE_FIELDS = ("status", "when", "place", "link")


@dataclass(frozen=True)
class ContentChange:
    """What a reload did to one item."""

    slug: str  # the item's key
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
        "plan_year": spec.year,
    }


def _snapshot(row: Item) -> dict[str, Any]:
    return {
        "status": row.status,
        "when": row.when_raw,
        "place": (row.data or {}).get("place"),
        "link": (row.data or {}).get("link"),
        "title": (row.data or {}).get("title"),
    }


def _as_plans(plan: PlanSpec | Plans) -> Plans:
    if isinstance(plan, Plans):
        return plan
    # One plan on its own: each item is its own key.
    items = tuple(replace(s, year=plan.year, key=s.key or s.slug) for s in plan.items)
    return Plans((replace(plan, items=items),))


async def apply_plan(db: Database, plan: PlanSpec | Plans) -> LoadResult:
    """Upsert every item of every plan by key in one transaction; items gone from the files
    are marked removed.

    Loading the same plans twice changes nothing (and reports no change).
    """
    plans = _as_plans(plan)
    changes: list[ContentChange] = []
    now = utcnow()
    async with db.write() as session:
        await xact_lock(session, "content")  # processes starting together load it once
        existing = {row.slug: row for row in (await session.scalars(select(Item))).all()}
        for spec in plans.items:
            row = existing.pop(spec.key, None)
            columns = _columns(spec)
            if row is None:
                session.add(
                    Item(slug=spec.key, sequence=0, updated_at=now, overrides={}, **columns)
                )
                changes.append(ContentChange(spec.key, spec.kind, "added"))
                continue
            if row.content_hash == columns["content_hash"] and not row.removed:
                # Where it is written and which plan holds it follow the files quietly: moving
                # the 2019 files into 2019/ is no news to anyone.
                row.source_file, row.plan_year = spec.source_file, spec.year
                continue
            before = _snapshot(row)
            for name, value in columns.items():
                setattr(row, name, value)
            row.removed = False
            row.sequence += 1
            row.updated_at = now
            after = _snapshot(row)
            fields = tuple(name for name in before if before[name] != after[name])
            changes.append(ContentChange(spec.key, spec.kind, "changed", fields, before, after))
        for row in existing.values():
            if not row.removed:
                row.removed = True
                row.sequence += 1
                row.updated_at = now
                changes.append(ContentChange(row.slug, row.kind, "removed", before=_snapshot(row)))
        meta = await session.get(Heartbeat, "plan")
        plan_meta = {"plans": [p.meta() for p in plans.plans]}
        if meta is None:
            session.add(Heartbeat(name="plan", at=now, detail=plan_meta))
        elif meta.detail != plan_meta:
            meta.detail, meta.at = plan_meta, now
    return LoadResult(changes=tuple(changes), total=len(plans.items))


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
    result = await apply_plan(db, read_plans(directory))
    async with db.write() as session:
        await xact_lock(session, "content")
        mark = await session.get(Heartbeat, _FINGERPRINT_KEY)
        if mark is None:
            session.add(Heartbeat(name=_FINGERPRINT_KEY, detail={"fingerprint": print_}))
        else:
            mark.detail = {"fingerprint": print_}
            mark.at = utcnow()
    return result
