"""Audit by person: the change log names who made each change (the database user on a server, the OS
user on a SQLite file), and the window's history shows it in the 変更者 column."""

from __future__ import annotations

import getpass

from sqlalchemy import select, text

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core import queries
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.models import ChangeLog
from kodomo_desktop.ui.history_view import COLUMNS, HistoryView
from tests.helpers import program_id
from tests.test_concurrency import in_other_process, who_else


def logged_users(db, uid: str) -> list[str]:
    with db.read() as session:
        return list(
            session.scalars(
                select(ChangeLog.user)
                .where(ChangeLog.entity_id == uid, ChangeLog.source == "editor")
                .order_by(ChangeLog.id)
            )
        )


def test_the_change_log_names_the_os_user_on_sqlite_and_the_database_user_on_a_server(sample_db):
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"summary": "監査の確認"})
    if sample_db.engine.dialect.name == "sqlite":
        expected = getpass.getuser()
    else:
        with sample_db.read() as session:
            expected = session.scalar(text("SELECT current_user"))
    assert logged_users(sample_db, "P0001") == [expected]


def test_a_pc_without_a_login_name_still_writes_with_a_name(sample_db, monkeypatch):
    def no_login() -> str:
        raise OSError("no login name")

    monkeypatch.setattr(getpass, "getuser", no_login)
    db = Database(sample_db.url)
    try:
        ops.update_program(db, program_id(db, "P0002"), {"summary": "名前のない利用者"})
    finally:
        db.dispose()
    expected = "unknown" if sample_db.engine.dialect.name == "sqlite" else who_else(sample_db)
    assert logged_users(sample_db, "P0002") == [expected]


def test_the_history_shows_who_changed_what(sample_db, qtbot):
    pid = program_id(sample_db, "P0001")
    in_other_process(sample_db, f"ops.update_program(db, {pid}, {{'summary': '他の人の概要'}})")
    ops.update_program(sample_db, pid, {"results": "私の実績"})
    view = HistoryView()
    qtbot.addWidget(view)
    view.show_history(queries.program_history(sample_db, "P0001"))
    who = COLUMNS.index("変更者")
    rows = [(view.topLevelItem(i).text(who), view.topLevelItem(i).text(3)) for i in range(2)]
    me = getpass.getuser() if sample_db.engine.dialect.name == "sqlite" else who_else(sample_db)
    assert rows == [(me, "実績"), (who_else(sample_db), "概要")]
