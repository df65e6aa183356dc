"""The window never waits for the database on the GUI thread: every write runs in the write thread
(ui/op_runner.py), validation in a worker; a write waiting for another process's lock leaves the window
answering and says so; undo and redo still check versions. Real window, real SQLite file, real keys."""

from __future__ import annotations

import ast
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer

import kodomo_desktop.ui
from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.ui import findings_panel
from kodomo_desktop.ui.op_runner import WAITING
from kodomo_desktop.ui.program_grid import HEADERS
from tests.helpers import colleague_changes_p0001, settle

TICK = HEADERS.index("中学")


def targets(db, uid: str = "P0001") -> list[str]:
    return next(p for p in export_document(db, 2024)["programs"] if p["id"] == uid)["targets"]


def tick_p0001(qtbot, window) -> None:
    """A real click on P0001's 中学 box in すべての事業."""
    row = window.grid_model.rows_of("P0001")[0]
    rect = window.grid.visualRect(window.grid_model.index(row, TICK))
    qtbot.mouseClick(window.grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_writes_run_in_the_write_thread_not_the_gui_thread(qtbot, window, sample_db, monkeypatch):
    threads: list[int] = []
    real = ops.set_targets_for

    def recorded(*args, **kwargs):
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    monkeypatch.setattr(ops, "set_targets_for", recorded)
    tick_p0001(qtbot, window)
    qtbot.waitUntil(lambda: "中学" in targets(sample_db))
    settle(qtbot, window)  # 元に戻す is offered once the step is on the stack
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "中学" not in targets(sample_db))
    assert len(threads) == 2
    assert threading.main_thread().ident not in threads
    assert set(threads) == {window.session.runner.thread_id}


HOLD_LOCK = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(2)
db.execute("COMMIT")
"""


@pytest.mark.sqlite_only  # the other process holds a SQLite write lock
def test_an_edit_waiting_for_another_process_leaves_the_window_responsive(qtbot, window, sample_db, messages):
    ticks: list[int] = []
    heartbeat = QTimer(window, interval=20)
    heartbeat.timeout.connect(lambda: ticks.append(1))
    heartbeat.start()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(sample_db.path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        tick_p0001(qtbot, window)  # returns at once: the write waits in the write thread
        qtbot.waitUntil(lambda: window.statusBar().currentMessage() == WAITING, timeout=3000)
        during = len(ticks)
        assert holder.poll() is None  # the other process still holds the lock
        qtbot.waitUntil(lambda: "中学" in targets(sample_db), timeout=8000)
        # the event loop kept turning while the write waited (a frozen window would not count)
        assert len(ticks) - during >= 10
    finally:
        holder.wait(10)
        heartbeat.stop()
    settle(qtbot, window)
    assert window.grid_model.ticked(window.grid_model.rows_of("P0001")[0], TICK)
    assert window.statusBar().currentMessage() != WAITING
    assert window.session.stack.count() == 1 and not messages


def test_validation_runs_in_a_worker_and_arrives_by_signal(qtbot, sample_db, settings, monkeypatch):
    from kodomo_desktop.ui.main_window import MainWindow

    threads: list[int] = []
    for name in ("validate_edition", "validate_programs"):
        real = getattr(findings_panel, name)

        def recorded(*args, _real=real, **kwargs):
            threads.append(threading.get_ident())
            return _real(*args, **kwargs)

        monkeypatch.setattr(findings_panel, name, recorded)
    window = MainWindow(sample_db, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.findings is not None)
    panel = window.findings
    qtbot.waitUntil(lambda: panel.report is not None and not panel.checking, timeout=20000)
    assert panel.findings()  # filled from the worker's report
    # the grid hears of the worst severities only by the panel's signal
    assert window.grid_model._severity.get("P0002") == "warning"
    with qtbot.waitSignal(panel.severities_changed, timeout=20000):
        tick_p0001(qtbot, window)  # the re-check after an edit
    assert len(threads) >= 2 and threading.main_thread().ident not in threads


def test_undo_and_redo_keys_still_check_versions(qtbot, window, sample_db, dialogs):
    shown, _answer = dialogs  # 編集に戻る (the fixture's answer): nothing changes
    tick_p0001(qtbot, window)
    settle(qtbot, window)  # 元に戻す is offered once the step is on the stack
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert "中学" not in targets(sample_db)
    qtbot.keyClick(window.grid, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert "中学" in targets(sample_db) and not shown
    colleague_changes_p0001(sample_db, "ops.set_targets(db, pid, ['乳児'])")
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    assert len(shown) == 1 and shown[0].windowTitle().startswith("対象")
    assert targets(sample_db) == ["乳児"]  # their change stays
    assert window.session.stack.index() == 1  # the step was not undone


# --- one path for writes ----------------------------------------------------------------------

UI = Path(kodomo_desktop.ui.__file__).parent
# names from core.operations that only read (what a deletion would remove, what an undo would overwrite)
READS = {"deletable_edition", "deletion_notice", "later_edits", "document_edits", "master_list"}
# the undo commands: their writes are what the session runs in the write thread
COMMANDS = "undo_commands.py"


def operation_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(modules, functions) a ui module imported from core.operations."""
    modules: set[str] = set()
    functions: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                name = alias.asname or alias.name
                if node.module == "kodomo_desktop.core" and alias.name == "operations":
                    modules.add(name)
                elif node.module == "kodomo_desktop.core.operations":
                    modules.add(name)  # a submodule (master, reverting…) or a function: both count
                    functions.add(name)
                elif node.module.startswith("kodomo_desktop.core.operations."):
                    functions.add(name)
    return modules, functions - READS


def handed_to_runner(parents: list[ast.AST]) -> bool:
    """Inside a lambda given to submit(…) / BackgroundTask(…), or an undo command's write."""
    for inner, outer in zip(parents[1:], parents[:-1], strict=False):
        if isinstance(inner, ast.Lambda) and isinstance(outer, ast.Call):
            func = outer.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name.endswith("submit") or name == "BackgroundTask":
                return True
    return False


def direct_writes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules, functions = operation_names(tree)
    found: list[str] = []

    def visit(node: ast.AST, parents: list[ast.AST]) -> None:
        # a module's name before an attribute counts as the attribute does (a read is allowed)
        as_module = isinstance(parents[-1], ast.Attribute) if parents else False
        used = (
            isinstance(node, ast.Name) and node.id in functions and isinstance(node.ctx, ast.Load) and not as_module
        ) or (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr not in READS
        )
        if used and not isinstance(parents[-1], ast.alias) and not handed_to_runner([*parents, node]):
            # an undo command's writes (apply, revert and their helpers); check() and finished() only read
            in_write = path.name == COMMANDS and not any(
                isinstance(p, ast.FunctionDef) and p.name in {"check", "finished"} for p in parents
            )
            if not in_write:
                found.append(f"{path.name}:{node.lineno}")
        for child in ast.iter_child_nodes(node):
            visit(child, [*parents, node])

    visit(tree, [])
    return found


def test_every_write_from_the_window_goes_through_the_runner():
    found = [hit for path in sorted(UI.glob("*.py")) for hit in direct_writes(path)]
    assert found == []


def test_the_guard_finds_a_direct_write(tmp_path):
    module = tmp_path / "bad.py"
    module.write_text(
        "from kodomo_desktop.core import operations as ops\n"
        "def publish(window):\n"
        "    ops.publish(window.db, 2024)\n"
        "    window.session.submit(lambda: ops.unpublish(window.db, 2024, 'x'), print)\n",
        encoding="utf-8",
    )
    assert direct_writes(module) == ["bad.py:3"]
