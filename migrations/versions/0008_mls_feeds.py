"""MLS feeds: each feed's cursor and counts, the raw records kept for replay, and a listing's feed key.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch: SQLite's table copy would lose the expression indexes on listings.
    op.add_column("listings", sa.Column("feed_listing_key", sa.String(length=64), nullable=True))
    op.add_column("listings", sa.Column("feed_modification_timestamp", _WHEN, nullable=True))
    # The feed's key first: a page's lookup is by a list of keys, which the index then finds directly.
    op.create_index(
        "uq_listings_feed_key", "listings", ["feed_listing_key", "originating_system_name"], unique=True
    )
    op.create_table(
        "feeds",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("cursor_timestamp", _WHEN, nullable=True),
        sa.Column("cursor_key", sa.String(length=64), nullable=True),
        sa.Column("lease_holder", sa.String(length=100), nullable=True),
        sa.Column("lease_until", _WHEN, nullable=True),
        sa.Column("last_started_at", _WHEN, nullable=True),
        sa.Column("last_finished_at", _WHEN, nullable=True),
        sa.Column("last_success_at", _WHEN, nullable=True),
        sa.Column("last_reconciled_at", _WHEN, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_run", _JSON, nullable=False),
        sa.Column("imported", sa.BigInteger(), nullable=False),
        sa.Column("withdrawn", sa.BigInteger(), nullable=False),
        sa.Column("failed", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_feeds")),
    )
    op.create_table(
        "feed_records",
        sa.Column("id", _ID, nullable=False),
        sa.Column("feed", sa.String(length=100), nullable=False),
        sa.Column("listing_key", sa.String(length=64), nullable=True),
        sa.Column("modification_timestamp", _WHEN, nullable=True),
        sa.Column("received_at", _WHEN, nullable=False),
        sa.Column("payload", _JSON, nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feed_records")),
    )
    op.create_index(
        "ix_feed_records_feed_key", "feed_records", ["feed", "listing_key", "modification_timestamp"]
    )


def downgrade() -> None:
    op.drop_index("ix_feed_records_feed_key", table_name="feed_records")
    op.drop_table("feed_records")
    op.drop_table("feeds")
    op.drop_index("uq_listings_feed_key", table_name="listings")
    op.drop_column("listings", "feed_modification_timestamp")
    op.drop_column("listings", "feed_listing_key")
