"""indexes for looking programs up by placement and by division

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("placement") as batch_op:
        batch_op.create_index(op.f("ix_placement_program_id"), ["program_id"], unique=False)
    with op.batch_alter_table("program_division") as batch_op:
        batch_op.create_index(op.f("ix_program_division_division_id"), ["division_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("program_division") as batch_op:
        batch_op.drop_index(op.f("ix_program_division_division_id"))
    with op.batch_alter_table("placement") as batch_op:
        batch_op.drop_index(op.f("ix_placement_program_id"))
