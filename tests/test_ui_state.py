"""What the window showed is shown again after a restart; a damaged settings file only costs the layout."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PySide6.QtCore import QByteArray, QSettings, Qt

from kodomo_desktop.core.queries import Scope
from kodomo_desktop.ui import tree_state
from kodomo_desktop.ui.main_window import MainWindow
from kodomo_desktop.ui.program_grid import COL_DIVISIONS, COL_NAME, COL_RESULTS, COL_STATUS
from kodomo_desktop.ui.settings import GRID_HEADER, WINDOW_GEOMETRY, Settings
from tests.helpers import SAMPLE_DOCUMENT, shown_window

YEAR = SAMPLE_DOCUMENT["fiscal_year"]


def open_window(qtbot, db, path) -> MainWindow:
    """A window reading its settings afresh from the file, as a restarted program does."""
    return shown_window(qtbot, db, Settings(QSettings(str(path), QSettings.Format.IniFormat)))


def click_scope(qtbot, window: MainWindow, text: str) -> None:
    view = window.navigator.view
    index = next(i for i in window.navigator._walk() if i.data() == text)
    view.scrollTo(index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center())


def test_state_restored_after_restart_and_rollover(qtbot, sample_db, tmp_path, messages):
    path = tmp_path / "state.ini"
    w = open_window(qtbot, sample_db, path)
    assert w.fiscal_year == YEAR
    click_scope(qtbot, w, "1 遊びや体験")
    chosen = tree_state.scope_key(w.tree, w.groups, w.scope)
    assert chosen.startswith("node/") and w.scope_label.text().endswith("遊びや体験")

    w.act.new_edition.trigger()  # the next year's edition, from this one
    qtbot.waitUntil(lambda: w.fiscal_year == YEAR + 1, timeout=20000)
    # the same 個別施策 of the new tree stays chosen
    assert tree_state.scope_key(w.tree, w.groups, w.scope) == chosen

    header = w.grid.horizontalHeader()
    header.resizeSection(COL_DIVISIONS, 173)
    header.resizeSection(COL_STATUS, 61)
    next(a for a in header.column_menu().actions() if a.text() == "実績").trigger()
    header.moveSection(header.visualIndex(COL_STATUS), header.visualIndex(COL_NAME))
    # the grid well over its least width (its search row's), which the restarted window's texts may widen
    w.splitter.setSizes([150, 420, 200])
    sizes, widths = w.splitter.sizes(), [header.sectionSize(c) for c in range(header.count())]
    order = [header.logicalIndex(v) for v in range(header.count())]
    w.close()
    # on disk at once (QSettings shares one cache within a process, so a window opened here
    # would see unwritten values; a restarted program reads the file)
    written = path.read_text(encoding="utf-8")
    assert f"last={YEAR + 1}" in written and "scope=node/" in written

    again = open_window(qtbot, sample_db, path)
    assert again.fiscal_year == YEAR + 1
    assert tree_state.scope_key(again.tree, again.groups, again.scope) == chosen
    assert again.scope_label.text().endswith("遊びや体験")
    header = again.grid.horizontalHeader()
    assert header.isSectionHidden(COL_RESULTS)
    assert [header.logicalIndex(v) for v in range(header.count())] == order
    assert (header.sectionSize(COL_DIVISIONS), header.sectionSize(COL_STATUS)) == (173, 61)
    assert [header.sectionSize(c) for c in range(header.count()) if c != COL_NAME] == [
        w for c, w in enumerate(widths) if c != COL_NAME
    ]
    # the navigator and the form as they were; the grid between them takes what the window has
    restored = again.splitter.sizes()
    assert (restored[0], restored[2]) == (sizes[0], sizes[2]) and restored[1] > 0


def test_the_window_geometry_is_kept(qtbot, sample_db, tmp_path):
    path = tmp_path / "state.ini"
    w = open_window(qtbot, sample_db, path)
    w.setWindowState(Qt.WindowState.WindowNoState)
    w.setGeometry(40, 50, 700, 500)
    qtbot.waitUntil(lambda: w.geometry().size().width() == 700)
    w.close()
    again = open_window(qtbot, sample_db, path)
    assert not again.isMaximized() and again.geometry().size() == w.geometry().size()
    again.showMaximized()
    qtbot.waitUntil(again.isMaximized)
    again.close()
    assert open_window(qtbot, sample_db, path).isMaximized()


def test_a_scope_gone_from_the_edition_falls_back_to_all_programs(qtbot, sample_db, tmp_path):
    path = tmp_path / "state.ini"
    QSettings(str(path), QSettings.Format.IniFormat).setValue("tree/scope", "node/policy9/stage:無い/measure1")
    w = open_window(qtbot, sample_db, path)
    assert w.scope == Scope("all") and w.grid_model.rowCount() == w.grid_model.program_count


# --- damaged settings ----------------------------------------------------------------------


def assert_defaults(window: MainWindow) -> None:
    assert window.fiscal_year == YEAR and window.scope == Scope("all")
    header = window.grid.horizontalHeader()
    assert not any(header.isSectionHidden(c) for c in range(header.count()))
    assert [header.logicalIndex(v) for v in range(header.count())] == list(range(header.count()))
    assert all(size > 0 for size in window.splitter.sizes())


def _other_version(blob: QByteArray, at: int) -> QByteArray:
    """A state saved by another Qt version: the same bytes with a different version number."""
    data = bytearray(blob.data())
    data[at : at + 2] = b"\x00\x63"
    return QByteArray(bytes(data))


def test_wrong_types_and_foreign_blobs_are_ignored(qtbot, sample_db, tmp_path):
    path = tmp_path / "state.ini"
    w = open_window(qtbot, sample_db, path)
    geometry, header = w.saveGeometry(), w.grid.horizontalHeader().saveState()
    w.close()
    store = QSettings(str(path), QSettings.Format.IniFormat)
    store.setValue(WINDOW_GEOMETRY.key, _other_version(geometry, 4))  # after the 4-byte magic number
    store.setValue(GRID_HEADER.key, _other_version(header, 4))
    store.setValue("window/splitter", "not a splitter")
    store.setValue("edition/last", "令和6年度")
    store.setValue("tree/scope", 42)
    store.setValue("window/state", ["a", "list"])
    store.sync()
    assert_defaults(open_window(qtbot, sample_db, path))


@pytest.mark.filterwarnings("ignore")
@hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    content=st.one_of(
        st.binary(max_size=600),
        # garbage under the real keys, so it reaches the values and not only the parser
        st.lists(
            st.tuples(
                st.sampled_from(
                    [
                        "window/geometry",
                        "window/state",
                        "window/splitter",
                        "grid/header",
                        "grid/columns",
                        "edition/last",
                        "tree/scope",
                    ]
                ),
                st.binary(max_size=80),
            ),
            max_size=7,
        ).map(
            lambda pairs: b"".join(
                b"["
                + k.split("/")[0].encode()
                + b"]\n"
                + k.split("/")[1].encode()
                + b"="
                + v.replace(b"\n", b"")
                + b"\n"
                for k, v in pairs
            )
        ),
    )
)
def test_random_bytes_as_the_settings_file_open_the_window_with_defaults(qtbot, sample_db, tmp_path, content):
    path = tmp_path / "random.ini"
    path.write_bytes(content)
    w = open_window(qtbot, sample_db, path)
    try:
        assert w.fiscal_year == YEAR
        assert w.grid_model.rowCount() > 0
        header = w.grid.horizontalHeader()
        assert not header.isSectionHidden(COL_NAME)
    finally:
        w.close()
