"""Alembic, driven from code: no alembic.ini, scripts in db/ (package data when installed)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from kodomo_desktop.core import locations

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from kodomo_desktop.core.database import Database


def alembic_config(db: Database | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(locations.db_dir()))
    if db is not None:
        cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    return cfg


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade_to_head(db: Database, connection: Connection | None = None) -> None:
    """Migrate in a transaction of its own, or inside connection's (a server database's first start)."""
    cfg = alembic_config(db)
    if connection is not None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")
        return
    with db.engine.begin() as own:
        cfg.attributes["connection"] = own
        command.upgrade(cfg, "head")
