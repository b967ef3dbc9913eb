"""plan years: items.plan_year, longer item keys

Several plans side by side (issue 18): each item records its plan's year, and an item whose
slug an earlier plan uses too is keyed ``<slug>@<year>`` (up to 45 characters), in the items,
the subscriptions, the deliveries and the announcements. ``plan_year`` stays empty until the
next content load fills it (start-up loads the content, and the index reads an empty one as
the only plan's year). Downgrading fails if a key longer than 40 characters is stored.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 22:32:05.846922
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.alter_column(
            "target",
            existing_type=sa.VARCHAR(length=40),
            type_=sa.String(length=64),
            existing_nullable=False,
        )

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.alter_column(
            "item_slug",
            existing_type=sa.VARCHAR(length=40),
            type_=sa.String(length=64),
            existing_nullable=True,
        )

    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("plan_year", sa.Integer(), nullable=True))
        batch_op.alter_column(
            "slug",
            existing_type=sa.VARCHAR(length=40),
            type_=sa.String(length=64),
            existing_nullable=False,
        )

    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.alter_column(
            "target",
            existing_type=sa.VARCHAR(length=40),
            type_=sa.String(length=64),
            existing_nullable=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.alter_column(
            "target",
            existing_type=sa.String(length=64),
            type_=sa.VARCHAR(length=40),
            existing_nullable=False,
        )

    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.alter_column(
            "slug",
            existing_type=sa.String(length=64),
            type_=sa.VARCHAR(length=40),
            existing_nullable=False,
        )
        batch_op.drop_column("plan_year")

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.alter_column(
            "item_slug",
            existing_type=sa.String(length=64),
            type_=sa.VARCHAR(length=40),
            existing_nullable=True,
        )

    with op.batch_alter_table("announcements", schema=None) as batch_op:
        batch_op.alter_column(
            "target",
            existing_type=sa.String(length=64),
            type_=sa.VARCHAR(length=40),
            existing_nullable=False,
        )
