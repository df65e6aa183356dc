"""Start-up shows a window before the database is opened, then the main window with its edition."""

from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core import queries
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.models import Presence
from kodomo_desktop.core.operations.rollover import rollover
from kodomo_desktop.core.queries import Scope
from kodomo_desktop.ui import edition_read, startup, tree_state
from kodomo_desktop.ui.main_window import MainWindow
from kodomo_desktop.ui.open_database import Opened
from kodomo_desktop.ui.settings import LAST_EDITION, TREE_SCOPE
from kodomo_desktop.ui.window_start import OPENING, WindowStart
from tests.helpers import program_id

pytestmark = pytest.mark.sqlite_only  # the start-up opens a file by its path


@pytest.fixture
def starts(qtbot, settings):
    """WindowStart(settings) as the application makes it, reading the settings then; closed with the test."""
    made: list[WindowStart] = []

    def make() -> WindowStart:
        made.append(WindowStart(settings))
        qtbot.addWidget(made[-1].shell)
        return made[-1]

    yield make
    for started in made:
        if started.window is not None:
            started.window.close()
            opened = started.window.findChild(Opened)
            if opened is not None:
                opened.release()  # what the application's quit does


@pytest.fixture
def start(starts):
    return starts()


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
    # on the next turn, the first program is current and shown in the form
    qtbot.waitUntil(lambda: window.form.detail is not None, timeout=5000)
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


def all_there(qtbot, start: WindowStart, target: str) -> MainWindow:
    """Start as the application does and wait until the window is all there: its edition's rows, the
    current program in the form, the search keys computed and the validation panel's first check."""
    start.start(target)
    with qtbot.waitSignal(start.window_shown, timeout=20000):
        pass
    window = start.window
    qtbot.waitUntil(
        lambda: window.findings is not None and window.findings.report is not None and not window.findings.checking,
        timeout=20000,
    )
    return window


def grid_rows(window: MainWindow) -> list[tuple[str, int | None]]:
    model = window.grid_model
    return [(model.program(r).uid, model.listing(r).measure_id) for r in range(model.rowCount())]


def test_the_saved_edition_and_node_are_shown_filled_in_order_with_the_first_program_current(
    qtbot, starts, sample_db, settings
):
    target = sample_db.url
    rollover(sample_db, 2024, 2025)  # the newest edition is not the one the window showed last
    edition = next(e for e in queries.list_editions(sample_db) if e.fiscal_year == 2024)
    tree, groups = queries.policy_tree(sample_db, edition.id), queries.program_groups(sample_db, edition.id)
    stage = next(n for n in tree.nodes if n.kind == "stage")
    settings.set(LAST_EDITION, 2024)
    settings.set(TREE_SCOPE, tree_state.scope_key(tree, groups, Scope("node", stage.id)))
    expected = [
        (uid_of[item.program_id], item.measure_id)
        for uid_of in [{r.id: r.uid for r in queries.program_rows(sample_db, edition.id)}]
        for item in queries.listings(sample_db, edition.id, Scope("node", stage.id), tree)
    ]
    assert 1 < len(expected) < len(queries.program_rows(sample_db, edition.id))
    sample_db.dispose()

    window = all_there(qtbot, starts(), target)
    assert window.fiscal_year == 2024 and window.scope == Scope("node", stage.id)
    assert window.navigator.view.currentIndex().data() == stage.title
    assert grid_rows(window) == expected  # every row of the node, in printed order
    assert window.grid.currentIndex().row() == 0 and window.form.detail.uid == expected[0][0]
    assert window.findings.fiscal_year == 2024
    # the collector, held off while the worker loaded and read, runs again
    assert gc.isenabled()
    # the window's heartbeat (once it is all there) tells others which edition it has open
    qtbot.waitUntil(lambda: present_in(window.db) == [edition.id], timeout=5000)


def present_in(db: Database) -> list[int | None]:
    with db.read() as session:
        return list(session.scalars(select(Presence.edition_id)))


def test_a_commit_made_after_the_start_up_read_still_shows(qtbot, start, sample_db, monkeypatch):
    target = sample_db.url
    edition = queries.list_editions(sample_db)[-1]
    uid = queries.program_rows(sample_db, edition.id)[-1].uid  # not the first, which the form reads afresh
    sample_db.dispose()
    real_read = edition_read.read_first

    def read_then_colleague_commits(db, fiscal_year, scope_key):
        read = real_read(db, fiscal_year, scope_key)
        # after the read, before the window shows it: another user's commit
        colleague = Database(target, user="sato")
        ops.update_program(colleague, program_id(colleague, uid), {"name": "起動中に変わった名称"}, source="test")
        colleague.dispose()
        return read

    monkeypatch.setattr(edition_read, "read_first", read_then_colleague_commits)
    window = all_there(qtbot, start, target)
    model = window.grid_model
    qtbot.waitUntil(lambda: model.program(model.rows_of(uid)[0]).name == "起動中に変わった名称", timeout=3000)


def test_a_reload_while_the_window_fills_in_steps_is_not_undone_by_the_older_read(qtbot, sample_db, settings, messages):
    rollover(sample_db, 2024, 2025)
    first = edition_read.read_first(sample_db, 2024, None)
    window = MainWindow(sample_db, settings, first=first)
    qtbot.addWidget(window)
    # a live refresh re-reads everything before the start-up read was shown (its steps wait for the show)
    window.reload_everything(2025)
    window.show()
    qtbot.waitUntil(
        lambda: window.findings is not None and window.findings.report is not None and not window.findings.checking,
        timeout=20000,
    )
    assert window.fiscal_year == 2025 and window.findings.fiscal_year == 2025
    edition = next(e for e in queries.list_editions(sample_db) if e.fiscal_year == 2025)
    assert window.grid_model.program_count == len(queries.program_rows(sample_db, edition.id))
    assert window.form.detail is not None and window.grid.currentIndex().row() == 0
