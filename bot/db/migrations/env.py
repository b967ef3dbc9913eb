"""Alembic environment: runs on the connection :mod:`bot.db.schema` hands over.

The bot configures Alembic in code (no ``alembic.ini`` needed) and runs the migrations on a
connection of its own async engine through ``run_sync``; see :func:`bot.db.schema.upgrade`.
Run by the ``alembic`` command line instead (``alembic -c bot/db/migrations/alembic.ini``),
it builds that engine itself from the config's ``sqlalchemy.url``, else ``DATABASE_URL``,
else the embedded default, as the bot's settings would (the database layer reads no settings).
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from alembic import context

from bot.db import DEFAULT_URL
from bot.db.models import Base
from bot.db.schema import configure_context

config = context.config


def _run(connection: Any) -> None:
    configure_context(context, connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine(url: str) -> None:
    from bot.db.engine import Database

    db = Database(url)
    try:
        async with db.engine.begin() as connection:
            await connection.run_sync(_run)
    finally:
        await db.dispose()


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or os.environ.get("DATABASE_URL") or DEFAULT_URL


if context.is_offline_mode():
    context.configure(
        url=_url(),
        target_metadata=Base.metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()
elif config.attributes.get("connection") is not None:
    _run(config.attributes["connection"])
else:
    asyncio.run(_run_with_own_engine(_url()))
