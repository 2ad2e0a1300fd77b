"""Offers: the counter chain with one active offer per buyer, their events, review flags, offer expiry.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = sa.DateTime(timezone=True)
_ACTIVE = sa.text("status = 'pending'")
_OPEN = sa.text("cleared_at IS NULL")


def upgrade() -> None:
    op.add_column(
        "listings", sa.Column("offer_expiry_hours", sa.Integer(), server_default="48", nullable=False)
    )
    op.create_table(
        "offers",
        sa.Column("id", _ID, nullable=False),
        sa.Column("listing_id", _ID, nullable=False),
        sa.Column("buyer_id", _ID, nullable=False),
        sa.Column("made_by", sa.String(length=8), nullable=False),
        sa.Column("made_by_person_id", _ID, nullable=True),
        sa.Column("answers_id", _ID, nullable=True),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("currency_code", sa.String(length=3), nullable=False),
        sa.Column("position", sa.String(length=16), nullable=True),
        sa.Column("completion_date", sa.Date(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("expires_at", _WHEN, nullable=False),
        sa.Column("answered_at", _WHEN, nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["listing_id"], ["listings.id"], name=op.f("fk_offers_listing_id_listings"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["persons.id"], name=op.f("fk_offers_buyer_id_persons"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["made_by_person_id"],
            ["persons.id"],
            name=op.f("fk_offers_made_by_person_id_persons"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["answers_id"], ["offers.id"], name=op.f("fk_offers_answers_id_offers"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offers")),
    )
    # A buyer negotiates one offer at a time, across all listings.
    op.create_index(
        "uq_offers_one_active_per_buyer",
        "offers",
        ["buyer_id"],
        unique=True,
        postgresql_where=_ACTIVE,
        sqlite_where=_ACTIVE,
    )
    op.create_index("ix_offers_listing_status", "offers", ["listing_id", "status"])
    op.create_index("ix_offers_status_expires", "offers", ["status", "expires_at"])
    op.create_index("ix_offers_buyer_created", "offers", ["buyer_id", "created_at"])
    op.create_index(op.f("ix_offers_answers_id"), "offers", ["answers_id"])
    op.create_table(
        "offer_events",
        sa.Column("id", _ID, nullable=False),
        sa.Column("offer_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("actor_id", _ID, nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.Column("at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_offer_events_offer_id_offers"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["persons.id"], name=op.f("fk_offer_events_actor_id_persons"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer_events")),
    )
    op.create_index(op.f("ix_offer_events_offer_id"), "offer_events", ["offer_id"])
    op.create_table(
        "review_flags",
        sa.Column("id", _ID, nullable=False),
        sa.Column("person_id", _ID, nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("flagged_at", _WHEN, nullable=False),
        sa.Column("cleared_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_review_flags_person_id_persons"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_flags")),
    )
    op.create_index(op.f("ix_review_flags_person_id"), "review_flags", ["person_id"])
    op.create_index(
        "uq_review_flags_open",
        "review_flags",
        ["person_id", "reason"],
        unique=True,
        postgresql_where=_OPEN,
        sqlite_where=_OPEN,
    )


def downgrade() -> None:
    op.drop_table("review_flags")
    op.drop_table("offer_events")
    op.drop_table("offers")
    op.drop_column("listings", "offer_expiry_hours")
