"""How fast the editor window is: start-up next to a bare PySide6 window, and the grid at 10,000 programs.

    uv run python benchmarks/ui.py [--repeat N] [--only startup|big]

Start-up is measured from launching a fresh Python process to the window having shown
and handled its first events, for kodomo-desktop on the FY2024 database and for a bare
PySide6 window holding an empty table. The 10,000-program figures are taken in process,
each as the longest stall of the GUI event loop (a 5 ms heartbeat) while the work is done:
start-up with すべての事業, validating the whole edition, a search keystroke, a target
toggle written and repainted, an edit burst and its re-check. Target: no stall over 50 ms.
Each stall comes with the GUI thread's own CPU time in it: the rest it waited, for the GIL
or, on a machine busy with other processes, for a CPU. Modules load from bytecode, as installed.
Runs offscreen unless DISPLAY is set. Prints figures; asserts nothing.
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

# "ready" on the first turn of the event loop (a window is shown and answers input: at first the
# light one that says the database is opening), "loaded" once the edition's rows are in the main
# window's grid, then "checked" once the validation panel, checking in a worker, has filled its list
KODOMO = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
def main_window():
    # by name: the start-up's worker may be importing the module meanwhile
    windows = [w for w in app.topLevelWidgets() if type(w).__name__ == "MainWindow" and w.isVisible()]
    return windows[0] if windows else None
def checked():
    window = main_window()
    panel = window.findings if window else None
    if panel is not None and panel.report is not None and not panel.checking:
        print("checked", flush=True)
        app.quit()
    else:
        QTimer.singleShot(5, checked)
def loaded():
    window = main_window()
    if window is not None and window.grid_model.rowCount() > 0:
        print("loaded", flush=True)
        checked()
    else:
        QTimer.singleShot(5, loaded)
def ready():
    print("ready", flush=True)
    loaded()
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
        loaded = statistics.median(r[1] for r in runs)
        checked = statistics.median(r[2] for r in runs)
        print(f"start to usable window, {label} (median of {repeat}, process launch included):")
        print(f"  bare PySide6 window, empty table : {bare * 1000:7.0f} ms")
        print(f"  kodomo-desktop, FY2024 database  : {usable * 1000:7.0f} ms  ({usable / bare:.2f}× the bare window)")
        print(f"  … the edition's rows in the grid : {loaded * 1000:7.0f} ms")
        print(f"  … and the validation panel filled: {checked * 1000:7.0f} ms")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


class Stall(float):
    """A stall in seconds, and the GUI thread's own CPU time in it."""

    busy: float

    def __new__(cls, seconds: float, busy: float) -> Stall:
        stall = super().__new__(cls, seconds)
        stall.busy = busy
        return stall

    def __str__(self) -> str:
        return f"{ms(self)} (GUI thread busy {ms(self.busy).strip()})"


class StallMeter:
    """The longest gap between turns of the GUI event loop: a 5 ms heartbeat records the widest gap,
    and the CPU time the GUI thread itself spent in it (the rest it waited: for the GIL, which a
    worker thread holds, or for a CPU, which other processes hold on a busy machine)."""

    def __init__(self):
        from PySide6.QtCore import QTimer

        self.timer = QTimer(interval=5)
        self.timer.timeout.connect(self._beat)
        self.last = 0.0
        self.last_cpu = 0.0
        self.longest = 0.0
        self.busy = 0.0  # the GUI thread's CPU time within the longest gap

    def _beat(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if now - self.last > self.longest:
            self.longest, self.busy = now - self.last, cpu - self.last_cpu
        self.last, self.last_cpu = now, cpu

    def measure(self, action, until, timeout: float = 60.0) -> float:
        """Run action() from inside the event loop, turn the loop until until() holds; the longest stall."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        self.longest = self.busy = 0.0
        self.last, self.last_cpu = time.perf_counter(), time.thread_time()
        self.timer.start()
        QTimer.singleShot(0, action)
        deadline = time.perf_counter() + timeout
        app.processEvents()
        while not until() and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.001)
        for _ in range(3):  # the repaints the action left behind
            app.processEvents()
        self._beat()
        self.timer.stop()
        return Stall(self.longest, self.busy)


def big_grid(repeat: int, folder: Path) -> None:
    # Modules loaded from here on (the window's, validation's and ReportLab's, some in worker threads)
    # load from bytecode, as installed: compiling a module's source holds the GIL and, under
    # PYTHONDONTWRITEBYTECODE=1, put stalls of 30-80 ms into the figures that users never see.
    pycache = Path(tempfile.gettempdir()) / "kodomo-ui-benchmark-pycache"
    cold = not pycache.exists()
    sys.dont_write_bytecode, sys.pycache_prefix = False, str(pycache)
    if cold and os.environ.get("KODOMO_BENCHMARK_WARM") is None:
        # a first run compiles: a throw-away run of this part fills the cache
        subprocess.run(
            [sys.executable, __file__, "--only", "big", "--repeat", "1"],
            env=dict(os.environ, KODOMO_BENCHMARK_WARM="1"),
            stdout=subprocess.DEVNULL,
            check=True,
        )

    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kodomo_desktop.core.interchange import import_document
    from kodomo_desktop.core.opening import open_database
    from kodomo_desktop.ui.open_database import Opened
    from kodomo_desktop.ui.program_grid import COL_FIRST_TARGET
    from kodomo_desktop.ui.settings import Settings
    from kodomo_desktop.ui.window_start import WindowStart, light_window

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
    print(f"\n{len(document['programs']):,} synthetic programs (the FY2024 list 81 times, kept in {cached}):")
    print("  longest GUI event-loop stall (5 ms heartbeat), and the time until the work was done:")

    app = QApplication.instance() or QApplication([])
    meter = StallMeter()
    holder: dict = {}

    def report(label: str, stall: float, took: float) -> None:
        print(f"  {label:<44}: stall {stall}   done after {ms(took)}")

    def start() -> None:  # as the application starts: a light window, the database opened in a worker
        begun = WindowStart(Settings(QSettings(str(folder / "big.ini"), QSettings.Format.IniFormat)))
        begun.window_shown.connect(lambda window: holder.update(window=window))
        begun.start(str(cached))
        holder["start"] = begun

    def checked() -> bool:
        window = holder.get("window")
        return bool(window and window.findings is not None and window.findings.report and not window.findings.checking)

    # The process's first window pays for loading Qt's fonts (50-70 ms). In the application that is the
    # light window's first paint, before any window is on screen that could freeze (the start-up part
    # above counts it): one is shown and painted before the stalls are measured.
    shell = light_window(Settings(QSettings(str(folder / "shell.ini"), QSettings.Format.IniFormat)))
    shell.show()
    QTest.qWaitForWindowExposed(shell)
    app.processEvents()
    shell.close()
    started = time.perf_counter()
    # until the window is all there: the rows in the grid, the first program in the form, the search keys
    # computed and the validation begun (the window shows these a step per turn of the event loop)
    stall = meter.measure(
        start, lambda: "window" in holder and bool(holder["window"].findings and holder["window"].findings.checking)
    )
    report(
        f"start-up, すべての事業 shown ({holder['window'].grid_model.rowCount():,} rows)",
        stall,
        time.perf_counter() - started,
    )
    window = holder["window"]
    started = time.perf_counter()
    stall = meter.measure(lambda: None, checked, timeout=120)
    report("validation of the whole edition", stall, time.perf_counter() - started)

    def typed(text: str) -> None:
        event = QInputMethodEvent("", [])
        event.setCommitString(text)
        QApplication.sendEvent(window.search, event)

    stalls = []
    for _ in range(repeat):
        window.search.clear()
        app.processEvents()
        stalls.append(meter.measure(lambda: typed("子"), lambda: True))  # the first character: the widest match
        stalls.append(meter.measure(lambda: typed("育"), lambda: True))
    window.search.clear()
    app.processEvents()
    print(f"  {'one search keystroke (slowest of ' + str(len(stalls)) + ')':<44}: stall {max(stalls)}")

    grid = window.grid
    stalls = []
    for i in range(repeat):
        rect = grid.visualRect(window.grid_model.index(i % 20, COL_FIRST_TARGET + 1))

        def click(rect=rect) -> None:
            QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())

        stalls.append(meter.measure(click, lambda: window.session.idle))
    print(f"  {'one target toggle, written and shown (slowest of ' + str(repeat) + ')':<44}: stall {max(stalls)}")

    clicks: list[int] = []

    def burst() -> None:
        # one click per turn of the event loop, as quick hands deliver them
        rect = grid.visualRect(window.grid_model.index(len(clicks), COL_FIRST_TARGET + 2))
        QTest.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
        clicks.append(1)
        if len(clicks) < 20:
            QTimer.singleShot(0, burst)

    started = time.perf_counter()
    stall = meter.measure(
        burst, lambda: len(clicks) == 20 and window.session.idle and not window._check_timer.isActive()
    )
    stall = max(stall, meter.measure(lambda: None, checked, timeout=60))
    report("edit burst (20 toggles) and its re-check", stall, time.perf_counter() - started)
    window.close()
    window.findChild(Opened).release()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--only", choices=("startup", "big"), help="one of the two parts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.only != "big":
            startup(args.repeat, folder)
        if args.only != "startup":
            big_grid(args.repeat, folder)


if __name__ == "__main__":
    main()
