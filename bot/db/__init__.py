"""The database layer: models, engine, migrations and queries. It serves the core and the
scheduler with the values they hand it, and reads no settings of its own."""

__all__ = ["DEFAULT_URL"]

# The embedded default database (``DATABASE_URL`` unset): one SQLite file under var/. Here,
# in the package's light __init__, so that the settings can name it without loading SQLAlchemy.
DEFAULT_URL = "sqlite+aiosqlite:///var/metropolis.db"
