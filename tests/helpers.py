"""What several test modules share: paths in the checkout, the sample document, database look-ups."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.engine import make_url

from kodomo_desktop.core.models import Edition, Program

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[1]
SEED_EDITION = REPO / "db" / "seed" / "edition-2024.json"

SAMPLE_DOCUMENT = {
    "format": "kodomo-edition/1",
    "fiscal_year": 2024,
    "title": "「旭川市こども計画」関連事業・取組一覧",
    "status": "draft",
    "targets": ["妊婦等", "乳児", "幼児", "小学", "中学", "高校", "18歳超", "親等"],
    "policies": [
        {
            "number": 1,
            "title": "こども・若者が権利の主体として尊重される",
            "measures": [
                {
                    "number": 1,
                    "title": "権利の普及",
                    "placements": [{"program": "P0001", "relisted": False}, {"program": "P0002", "relisted": False}],
                }
            ],
        },
        {
            "number": 2,
            "title": "良好な成育環境",
            "stages": [
                {
                    "title": "ライフステージを通して",
                    "measures": [
                        {
                            "number": 1,
                            "title": "遊びや体験",
                            "placements": [
                                {"program": "P0003", "relisted": False},
                                {"program": "P0001", "relisted": True},
                            ],
                        }
                    ],
                },
                {
                    "title": "青年期",
                    "measures": [
                        {"number": 1, "title": "就労支援", "placements": [{"program": "P0002", "relisted": True}]}
                    ],
                },
            ],
        },
    ],
    "programs": [
        {
            "id": "P0001",
            "name": "児童の権利に関する条約の普及啓発",
            "alias": None,
            "summary": "子育てガイドブックに概要を掲載し、普及啓発に努める。",
            "targets": ["妊婦等", "乳児", "親等"],
            "results": "ガイドブック 3,000部",
            "divisions": [{"department": "子育て支援部", "division": "子育て支援課"}],
            "needs_review": False,
            "review_notes": [],
        },
        {
            "id": "P0002",
            "name": "若者の就労相談",
            "alias": "ジョブカフェ",
            "summary": "・相談\n・セミナー",
            "targets": ["18歳超"],
            "results": "相談 1,364人",
            "divisions": [
                {"department": "子育て支援部", "division": "主幹付"},
                {"department": "子育て支援部", "division": "おやこ応援課"},
            ],
            "needs_review": True,
            "review_notes": ["所管を確認"],
        },
        {
            "id": "P0003",
            "name": "ちびっこ広場",
            "alias": None,
            "summary": "空地利用の遊び場を設置する。",
            "targets": ["幼児", "小学"],
            "results": "設置数 18か所",
            "divisions": [{"department": "選挙管理委員会事務局", "division": None}],
            "needs_review": False,
            "review_notes": [],
        },
    ],
}


def program_id(db, uid: str, year: int = 2024) -> int:
    """The database id of a program by its uid in one edition (a uid recurs in every edition)."""
    with db.read() as s:
        return s.scalar(
            select(Program.id)
            .join(Edition, Edition.id == Program.edition_id)
            .where(Program.uid == uid, Edition.fiscal_year == year)
        )


COLLEAGUE = "sato-cli"  # the user another process runs as, while a test's window is open


def recorded_user(db, os_user: str) -> str:
    """Who the change log names for a writer logged in as os_user: that user on SQLite, the
    database role on a server."""
    url = make_url(db.url)
    return os_user if url.get_backend_name() == "sqlite" else str(url.username)


def colleague_changes_p0001(db, code: str) -> None:
    """A small operation on P0001 (`pid`) in another process, run as COLLEAGUE, on the same database file."""
    env = {**os.environ, "LOGNAME": COLLEAGUE, "USER": COLLEAGUE}
    script = (
        "import sys\n"
        "from kodomo_desktop.core import operations as ops, queries\n"
        "from kodomo_desktop.core.database import Database\n"
        "db = Database(sys.argv[1])\n"
        "pid = queries.find_program_ids(db, queries.list_editions(db)[0].id, ['P0001'])['P0001']\n" + code
    )
    done = subprocess.run([sys.executable, "-c", script, db.url], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def polled(probe: Callable[[], T], timeout_s: float) -> T:
    """probe() again and again, without a Qt event loop, until it gives something true or timeout_s have
    passed; its last value."""
    deadline = time.monotonic() + timeout_s
    while not (value := probe()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return value


def type_at_end_and_leave(qtbot, window, field: str, text: str) -> None:
    """Real key presses at the end of one of P0001's form text boxes, then Tab out of it (which hands the
    text in)."""
    from PySide6.QtCore import Qt

    editor = getattr(window.form, field)
    window.select_program("P0001", field)
    qtbot.waitUntil(editor.hasFocus)
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)


def settle(qtbot, window) -> None:
    """Wait until the window's writes handed in have run and been recorded (they run in a worker thread)."""
    qtbot.waitUntil(lambda: window.session.idle, timeout=10000)


def pushed(qtbot, session, command) -> bool:
    """Push an undo command and wait for it to have run; whether it ran and is kept."""
    ran: list[bool] = []
    session.push(command, ran.append)
    qtbot.waitUntil(lambda: bool(ran), timeout=10000)
    return ran[0]


def written(qtbot, runner) -> None:
    """Wait until the writes handed to a write thread (ui/op_runner.py) have run and their results arrived."""
    qtbot.waitUntil(lambda: runner.idle, timeout=10000)


def shown_window(qtbot, db, settings):
    """The main window on db, shown and exposed, closed with the test."""
    from kodomo_desktop.ui.main_window import MainWindow

    window = MainWindow(db, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window
