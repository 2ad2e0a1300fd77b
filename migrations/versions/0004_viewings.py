"""Viewings: each listing's viewing hours and date overrides, and bookings that never overlap.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "viewing_settings",
        sa.Column("listing_id", _ID, nullable=False),
        sa.Column("weekly", _JSON, nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("notice_minutes", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=False),
        sa.Column("buffer_minutes", sa.Integer(), nullable=False),
        sa.Column("max_viewers", sa.Integer(), nullable=False),
        sa.Column("instant", sa.Boolean(), nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_viewing_settings_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("listing_id", name=op.f("pk_viewing_settings")),
    )
    op.create_table(
        "viewing_overrides",
        sa.Column("id", _ID, nullable=False),
        sa.Column("listing_id", _ID, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("windows", _JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_viewing_overrides_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_viewing_overrides")),
        sa.UniqueConstraint("listing_id", "day", name="uq_viewing_overrides_listing_day"),
    )
    op.create_table(
        "viewings",
        sa.Column("id", _ID, nullable=False),
        sa.Column("listing_id", _ID, nullable=False),
        sa.Column("buyer_id", _ID, nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("starts_at", _WHEN, nullable=False),
        sa.Column("ends_at", _WHEN, nullable=False),
        sa.Column("blocked_until", _WHEN, nullable=False),
        sa.Column("viewers", sa.Integer(), nullable=False),
        sa.Column("hold_expires_at", _WHEN, nullable=True),
        sa.Column("requested_at", _WHEN, nullable=True),
        sa.Column("confirmed_at", _WHEN, nullable=True),
        sa.Column("answered_at", _WHEN, nullable=True),
        sa.Column("cancelled_at", _WHEN, nullable=True),
        sa.Column("cancelled_by", sa.String(length=12), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("rescheduled_from_id", _ID, nullable=True),
        sa.Column("proposals", _JSON, nullable=False),
        sa.Column("nudged_at", _WHEN, nullable=True),
        sa.Column("reminded_24h_at", _WHEN, nullable=True),
        sa.Column("reminded_1h_at", _WHEN, nullable=True),
        sa.Column("calendar_token", sa.String(length=32), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["persons.id"], name=op.f("fk_viewings_buyer_id_persons"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"], ["listings.id"], name=op.f("fk_viewings_listing_id_listings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["rescheduled_from_id"],
            ["viewings.id"],
            name=op.f("fk_viewings_rescheduled_from_id_viewings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_viewings")),
        sa.UniqueConstraint("calendar_token", name=op.f("uq_viewings_calendar_token")),
    )
    op.create_index("ix_viewings_listing_starts", "viewings", ["listing_id", "starts_at"])
    op.create_index("ix_viewings_buyer_starts", "viewings", ["buyer_id", "starts_at"])
    op.create_index("ix_viewings_status_starts", "viewings", ["status", "starts_at"])
    if op.get_bind().dialect.name == "postgresql":
        # JSONB reorders keys; the recent-choices map keeps its newest entries, so it needs insertion order.
        op.alter_column(
            "dialog_states",
            "recent_choices",
            type_=sa.JSON(),
            existing_type=JSONB(),
            postgresql_using="recent_choices::json",
        )
        # Two held or confirmed bookings of one listing may never share a moment of [start, end + buffer).
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE viewings ADD CONSTRAINT ex_viewings_no_overlap EXCLUDE USING gist "
            "(listing_id WITH =, tstzrange(starts_at, blocked_until, '[)') WITH &&) "
            "WHERE (status IN ('held', 'confirmed'))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(
            "dialog_states",
            "recent_choices",
            type_=JSONB(),
            existing_type=sa.JSON(),
            postgresql_using="recent_choices::jsonb",
        )
    op.drop_table("viewings")
    op.drop_table("viewing_overrides")
    op.drop_table("viewing_settings")
