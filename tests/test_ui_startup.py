"""Start-up shows a window before the database is opened, then the main window with its edition."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QMessageBox

from kodomo_desktop.core import queries
from kodomo_desktop.ui import startup
from kodomo_desktop.ui.open_database import Opened
from kodomo_desktop.ui.window_start import OPENING, WindowStart

pytestmark = pytest.mark.sqlite_only  # the start-up opens a file by its path


@pytest.fixture
def start(qtbot, settings):
    started = WindowStart(settings)
    qtbot.addWidget(started.shell)
    yield started
    if started.window is not None:
        started.window.close()
        opened = started.window.findChild(Opened)
        if opened is not None:
            opened.release()  # what the application's quit does


def test_the_window_shows_before_the_database_opens_then_the_edition(qtbot, start, sample_db, monkeypatch):
    target = sample_db.url
    sample_db.dispose()
    release = threading.Event()
    opening = threading.Event()
    real_open = startup.open_locked

    def held_open(path: str):
        opening.set()
        assert release.wait(20)
        return real_open(path)

    monkeypatch.setattr(startup, "open_locked", held_open)
    start.start(target)
    qtbot.waitExposed(start.shell)
    qtbot.waitUntil(opening.is_set)
    # the worker is inside the open: the light window is up and the event loop turns
    qtbot.wait(50)
    assert start.shell.isVisible() and start.window is None
    assert OPENING in start.shell.centralWidget().text()

    release.set()
    with qtbot.waitSignal(start.window_shown, timeout=20000):
        pass
    window = start.window
    qtbot.waitUntil(lambda: window.grid_model.rowCount() > 0, timeout=5000)
    assert window.isVisible() and window.fiscal_year == 2024
    assert window.grid_model.program_count == len(queries.program_rows(window.db, window.edition.id))
    assert window.form.detail is not None  # the first program is current and shown in the form
    assert window.windowTitle().startswith("令和6年度版")
    qtbot.waitUntil(lambda: not start.shell.isVisible())
    # it answers input: typing in the search filters the grid
    qtbot.keyClicks(window.search, "P0001")
    qtbot.waitUntil(lambda: window.grid_model.rowCount() == 1)


def test_a_database_that_cannot_be_opened_brings_the_japanese_choices(qtbot, start, tmp_path, monkeypatch):
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    asked: list[tuple[str, list[str]]] = []

    def answer(box: QMessageBox) -> int:  # the user reads the choices and quits
        asked.append((box.text(), [b.text() for b in box.buttons()]))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    start.start(str(broken))
    with qtbot.waitSignal(start.gave_up, timeout=20000):
        pass
    [(text, buttons)] = asked
    assert f"データベース {broken} を開けません" in text and "Traceback" not in text
    assert {"別のファイルを開く…", "終了"} <= set(buttons)
    assert start.window is None and not start.shell.isVisible()
