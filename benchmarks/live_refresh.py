"""How soon another person's commit shows in an open window: median and worst over N edits.

    uv run python benchmarks/live_refresh.py [--edits 50] [--postgres URL]

A window (offscreen) opens the FY2024 edition and shows P0001; another process, run as
another user, changes P0001's 実績 through the core operation N times, one at a time, and
prints the moment each commit returned. The figure is the time from that commit to the
window's form showing the new text (edits at random moments, after the window has settled;
SQLite: `PRAGMA data_version` polling; PostgreSQL: LISTEN/NOTIFY, with --postgres naming an
empty database the script initialises). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen" if not os.environ.get("DISPLAY") else "xcb")

WRITER = """
import sys, time
from kodomo_desktop.core import operations as ops, queries
from kodomo_desktop.core.database import Database
db = Database(sys.argv[1], user="colleague")
edition = queries.list_editions(db)[-1].id
pid = queries.find_program_ids(db, edition, ["P0001"])["P0001"]
print("ready", flush=True)
for line in sys.stdin:
    ops.update_program(db, pid, {"results": line.strip()}, source="benchmark")
    print(time.time(), flush=True)
"""


def measure(target: str, edits: int) -> list[float]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from kodomo_desktop.core.opening import open_database
    from kodomo_desktop.ui.main_window import MainWindow
    from kodomo_desktop.ui.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv)
    db = open_database(target)
    folder = Path(tempfile.mkdtemp())
    window = MainWindow(db, Settings(QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat)))
    window.show()
    window.select_program("P0001", "name")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, target], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert writer.stdin is not None and writer.stdout is not None
    assert writer.stdout.readline().strip() == "ready"
    settle(app, 3.0)  # the window's start-up work (the validation panel's first check) is done
    delays = []
    gaps = random.Random(16)
    try:
        for i in range(edits):
            # edits come at random moments, not in step with the window's polling
            settle(app, gaps.uniform(0.2, 0.8))
            value = f"実績 {i}"
            writer.stdin.write(value + "\n")
            writer.stdin.flush()
            committed = float(writer.stdout.readline())
            while window.form.results.toPlainText() != value:
                app.processEvents()
                time.sleep(0.002)
            delays.append(time.time() - committed)
    finally:
        writer.stdin.close()
        writer.wait()
        window.close()
        db.dispose()
    return delays


def settle(app, seconds: float) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        app.processEvents()
        time.sleep(0.002)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--postgres", metavar="URL", help="an empty PostgreSQL database to measure as well")
    args = parser.parse_args()
    targets = [("SQLite", str(Path(tempfile.mkdtemp()) / "kodomo.sqlite"))]
    if args.postgres:
        targets.append(("PostgreSQL", args.postgres))
    for label, target in targets:
        delays = measure(target, args.edits)
        print(
            f"{label}: commit → other window's refresh over {len(delays)} edits: "
            f"median {statistics.median(delays) * 1000:.0f} ms, worst {max(delays) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
