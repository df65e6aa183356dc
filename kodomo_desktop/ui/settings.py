"""The window's persistent settings, each declared once with its default (over QSettings).

The settings object is passed in, never looked up globally, so tests hand the window a
QSettings file in a temporary folder and never touch the user's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

ORGANIZATION = "kodomo-desktop"
APPLICATION = "kodomo-desktop"


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any

    @property
    def type(self) -> type:
        return type(self.default)


# --- the window as it was left: layout and what it showed (MainWindow._restore_layout, closeEvent)
WINDOW_GEOMETRY = Setting("window/geometry", QByteArray())  # with the maximized state
WINDOW_STATE = Setting("window/state", QByteArray())  # toolbars and docks
MAIN_SPLITTER = Setting("window/splitter", QByteArray())
GRID_HEADER = Setting("grid/header", QByteArray())  # column widths, order, hidden columns
GRID_COLUMNS = Setting("grid/columns", "")  # the column headings GRID_HEADER was saved with
LAST_EDITION = Setting("edition/last", 0)  # fiscal year; 0 = the newest
TREE_SCOPE = Setting("tree/scope", "all")  # the navigator's choice: tree_state.scope_key
FINDINGS_FOLDED = Setting("findings/folded", False)  # the validation panel folded to its summary line

# --- folders and choices of the file dialogs
BOOKLET_FOLDER = Setting("folders/booklet", "")
WEB_FOLDER = Setting("folders/web", "")
TEMPLATES_FOLDER = Setting("folders/templates", "")
TEMPLATES_BY = Setting("templates/by", "division")  # 部 or 課: excel.units
RETURNS_FOLDER = Setting("folders/returns", "")

# office comforts: recent databases, the file dialogs' folders, the first-start welcome
RECENT_DATABASES = Setting("database/recent", [])  # newest first
RECENT_LIMIT = 8
DATABASE_FOLDER = Setting("folders/database", "")
JSON_FOLDER = Setting("folders/json", "")
EXCEL_FOLDER = Setting("folders/excel", "")
WELCOME_SHOWN = Setting("welcome/shown", False)


class Settings:
    def __init__(self, store: QSettings):
        self.store = store
        # where file dialogs start before one was used: the window sets its database's folder
        self.first_folder: Path | None = None

    def get(self, setting: Setting) -> Any:
        """The stored value, or the default where the file holds none or something else (a damaged file)."""
        try:
            value = self.store.value(setting.key, setting.default, type=setting.type)
        except (TypeError, ValueError, RuntimeError, OverflowError):
            return setting.default
        return value if isinstance(value, setting.type) else setting.default

    def set(self, setting: Setting, value: Any) -> None:
        self.store.setValue(setting.key, value)

    def save(self) -> None:
        """Write to the file now: at quit, the event loop that would write it later is ending."""
        self.store.sync()

    def folder(self, setting: Setting) -> str:
        """Where a file dialog for this purpose starts: the folder last used for it, else the
        database's folder, else Documents, else home (never an unrelated working folder)."""
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        for candidate in (self.get(setting), self.first_folder, documents):
            if candidate and Path(candidate).is_dir():
                return str(candidate)
        return str(Path.home())

    def remember_folder(self, setting: Setting, path: str | Path) -> None:
        """Remember the folder of a file (or the folder) just chosen for this purpose."""
        path = Path(path)
        self.set(setting, str(path if path.is_dir() else path.parent))


def user_settings() -> Settings:
    """The user's own settings (an .ini file, so it can be copied to a new PC)."""
    return Settings(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION))
