"""People prove a phone by one-time code, keep quiet hours and a preferred channel, and can be merged.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "otp_codes",
        sa.Column("id", _ID, nullable=False),
        sa.Column("person_id", _ID, nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("issued_at", _WHEN, nullable=True),
        sa.Column("expires_at", _WHEN, nullable=True),
        sa.Column("used_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_otp_codes_person_id_persons"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_otp_codes")),
    )
    op.create_index("ix_otp_codes_person_created", "otp_codes", ["person_id", "created_at"])
    op.create_index("ix_otp_codes_phone_created", "otp_codes", ["phone", "created_at"])
    op.create_table(
        "otp_attempts",
        sa.Column("id", _ID, nullable=False),
        sa.Column("person_id", _ID, nullable=False),
        sa.Column("otp_id", _ID, nullable=True),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("attempted_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["otp_id"], ["otp_codes.id"], name=op.f("fk_otp_attempts_otp_id_otp_codes"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_otp_attempts_person_id_persons"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_otp_attempts")),
    )
    op.create_index("ix_otp_attempts_person_at", "otp_attempts", ["person_id", "attempted_at"])
    op.create_table(
        "person_merges",
        sa.Column("id", _ID, nullable=False),
        sa.Column("survivor_id", _ID, nullable=False),
        sa.Column("merged_person_id", _ID, nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("moved", sa.String(length=500), nullable=False),
        sa.Column("merged_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["survivor_id"],
            ["persons.id"],
            name=op.f("fk_person_merges_survivor_id_persons"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_merges")),
    )
    op.create_index(op.f("ix_person_merges_survivor_id"), "person_merges", ["survivor_id"])
    with op.batch_alter_table("persons") as batch:
        batch.add_column(sa.Column("phone", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("phone_verified_at", _WHEN, nullable=True))
        batch.add_column(sa.Column("quiet_start", sa.Time(), nullable=True))
        batch.add_column(sa.Column("quiet_end", sa.Time(), nullable=True))
        batch.add_column(sa.Column("preferred_channel", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("onboarded_at", _WHEN, nullable=True))
        batch.create_unique_constraint(op.f("uq_persons_phone"), ["phone"])
    persons = sa.table("persons", sa.column("quiet_start", sa.Time()), sa.column("quiet_end", sa.Time()))
    op.execute(persons.update().values(quiet_start=time(22, 0), quiet_end=time(8, 0)))


def downgrade() -> None:
    with op.batch_alter_table("persons") as batch:
        batch.drop_constraint(op.f("uq_persons_phone"), type_="unique")
        for column in ("onboarded_at", "preferred_channel", "quiet_end", "quiet_start"):
            batch.drop_column(column)
        batch.drop_column("phone_verified_at")
        batch.drop_column("phone")
    op.drop_index(op.f("ix_person_merges_survivor_id"), table_name="person_merges")
    op.drop_table("person_merges")
    op.drop_index("ix_otp_attempts_person_at", table_name="otp_attempts")
    op.drop_table("otp_attempts")
    op.drop_index("ix_otp_codes_phone_created", table_name="otp_codes")
    op.drop_index("ix_otp_codes_person_created", table_name="otp_codes")
    op.drop_table("otp_codes")
