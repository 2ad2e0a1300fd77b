"""Outbox rows track the provider's delivery status and error code, and which row they stand in for.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("provider_status", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("error_code", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("fallback_of", _ID, nullable=True))
        batch.create_foreign_key(
            op.f("fk_outbox_fallback_of_outbox"), "outbox", ["fallback_of"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_outbox_provider_message_id", ["channel", "provider_message_id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_provider_message_id")
        batch.drop_constraint(op.f("fk_outbox_fallback_of_outbox"), type_="foreignkey")
        batch.drop_column("fallback_of")
        batch.drop_column("error_code")
        batch.drop_column("provider_status")
