"""Who else has the edition open (issue 16): heartbeats in the presence table, stale rows not counted,
a window's row gone when it closes; the status bar names the others."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kodomo_desktop.core import presence, queries
from kodomo_desktop.core.models import ChangeLog, Presence
from kodomo_desktop.core.presence import Me
from tests.helpers import written

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SATO = Me("佐藤", "PC-12", 4242)
TANAKA = Me("田中", "PC-3", 77)


def rows(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Presence))


def edition_id(db) -> int:
    return queries.list_editions(db)[0].id


def test_others_with_the_edition_open_are_listed_until_they_go_stale(sample_db):
    ed = edition_id(sample_db)
    with sample_db.read() as s:
        logged = s.scalar(select(func.count()).select_from(ChangeLog))
    assert presence.beat(sample_db, SATO, ed, NOW) == []
    others = presence.beat(sample_db, TANAKA, ed, NOW + timedelta(seconds=30))
    assert [(p.user, p.host) for p in others] == [("佐藤", "PC-12")]
    # sato's window stopped beating (crashed): not counted after two minutes, and deleted
    others = presence.beat(sample_db, TANAKA, ed, NOW + timedelta(minutes=2, seconds=1))
    assert others == [] and rows(sample_db) == 1
    with sample_db.read() as s:  # bookkeeping, not content: nothing in the change log
        assert s.scalar(select(func.count()).select_from(ChangeLog)) == logged


def test_another_edition_open_is_not_listed_and_leaving_deletes_the_row(sample_db):
    ed = edition_id(sample_db)
    presence.beat(sample_db, SATO, None, NOW)
    assert presence.beat(sample_db, TANAKA, ed, NOW) == []
    presence.beat(sample_db, SATO, ed, NOW)
    assert [p.user for p in presence.beat(sample_db, TANAKA, ed, NOW)] == ["佐藤"]
    presence.leave(sample_db, SATO)
    assert presence.beat(sample_db, TANAKA, ed, NOW) == [] and rows(sample_db) == 1


@pytest.fixture
def clock():
    moment = [NOW]
    return moment


def test_the_status_bar_names_who_else_has_it_open(qtbot, sample_db, settings, messages, clock, monkeypatch):
    pytest.importorskip("pytestqt")
    from kodomo_desktop.ui.main_window import MainWindow
    from kodomo_desktop.ui.presence_status import PresenceStatus

    left_in: list[str] = []
    leave = presence.leave

    def leave_and_say_where(*args):
        left_in.append(threading.current_thread().name)
        leave(*args)

    monkeypatch.setattr(presence, "leave", leave_and_say_where)
    window = MainWindow(sample_db, settings)
    qtbot.addWidget(window)
    status = PresenceStatus(window, clock=lambda: clock[0])  # the window's own, on an injected clock
    window.presence.leave(window.session.runner)
    # the replaced one's row (the same person, computer and process) goes before this one beats
    written(qtbot, window.session.runner)
    window.presence = status
    presence.beat(sample_db, SATO, edition_id(sample_db), NOW)
    status.beat()
    qtbot.waitUntil(lambda: status.label.text() == "同時に開いている人: 佐藤（PC-12）")
    assert rows(sample_db) == 2
    clock[0] = NOW + timedelta(minutes=3)  # sato's window has not beaten since
    status.beat()
    qtbot.waitUntil(lambda: status.label.text() == "")
    window.close()
    assert rows(sample_db) == 0  # the window's own row went with it
    assert left_in == ["kodomo-writes", "kodomo-writes"]  # written by the write thread, never the GUI's
