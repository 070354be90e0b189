"""One name for one concept: the table of kept check results (was "screenings").

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_screenings_person_id", "screenings")
    op.rename_table("screenings", "check_results")
    with op.batch_alter_table("check_results") as table:  # SQLite rebuilds the table
        table.alter_column("program", new_column_name="check_id")
    op.create_index("ix_check_results_person_id", "check_results", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_check_results_person_id", "check_results")
    with op.batch_alter_table("check_results") as table:
        table.alter_column("check_id", new_column_name="program")
    op.rename_table("check_results", "screenings")
    op.create_index("ix_screenings_person_id", "screenings", ["person_id"])
