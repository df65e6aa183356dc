"""row versions: program, policy node, placement and master entries; the version a change log row made

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

VERSIONED = ("program", "policy_node", "placement", "department", "division")

# ADD COLUMN and DROP COLUMN only, which SQLite does in place (see 0003: a batch "recreate"
# would drop the table, and with foreign keys on that deletes every row under it).


def upgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    with op.batch_alter_table("change_log") as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in ("change_log", *VERSIONED):
        op.execute(f"ALTER TABLE {table} DROP COLUMN version")
