"""Migrations: they build the models' schema on SQLite and PostgreSQL, once, under a lock."""

from __future__ import annotations

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, String, Table, text

from bot.db import schema
from bot.db.engine import Database
from bot.db.models import Base


async def test_migrations_build_exactly_the_models_schema(db: Database) -> None:
    diff = await schema.differences(db)
    assert diff == [], (
        "the migrations and bot/db/models.py disagree; write a migration with "
        f'`python -m bot db revision -m "…"` and review it. Differences: {diff}'
    )
    assert await schema.current_revision(db) == schema.head_revision()


async def test_the_comparison_sees_a_model_change(db: Database) -> None:
    # The test above would catch drift: a column the migrations lack is reported.
    drifted = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(drifted)
    Table("heartbeats", drifted, Column("extra", String(8)), extend_existing=True)
    Table("new_table", drifted, Column("id", Integer, primary_key=True))

    def compare(connection: object) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})  # type: ignore[arg-type]
        return list(compare_metadata(context, drifted))

    async with db.engine.connect() as connection:
        diff = await connection.run_sync(compare)
    kinds = {(d[0], getattr(d[-1], "name", None)) for d in diff}
    assert ("add_column", "extra") in kinds
    assert ("add_table", "new_table") in kinds


def test_head_is_read_without_alembic_exactly_as_alembic_reads_it() -> None:
    script = ScriptDirectory.from_config(schema.alembic_config())
    assert [schema.head_revision()] == script.get_heads()
    assert set(schema._revision_graph()) == {rev.revision for rev in script.walk_revisions()}


async def test_empty_database_is_migrated_once_and_then_left_alone(database_url: str) -> None:
    db = Database(database_url)
    try:
        assert await schema.is_empty(db)
        assert await schema.current_revision(db) is None
        first = await schema.ensure_schema(db)
        assert first is not None and first.before is None and first.after == schema.head_revision()
        assert not await schema.is_empty(db)
        assert await schema.is_at_head(db)
        assert await schema.ensure_schema(db) is None
        again = await schema.upgrade(db)
        assert not again.changed
    finally:
        await db.dispose()


async def test_downgrade_to_base_and_back(db: Database) -> None:
    await schema.downgrade(db, "base")
    assert await schema.current_revision(db) is None
    async with db.engine.connect() as connection:
        tables = await connection.run_sync(schema._tables)
    assert set(tables) <= {schema.VERSION_TABLE}
    await schema.upgrade(db)
    assert await schema.differences(db) == []


async def test_processes_starting_together_migrate_once(database_url: str) -> None:
    # Five "processes" (engines with their own connections) start on one empty database.
    databases = [Database(database_url) for _ in range(5)]
    try:
        results = await asyncio.gather(*(schema.ensure_schema(d) for d in databases))
        migrated = [r for r in results if r is not None and r.changed]
        assert len(migrated) == 1
        assert await schema.differences(databases[0]) == []
        async with databases[0].engine.connect() as connection:
            rows = (await connection.execute(text("SELECT version_num FROM alembic_version"))).all()
        assert [r[0] for r in rows] == [schema.head_revision()]
    finally:
        for d in databases:
            await d.dispose()


async def test_database_made_by_create_all_is_adopted(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        result = await schema.ensure_schema(db)
        assert result is not None and result.adopted
        assert await schema.current_revision(db) == schema.head_revision()
    finally:
        await db.dispose()


async def test_database_unlike_the_models_is_refused_not_touched(database_url: str) -> None:
    db = Database(database_url)
    try:
        async with db.engine.begin() as connection:
            await connection.execute(text("CREATE TABLE users (id INTEGER PRIMARY KEY)"))
        with pytest.raises(schema.SchemaError, match="differ from the models"):
            await schema.ensure_schema(db)
        assert await schema.current_revision(db) is None
    finally:
        await db.dispose()


async def test_database_from_newer_code_is_left_alone(db: Database) -> None:
    async with db.engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = 'future'"))
    assert await schema.ensure_schema(db) is None
    assert await schema.current_revision(db) == "future"
