"""Shared fixtures: real SQLite files in a temporary folder, small real documents.

Migrating a database and importing an edition take most of a database test's time, so
each kind of database is built once per session as a template; every test gets its own
copy of the file.

With KODOMO_TEST_POSTGRES set to a PostgreSQL server's URL (its maintenance database, e.g.
postgresql+psycopg://postgres@/postgres?host=/tmp/pg&port=5432), every test that uses
`empty_db`, `sample_db` or `seeded_db` runs on SQLite and on PostgreSQL (ids `[sqlite]`,
`[postgresql]`): the templates are server databases too, and each test gets its own database
made with CREATE DATABASE … TEMPLATE, dropped afterwards. A test about SQLite files (headers,
WAL, backups, killed writes) is marked `sqlite_only`.
"""

from __future__ import annotations

import copy
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.helpers import SAMPLE_DOCUMENT, shown_window

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


POSTGRES_ENV = "KODOMO_TEST_POSTGRES"
BACKENDS = ("sqlite", "postgresql") if os.environ.get(POSTGRES_ENV) else ("sqlite",)


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: about SQLite files; not run on PostgreSQL")


def pytest_generate_tests(metafunc):
    """The database fixtures on each backend; only when a PostgreSQL server is given, so ids stay as they were."""
    if "backend" in metafunc.fixturenames and len(BACKENDS) > 1:
        backends = ["sqlite"] if metafunc.definition.get_closest_marker("sqlite_only") else list(BACKENDS)
        metafunc.parametrize("backend", backends, indirect=True)


@pytest.fixture
def backend(request) -> str:
    return getattr(request, "param", "sqlite")


class PostgresServer:
    """The test server: databases named per xdist worker, made from templates, dropped after each test."""

    def __init__(self, url: str, worker: str):
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool

        self.url = make_url(url)
        self.prefix = f"kodomo_test_{worker}_{os.getpid()}"
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.count = 0

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def create(self, template: str | None = None) -> str:
        """A new database (a copy of template, or empty); its name.

        An empty one sorts text in Japanese order (ICU ja-JP, case-insensitive first), so an output
        that leans on the database's text order differs from SQLite's byte order and fails a test.
        """
        self.count += 1
        name = f"{self.prefix}_{self.count}"
        self.drop(name)
        if template:
            self._run(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            self._run(f"CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'ja-JP'")
        return name

    def drop(self, name: str) -> None:
        self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _run(self, sql: str) -> None:
        from sqlalchemy import text

        with self.admin.connect() as conn:
            conn.execute(text(sql))


@pytest.fixture(scope="session")
def postgres() -> PostgresServer:
    """The server KODOMO_TEST_POSTGRES names; a test that needs one is skipped without it."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL server to test against")
    server = PostgresServer(url, os.environ.get("PYTEST_XDIST_WORKER", "main"))
    yield server
    server.admin.dispose()


@pytest.fixture
def postgres_url(postgres):
    """An empty database of its own on the test server (no schema): its URL."""
    name = postgres.create()
    yield postgres.url_of(name)
    postgres.drop(name)


def _server_template(postgres: PostgresServer, build) -> str:
    from kodomo_desktop.core.opening import open_database

    name = postgres.create()
    db = open_database(postgres.url_of(name), seed=False)
    try:
        build(db)
    finally:
        db.dispose()  # a template must have no connection when it is copied
    return name


def _template(folder: Path, build) -> Path:
    """Build a database with build(path) -> Database, then keep a single-file copy of it."""
    from kodomo_desktop.core.opening import open_database

    db = open_database(str(folder / "build.sqlite"), seed=False)
    try:
        build(db)
    finally:
        db.dispose()
    # the backup API reads through SQLite, so pages still in the -wal file are copied too
    template = folder / "template.sqlite"
    source, target = sqlite3.connect(folder / "build.sqlite"), sqlite3.connect(template)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return template


def _copy_of(template: Path, path: Path):
    from kodomo_desktop.core.opening import open_database

    shutil.copy(template, path)
    return open_database(str(path), seed=False)


def _build_sample(db) -> None:
    from kodomo_desktop.core.interchange import import_document

    import_document(db, copy.deepcopy(SAMPLE_DOCUMENT), add_divisions=True, source="test")


def _build_seeded(db) -> None:
    """A new user's database: created, migrated and filled with the embedded FY2024 edition."""
    from kodomo_desktop.core.interchange import install_seed

    install_seed(db)


TEMPLATES = {"empty": lambda db: None, "sample": _build_sample, "seeded": _build_seeded}


@pytest.fixture(scope="session")
def sqlite_templates(tmp_path_factory) -> dict[str, Path]:
    """Built on first use, once per session."""
    return _Templates(lambda kind: _template(tmp_path_factory.mktemp(kind), TEMPLATES[kind]))


@pytest.fixture(scope="session")
def server_templates(request) -> dict[str, str]:
    postgres = request.getfixturevalue("postgres")
    return _Templates(lambda kind: _server_template(postgres, TEMPLATES[kind]))


class _Templates(dict):
    def __init__(self, build):
        super().__init__()
        self.build = build

    def __missing__(self, kind):
        self[kind] = self.build(kind)
        return self[kind]


@pytest.fixture(scope="session")
def empty_template(sqlite_templates) -> Path:
    return sqlite_templates["empty"]


@pytest.fixture(scope="session")
def sample_template(sqlite_templates) -> Path:
    return sqlite_templates["sample"]


@pytest.fixture(scope="session")
def seeded_template(sqlite_templates) -> Path:
    return sqlite_templates["seeded"]


@pytest.fixture
def database_of(request, backend, tmp_path):
    """kind ("empty", "sample", "seeded") → a database of the test's own on the test's backend."""
    opened = []
    dropped = []

    def make(kind: str, name: str = "kodomo.sqlite"):
        if backend == "sqlite":
            db = _copy_of(request.getfixturevalue("sqlite_templates")[kind], tmp_path / name)
        else:
            from kodomo_desktop.core.opening import open_database

            postgres = request.getfixturevalue("postgres")
            database = postgres.create(request.getfixturevalue("server_templates")[kind])
            dropped.append(lambda: postgres.drop(database))
            db = open_database(postgres.url_of(database), seed=False)
        opened.append(db)
        return db

    yield make
    if dropped:
        _close_windows()  # their live refresh, presence and workers use the database until they close
    for db in opened:
        db.dispose()
    for drop in dropped:
        drop()


def _close_windows() -> None:
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible():
            widget.close()
    app.processEvents()


@pytest.fixture
def sample_document() -> dict:
    return copy.deepcopy(SAMPLE_DOCUMENT)


@pytest.fixture
def empty_db(database_of):
    return database_of("empty")


@pytest.fixture
def sample_db(database_of):
    return database_of("sample")


@pytest.fixture
def seeded_db(database_of):
    return database_of("seeded", "seeded.sqlite")


@pytest.fixture
def messages(monkeypatch):
    """Message boxes answered (Ok, Yes) and their texts recorded instead of blocking the test."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def record(answer):
        return lambda _parent, _title, text, *args, **kwargs: shown.append(text) or answer

    monkeypatch.setattr(QMessageBox, "warning", record(QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", record(QMessageBox.StandardButton.Yes))
    return shown


@pytest.fixture
def settings(tmp_path):
    """The window's settings in a file of the test's own, never the user's."""
    from PySide6.QtCore import QSettings

    from kodomo_desktop.ui.settings import Settings

    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def runner(qtbot, sample_db):
    """The window's write thread on the sample database, for a dialog tested without a window."""
    from kodomo_desktop.ui.op_runner import OpRunner

    thread = OpRunner(sample_db)
    yield thread
    thread.stop()


@pytest.fixture
def window(qtbot, sample_db, settings, messages):
    """The main window on the sample database, shown."""
    return shown_window(qtbot, sample_db, settings)


@pytest.fixture
def returned(sample_db, tmp_path):
    """A filled return of the sample edition's 子育て支援課: 概要, 実績 and 通称 of P0001 changed."""
    from tests.excel_corpus import ReturnEditor, write_templates

    template = write_templates(sample_db, tmp_path / "templates")["子育て支援部 子育て支援課"]
    e = ReturnEditor(template)
    e.set("P0001", "概要", "回答の概要").set("P0001", "実績 (令和6年度)", "回答の実績").set(
        "P0001", "通称", "回答の通称"
    )
    (tmp_path / "returns").mkdir()
    return e.save(tmp_path / "returns" / "return.xlsx")


@pytest.fixture
def dialogs(monkeypatch):
    """Conflict dialogs answered with the choice set in answer[0]; each dialog kept for its texts."""
    from kodomo_desktop.ui.conflict_dialog import Choice, ConflictDialog

    shown: list[ConflictDialog] = []
    answer = [Choice.BACK]

    def exec_(dialog: ConflictDialog) -> int:
        shown.append(dialog)
        dialog.choice_buttons[answer[0]].click()
        return int(dialog.result())

    monkeypatch.setattr(ConflictDialog, "exec", exec_)
    return shown, answer
