"""edition issuer settings, last publication (date and snapshot), uncertain ticks of a program

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


# Only ADD COLUMN and DROP COLUMN, which SQLite does in place. A batch "recreate" (an SQL
# expression as server default, or dropping a column in batch mode) would copy and drop the
# table, and with foreign keys on, dropping edition or program deletes every row under them.


def upgrade() -> None:
    with op.batch_alter_table("edition") as batch_op:
        batch_op.add_column(sa.Column("issuer_city", sa.String(), server_default="旭川市", nullable=False))
        batch_op.add_column(sa.Column("issuer_department", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("issuer_division", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("published_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("published_snapshot", sa.Text(), nullable=True))
    with op.batch_alter_table("program") as batch_op:
        batch_op.add_column(sa.Column("uncertain_targets", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    for table, column in (
        ("program", "uncertain_targets"),
        ("edition", "published_snapshot"),
        ("edition", "published_on"),
        ("edition", "issuer_division"),
        ("edition", "issuer_department"),
        ("edition", "issuer_city"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
