"""Alembic migrations of the bot's schema (SQLite and PostgreSQL); see :mod:`bot.db.schema`."""
