"""Kept messages: what came while the assistant was down, until it is answered.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kept_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("door", sa.String(64), nullable=False, index=True),
        sa.Column("chat", sa.String(64), nullable=False),
        sa.Column("sender", sa.String(255), nullable=False),
        sa.Column("key", sa.String(64), nullable=False, index=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("kept_messages")
