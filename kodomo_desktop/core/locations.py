"""Where things live: the user's database, the shipped migrations, seed and resources.

`db/` and `resources/` sit beside the package in a checkout; a wheel carries them
inside the package as `_db/` and `_resources/` (see pyproject.toml), and a frozen
bundle the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "kodomo-desktop"
DB_ENV = "KODOMO_DB"
DB_FILENAME = "kodomo.sqlite"
DB_CONFIG_FILENAME = "database.url"
CACHE_ENV = "KODOMO_CACHE_DIR"

_PACKAGE = Path(__file__).resolve().parents[1]


def _shipped(name: str) -> Path:
    inside = _PACKAGE / f"_{name}"
    return inside if inside.is_dir() else _PACKAGE.parent / name


def db_dir() -> Path:
    """Alembic scripts (env.py, versions/) and the seed edition."""
    return _shipped("db")


def resources_dir() -> Path:
    return _shipped("resources")


def seed_edition_path() -> Path:
    return db_dir() / "seed" / "edition-2024.json"


def seed_report_path() -> Path:
    return db_dir() / "seed" / "report-2024.json"


def user_data_dir() -> Path:
    from platformdirs import user_data_dir as platform_user_data_dir

    return Path(platform_user_data_dir(APP_NAME, appauthor=False))


def user_cache_dir() -> Path:
    """What can be rebuilt from other files (parsed font tables); KODOMO_CACHE_DIR overrides it."""
    if explicit := os.environ.get(CACHE_ENV):
        return Path(explicit)
    from platformdirs import user_cache_dir as platform_user_cache_dir

    return Path(platform_user_cache_dir(APP_NAME, appauthor=False))


def database_target(explicit: str | None = None) -> str:
    """--db beats KODOMO_DB beats the user's database.url beats the user data folder.

    A file path or a SQLAlchemy URL (see core.database_url).
    """
    if explicit or os.environ.get(DB_ENV):
        return explicit or os.environ[DB_ENV]
    from kodomo_desktop.core.database_url import configured_target

    return configured_target(database_config_path()) or str(user_data_dir() / DB_FILENAME)


def database_config_path() -> Path:
    """The per-user file naming the database (a server's URL): database.url in the user config folder."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / DB_CONFIG_FILENAME
