"""A window told to stop (SIGTERM at logout or shutdown, Ctrl+C in its terminal) closes as the close
button closes it: what is typed is handed in, its presence row goes, its layout is saved, no traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from kodomo_desktop.core.models import Presence
from kodomo_desktop.ui.termination import Termination
from tests.helpers import polled

pytest.importorskip("pytestqt")


def presence_pids(db) -> set[int]:
    with db.read() as s:
        return set(s.scalars(select(Presence.pid)))


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_window_told_to_stop_closes_as_the_close_button_does(sample_db, tmp_path, sig):
    home = tmp_path / "home"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    # at first start, with the welcome dialog open over the window
    window = subprocess.Popen(
        [sys.executable, "-m", "kodomo_desktop", "--db", sample_db.url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # its first heartbeat is the last step of its start-up
        assert polled(lambda: window.pid in presence_pids(sample_db) or window.poll() is not None, 60), "no heartbeat"
        assert window.poll() is None
        window.send_signal(sig)
        _out, err = window.communicate(timeout=30)
    finally:
        window.kill()
    assert window.returncode == 0, err
    assert "Traceback" not in err
    assert window.pid not in presence_pids(sample_db)  # others no longer see this user
    saved = QSettings(str(home / ".config" / "kodomo-desktop" / "kodomo-desktop.ini"), QSettings.Format.IniFormat)
    assert saved.value("edition/last") in (2024, "2024")  # the layout was saved as at a normal close
    assert saved.value("window/geometry")


def test_what_is_being_typed_is_handed_in_when_told_to_stop(qtbot, window, sample_db):
    from tests.test_live_refresh import TYPED, stored, type_line

    name = stored(sample_db, "name")
    type_line(qtbot, window, "name", TYPED)  # typed, not yet handed in
    termination = Termination(QApplication.instance())
    try:
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    finally:
        termination.uninstall()
    assert stored(sample_db, "name") == name + TYPED


def test_the_handlers_before_are_back_after_uninstall(qapp):
    before = signal.getsignal(signal.SIGTERM)
    Termination(qapp).uninstall()
    assert signal.getsignal(signal.SIGTERM) is before
    assert signal.set_wakeup_fd(-1) == -1  # no wakeup socket left behind
