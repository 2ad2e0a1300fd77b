"""Listings in chat: RESO address, price and source fields, drafts, stored photos, sellers a broker invites.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = sa.DateTime(timezone=True)
_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_PENDING = sa.text("status = 'pending'")


def _listing_columns() -> list[sa.Column[object]]:
    """The new listings columns, built afresh for each use (a Column belongs to one table)."""
    return [
        sa.Column("listing_id", sa.String(length=64), nullable=True),
        sa.Column("original_list_price", sa.Numeric(14, 2), nullable=True),
        sa.Column("close_price", sa.Numeric(14, 2), nullable=True),
        sa.Column("street_number", sa.String(length=20), nullable=True),
        sa.Column("street_name", sa.String(length=100), nullable=True),
        sa.Column("state_or_province", sa.String(length=100), nullable=True),
        sa.Column("photos_change_timestamp", _WHEN, nullable=True),
        sa.Column("originating_system_name", sa.String(length=100), nullable=True),
        sa.Column("source", sa.String(length=120), server_default="chat", nullable=False),
    ]


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch: SQLite's table copy would lose the expression indexes on listings.
    for column in _listing_columns():
        op.add_column("listings", column)
    # Every listing so far came from the demo seed or was put in the database by hand.
    op.execute(
        "UPDATE listings SET source = 'demo', original_list_price = list_price, listing_id = listing_key"
    )
    with op.batch_alter_table("listing_media") as batch:
        batch.add_column(sa.Column("media_key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("telegram_file_id", sa.String(length=200), nullable=True))
        batch.create_unique_constraint(op.f("uq_listing_media_media_key"), ["media_key"])
    op.create_table(
        "stored_media",
        sa.Column("media_key", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("media_key", name=op.f("pk_stored_media")),
    )
    op.create_table(
        "listing_drafts",
        sa.Column("id", _ID, nullable=False),
        sa.Column("person_id", _ID, nullable=False),
        sa.Column("fields", _JSON, nullable=False),
        sa.Column("photos", _JSON, nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_listing_drafts_person_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_listing_drafts")),
        sa.UniqueConstraint("person_id", name=op.f("uq_listing_drafts_person_id")),
    )
    op.create_table(
        "seller_invitations",
        sa.Column("id", _ID, nullable=False),
        sa.Column("listing_id", _ID, nullable=False),
        sa.Column("broker_id", _ID, nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("invitee_id", _ID, nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("answered_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["listings.id"],
            name=op.f("fk_seller_invitations_listing_id_listings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["broker_id"],
            ["persons.id"],
            name=op.f("fk_seller_invitations_broker_id_persons"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invitee_id"],
            ["persons.id"],
            name=op.f("fk_seller_invitations_invitee_id_persons"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_seller_invitations")),
    )
    op.create_index(op.f("ix_seller_invitations_listing_id"), "seller_invitations", ["listing_id"])
    op.create_index(op.f("ix_seller_invitations_invitee_id"), "seller_invitations", ["invitee_id"])
    op.create_index(
        "uq_seller_invitations_pending",
        "seller_invitations",
        ["listing_id"],
        unique=True,
        postgresql_where=_PENDING,
        sqlite_where=_PENDING,
    )


def downgrade() -> None:
    op.drop_index("uq_seller_invitations_pending", table_name="seller_invitations")
    op.drop_index(op.f("ix_seller_invitations_invitee_id"), table_name="seller_invitations")
    op.drop_index(op.f("ix_seller_invitations_listing_id"), table_name="seller_invitations")
    op.drop_table("seller_invitations")
    op.drop_table("listing_drafts")
    op.drop_table("stored_media")
    with op.batch_alter_table("listing_media") as batch:
        batch.drop_constraint(op.f("uq_listing_media_media_key"), type_="unique")
        batch.drop_column("telegram_file_id")
        batch.drop_column("media_key")
    for column in reversed(_listing_columns()):
        op.drop_column("listings", column.name)
