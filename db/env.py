"""Alembic environment: called from kodomo_desktop.core.migrations with an open connection."""

from alembic import context

from kodomo_desktop.core.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("migrations run through kodomo_desktop.core.migrations.upgrade_to_head")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
)
with context.begin_transaction():
    context.run_migrations()
