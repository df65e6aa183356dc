"""How fast the editor window is: start-up next to a bare PySide6 window, and the grid at 10,000 programs.

    uv run python benchmarks/ui.py [--repeat N]

Start-up is measured from launching a fresh Python process to the window having shown
and handled its first events, for kodomo-desktop on the FY2024 database and for a bare
PySide6 window holding an empty table. The 10,000-program figures are taken in process:
showing すべての事業, one search keystroke, one target toggle written to the database and
repainted. Runs offscreen unless DISPLAY is set. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from booklet import fy2024_document, scaled

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv)
window = QMainWindow()
table = QTableView()
table.setModel(QStandardItemModel(0, 13))
window.setCentralWidget(table)
window.resize(1600, 950)
window.show()
QTimer.singleShot(0, lambda: (print("ready", flush=True), app.quit()))
app.exec()
"""

# "ready" on the first turn of the event loop (the window is shown and answers input), then
# "checked" once the validation panel, attached on that same turn, has checked the edition
KODOMO = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
def ready():
    print("ready", flush=True)
    QTimer.singleShot(0, lambda: (print("checked", flush=True), app.quit()))
QTimer.singleShot(0, ready)
from kodomo_desktop.ui.app import run_app
run_app(sys.argv[1])
"""


def launch_seconds(code: str, *args: str, env: dict) -> list[float]:
    """Process launch to each line the child prints."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env)
    times = [time.perf_counter() - start for _line in child.stdout]
    if child.wait(timeout=60) != 0 or not times:
        raise RuntimeError("the window did not start")
    return times


def startup(repeat: int, folder: Path) -> None:
    from kodomo_desktop.core.opening import open_database

    target = folder / "fy2024.sqlite"
    open_database(str(target)).dispose()  # created and seeded once; start-up then only opens it
    for label, bytecode in (
        ("bytecode cached, as installed", True),
        ("no bytecode (PYTHONDONTWRITEBYTECODE=1)", False),
    ):
        env = dict(os.environ, XDG_CONFIG_HOME=str(folder / "config"), HOME=str(folder))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        if bytecode:
            # a private cache, filled by the warm-up runs: the installed packages are not written to
            env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
        else:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        for _ in range(2):  # warm the OS file cache (and the bytecode cache) for both
            launch_seconds(BARE, env=env)
            launch_seconds(KODOMO, str(target), env=env)
        bare = statistics.median(launch_seconds(BARE, env=env)[0] for _ in range(repeat))
        runs = [launch_seconds(KODOMO, str(target), env=env) for _ in range(repeat)]
        usable = statistics.median(r[0] for r in runs)
        checked = statistics.median(r[1] for r in runs)
        print(f"start to usable window, {label} (median of {repeat}, process launch included):")
        print(f"  bare PySide6 window, empty table : {bare * 1000:7.0f} ms")
        print(f"  kodomo-desktop, FY2024 database  : {usable * 1000:7.0f} ms  ({usable / bare:.2f}× the bare window)")
        print(f"  … and the validation panel filled: {checked * 1000:7.0f} ms")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def big_grid(repeat: int, folder: Path) -> None:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kodomo_desktop.core.interchange import import_document
    from kodomo_desktop.core.opening import open_database
    from kodomo_desktop.ui.main_window import FINDINGS_DELAY_MS, MainWindow
    from kodomo_desktop.ui.program_grid import COL_FIRST_TARGET
    from kodomo_desktop.ui.settings import Settings

    document, _ = fy2024_document()
    document = scaled(document, 81)
    # importing 10,000 programs takes a minute or more: the file is kept for the next run
    cached = Path(tempfile.gettempdir()) / f"kodomo-ui-benchmark-{len(document['programs'])}.sqlite"
    if not cached.exists():
        building = cached.with_suffix(".building")
        building.unlink(missing_ok=True)
        db = open_database(str(building), seed=False)
        import_document(db, document, add_divisions=True, source="benchmark")
        db.dispose()
        building.rename(cached)
    db = open_database(str(cached), seed=False)
    print(f"\n{len(document['programs']):,} synthetic programs (the FY2024 list 81 times, kept in {cached}):")

    app = QApplication.instance() or QApplication([])
    start = time.perf_counter()
    window = MainWindow(db, Settings(QSettings(str(folder / "big.ini"), QSettings.Format.IniFormat)))
    window.show()
    window.grid.viewport().repaint()
    print(
        f"  window with すべての事業 shown ({window.grid_model.rowCount():,} rows) : {ms(time.perf_counter() - start)}"
    )
    start = time.perf_counter()
    app.processEvents()  # the validation panel attaches and checks the whole edition
    print(f"  validation panel attached and filled       : {ms(time.perf_counter() - start)}")

    def typed(text: str) -> float:
        event = QInputMethodEvent("", [])
        event.setCommitString(text)
        start = time.perf_counter()
        QApplication.sendEvent(window.search, event)
        window.grid.viewport().repaint()
        return time.perf_counter() - start

    keystrokes = []
    for _ in range(repeat):
        window.search.clear()
        app.processEvents()
        keystrokes.append(typed("子"))  # the first character: the widest match
        keystrokes.append(typed("育"))
    window.search.clear()
    app.processEvents()
    print(
        f"  one search keystroke (median of {len(keystrokes)})     : {ms(statistics.median(keystrokes))}"
        f"  (slowest {ms(max(keystrokes))})"
    )

    grid = window.grid
    toggles = []
    for i in range(repeat):
        rect = grid.visualRect(window.grid_model.index(i % 20, COL_FIRST_TARGET + 1))
        start = time.perf_counter()
        QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
        grid.viewport().repaint()
        toggles.append(time.perf_counter() - start)
    print(
        f"  one target toggle, written and shown (median of {repeat}): {ms(statistics.median(toggles))}"
        f"  (slowest {ms(max(toggles))})"
    )
    if window.findings is not None:
        start = time.perf_counter()
        window.findings.refresh({window.grid_model.program(0).uid})
        print(
            f"  validation re-check after an edit burst      : {ms(time.perf_counter() - start)}"
            f"  (the panel's own work, {FINDINGS_DELAY_MS} ms after the last edit)"
        )
    window.close()
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        startup(args.repeat, folder)
        big_grid(args.repeat, folder)


if __name__ == "__main__":
    main()
