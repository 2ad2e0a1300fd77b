"""A send holds its outbox row by a short lease, and a row whose sender died is marked in doubt.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("in_doubt", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.create_index("ix_outbox_leases", ["status", "lease_until"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_leases")
        batch.drop_column("in_doubt")
        batch.drop_column("lease_until")
