"""PostgreSQL as a backend, on the real server KODOMO_TEST_POSTGRES names (skipped without one).

The same work on a SQLite file and on a server database gives byte-identical outputs; a new
server database is migrated and seeded in one transaction; a server that cannot be used is
named (never with its password) with what to check.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import NullPool

from kodomo_desktop.cli import main
from kodomo_desktop.core.database_url import display_target
from kodomo_desktop.core.errors import KodomoError
from kodomo_desktop.core.opening import open_database
from kodomo_desktop.core.queries import list_editions
from tests.helpers import SAMPLE_DOCUMENT, program_id

PASSWORD = "s3cret-Pässwort"  # looked for in every output
ROLE = "kodomo_password"


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _same_work(target: str, sample_json) -> None:
    """init, an import, edits whose order depends on ids and text, and a rollover."""
    from kodomo_desktop.core.operations.placements import add_placement
    from kodomo_desktop.core.operations.policy import add_node
    from kodomo_desktop.core.operations.programs import set_divisions, update_program

    assert run("--db", target, "init")[0] == 0
    assert run("--db", target, "import-json", str(sample_json))[0] == 0
    db = open_database(target)
    try:
        p1, p2 = program_id(db, "P0001"), program_id(db, "P0002")
        # text whose order differs between byte order and a locale's collation
        update_program(db, p1, {"alias": "ｚ_alpha Beta", "summary": "b\n改行のあと 「かぎ」 ＡＢＣ abc"})
        set_divisions(
            db,
            p2,
            [("子育て支援部", "Zeta課"), ("子育て支援部", "alpha課"), ("子育て支援部", "あ課")],
            create_missing=True,
        )
        edition = next(e for e in list_editions(db) if e.fiscal_year == 2024)
        with db.read() as s:
            stage = (
                s.execute(
                    text("SELECT id FROM policy_node WHERE edition_id = :e AND kind = 'stage' ORDER BY id"),
                    {"e": edition.id},
                )
                .scalars()
                .first()
            )
        measure = add_node(db, edition.id, stage, "measure", "新しい個別施策 a", position=0).value
        add_placement(db, p1, measure)
        add_placement(db, p2, measure, 0)
    finally:
        db.dispose()
    assert run("--db", target, "rollover", "--from", "2024")[0] == 0
    # the change log's times are the only thing the two runs cannot share
    engine = create_engine(make_url(target) if "://" in target else f"sqlite:///{target}", poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(text("UPDATE change_log SET at = '2026-01-02T03:04:05.000000Z'"))
    engine.dispose()


def _outputs(target: str, folder) -> dict[str, bytes]:
    outputs: dict[str, bytes] = {}
    for year in ("2023", "2024", "2025"):
        code, out, err = run("--db", target, "export-json", "--year", year)
        assert code == 0, err
        outputs[f"export-json {year}"] = out.encode()
    for argv in (
        ("diff", "--from", "2024", "--to", "2025", "--format", "json"),
        ("coverage", "--year", "2024", "--format", "json"),
        ("validate", "--year", "2024", "--format", "json"),
        ("editions",),
    ):
        code, out, err = run("--db", target, *argv)
        assert code in (0, 1), err
        outputs[" ".join(argv)] = out.encode()
    assert run("--db", target, "export-csv", "--year", "2024", "-o", str(folder))[0] == 0
    for path in sorted(folder.iterdir()):
        outputs[path.name] = path.read_bytes()
    return outputs


def test_the_same_work_gives_byte_identical_outputs_on_both_backends(postgres_url, tmp_path):
    sample_json = tmp_path / "edition.json"
    sample_json.write_text(json.dumps({**SAMPLE_DOCUMENT, "fiscal_year": 2023}, ensure_ascii=False), encoding="utf-8")
    sqlite = str(tmp_path / "same.sqlite")
    _same_work(sqlite, sample_json)
    _same_work(postgres_url, sample_json)
    on_sqlite = _outputs(sqlite, tmp_path / "csv-sqlite")
    on_server = _outputs(postgres_url, tmp_path / "csv-server")
    assert on_server.keys() == on_sqlite.keys()
    for name in on_sqlite:
        assert on_server[name] == on_sqlite[name], name
    document = json.loads(on_server["export-json 2024"])
    assert any(p.get("alias") == "ｚ_alpha Beta" for p in document["programs"])


def test_a_new_server_database_is_made_whole_or_not_at_all(postgres_url, monkeypatch):
    import kodomo_desktop.core.opening as opening

    real = opening.install_seed

    def seed_then_fail(db):
        real(db)
        raise OSError("interrupted after the seed")

    monkeypatch.setattr(opening, "install_seed", seed_then_fail)
    with pytest.raises(OSError):
        open_database(postgres_url)
    engine = create_engine(postgres_url, poolclass=NullPool)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []  # neither the schema nor half a seed
    engine.dispose()
    monkeypatch.undo()
    code, out, err = run("--db", postgres_url, "editions")
    assert code == 0, err
    assert "2024\t令和6年度\t作成中\t事業 124件\t掲載 194件" in out


def test_two_programs_starting_on_one_new_server_database_seed_it_once(postgres_url):
    script = "import sys; from kodomo_desktop.core.opening import open_database; open_database(sys.argv[1]).dispose()"
    starts = [subprocess.Popen([sys.executable, "-c", script, postgres_url], stderr=subprocess.PIPE) for _ in range(2)]
    for process in starts:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
    code, out, _ = run("--db", postgres_url, "editions")
    assert code == 0 and out.count("2024\t") == 1


def test_the_server_refuses_a_second_primary_placement(sample_db, backend):
    p1 = program_id(sample_db, "P0001")
    with pytest.raises(IntegrityError), sample_db.engine.begin() as conn:
        measure = conn.execute(text("SELECT measure_id FROM placement WHERE program_id = :p"), {"p": p1}).scalar()
        other = conn.execute(
            text("SELECT id FROM policy_node WHERE kind = 'measure' AND id != :m ORDER BY id"), {"m": measure}
        ).scalar()
        conn.execute(
            text(
                "INSERT INTO placement (program_id, measure_id, position, is_primary, version)"
                " VALUES (:p, :m, 9, :t, 1)"
            ),
            {"p": p1, "m": other, "t": True},
        )


# --- connection failures ------------------------------------------------------------------


def _failure(url: str) -> str:
    code, out, err = run("--db", url, "editions")
    assert code == 2
    assert out == ""
    return err


def test_no_such_database_is_named_with_what_to_check(postgres):
    url = postgres.url_of("kodomo_no_such_database")
    err = _failure(url)
    assert "kodomo_no_such_database" in err and "データベースがありません" in err and "createdb" in err
    assert "Traceback" not in err


def test_a_refused_port_says_the_server_may_be_down(postgres):
    url = postgres.url.set(host="127.0.0.1", port=1, query={}).render_as_string(hide_password=False)
    err = _failure(url)
    assert "127.0.0.1:1/" in err and "サーバーが動いていないか" in err and "ポート番号" in err


def test_an_unknown_host_is_named(postgres):
    url = postgres.url.set(host="kodomo-no-such-host.invalid", query={}).render_as_string(hide_password=False)
    err = _failure(url)
    assert "kodomo-no-such-host.invalid" in err and "ホスト名が見つかりません" in err


@pytest.fixture
def password_role(postgres):
    """A role with a password; skipped where the server trusts it without one (pg_hba.conf)."""
    postgres._run(f"DROP ROLE IF EXISTS {ROLE}")
    postgres._run(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'")
    wrong = postgres.url.set(username=ROLE, password="wrong-password", database="postgres")
    engine = create_engine(wrong, poolclass=NullPool)
    try:
        with engine.connect():
            pytest.skip(f"the server does not ask {ROLE} for a password (.ci/run's pg_hba.conf line)")
    except Exception:
        pass  # refused: the password is checked, as the tests below need
    finally:
        engine.dispose()
    yield postgres.url.set(username=ROLE, password=PASSWORD)
    postgres._run(f"DROP ROLE IF EXISTS {ROLE}")


def test_a_wrong_password_is_said_without_showing_any_password(password_role):
    url = password_role.set(password="wrong-" + PASSWORD, database="postgres").render_as_string(hide_password=False)
    err = _failure(url)
    assert f"{ROLE}@" in err and "パスワードが違います" in err
    assert PASSWORD not in err and "wrong-" not in err


def test_a_password_never_appears_in_output_or_the_change_log(password_role, postgres):
    name = postgres.create()
    postgres._run(f'ALTER DATABASE "{name}" OWNER TO {ROLE}')
    url = password_role.set(database=name).render_as_string(hide_password=False)
    try:
        outputs = [run("--db", url, "init"), run("--db", url, "editions"), run("--db", url, "backups")]
        assert all(code == 0 for code, _, _ in outputs)
        text_shown = "".join(out + err for _, out, err in outputs)
        assert f"{ROLE}@" in text_shown and PASSWORD not in text_shown
        assert "pg_dump" in outputs[2][1]  # a server's backups are the server's job
        db = open_database(url)
        assert db.display_name.startswith(f"{ROLE}@") and PASSWORD not in db.display_name and PASSWORD not in repr(db)
        with db.read() as s:
            logged = s.execute(text('SELECT "user", source FROM change_log')).all()
        db.dispose()
        assert logged and not any(PASSWORD in f"{user}{source}" for user, source in logged)
    finally:
        postgres.drop(name)


def test_display_target_hides_the_password_and_options():
    shown = display_target("postgresql+psycopg://anna:top%40secret@db.example.jp:5433/kodomo?sslmode=require")
    assert shown == "anna@db.example.jp:5433/kodomo"
    socket = display_target("postgresql+psycopg://anna:pw@/kodomo?host=/run/postgresql&port=5432&password=x")
    assert socket == "anna@/run/postgresql:5432/kodomo"
    assert display_target("/home/anna/kodomo.sqlite") == "/home/anna/kodomo.sqlite"
    assert "secret" not in display_target("postgresql+psycopg://anna:secret@[bad")


def test_a_server_failure_is_a_kodomo_error_in_the_window_too(postgres):
    with pytest.raises(KodomoError) as caught:
        open_database(postgres.url_of("kodomo_no_such_database"))
    assert "kodomo_no_such_database" in caught.value.message


# --- the per-user database.url ------------------------------------------------------------


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    from kodomo_desktop.core import locations

    path = tmp_path / "config" / "database.url"
    path.parent.mkdir()
    monkeypatch.setattr(locations, "database_config_path", lambda: path)
    monkeypatch.delenv("KODOMO_DB", raising=False)
    return path


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_password_in_a_readable_config_file_is_refused_with_chmod(config_file):
    config_file.write_text(f"# the office server\npostgresql+psycopg://anna:{PASSWORD}@db.example.jp/kodomo\n")
    config_file.chmod(0o644)
    code, out, err = run("editions")
    assert code == 2 and out == ""
    assert f"chmod 600 {config_file}" in err and PASSWORD not in err


def test_the_config_file_names_the_database(config_file, tmp_path):
    database = tmp_path / "from-config.sqlite"
    config_file.write_text(f"# kodomo-desktop\n{database}\n")
    code, out, err = run("editions")
    assert code == 0, err
    assert "2024\t令和6年度" in out and database.exists()


def test_the_config_file_with_a_password_is_used_when_private(config_file, postgres, password_role):
    name = postgres.create()
    postgres._run(f'ALTER DATABASE "{name}" OWNER TO {ROLE}')
    try:
        config_file.write_text(password_role.set(database=name).render_as_string(hide_password=False) + "\n")
        config_file.chmod(0o600)
        code, out, err = run("init")
        assert code == 0, err
        assert f"データベース: {ROLE}@" in out and PASSWORD not in out + err
    finally:
        postgres.drop(name)


def test_the_restore_dialog_says_where_the_backups_are(qtbot, sample_db, backend):
    from PySide6.QtWidgets import QLabel

    from kodomo_desktop.ui.restore_dialog import RestoreDialog

    dialog = RestoreDialog(sample_db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 0 and not dialog.restore_button.isEnabled()
    shown = " ".join(label.text() for label in dialog.findChildren(QLabel))
    where = "pg_dump" if backend == "postgresql" else "backups フォルダ"
    assert where in shown and sample_db.display_name in shown


def test_a_write_held_up_by_another_writer_gives_up_with_the_same_message(sample_db, backend):
    """Another connection holds P0001 (a row lock on the server, the write lock of a SQLite file)."""
    import sqlite3

    from kodomo_desktop.core.database import Database
    from kodomo_desktop.core.environment import EnvironmentProblem
    from kodomo_desktop.core.operations.programs import update_program

    db = Database(sample_db.url, busy_timeout=0.5)
    p1 = program_id(db, "P0001")
    if backend == "sqlite":
        holder = sqlite3.connect(sample_db.path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        engine = create_engine(sample_db.url, poolclass=NullPool)
        holder = engine.connect()
        holder.execute(text("UPDATE program SET alias = 'held' WHERE id = :p"), {"p": p1})
    try:
        with pytest.raises(EnvironmentProblem) as refused:
            update_program(db, p1, {"alias": "mine"})
    finally:
        holder.rollback()
        holder.close()
        db.dispose()
    assert "書き込み中" in refused.value.message and "0.5 秒待っても" in refused.value.message
    assert sample_db.display_name in refused.value.message
    with sample_db.read() as s:
        assert s.execute(text("SELECT alias FROM program WHERE id = :p"), {"p": p1}).scalar() != "mine"


def test_the_window_offers_a_local_file_when_the_server_cannot_be_reached(qtbot, postgres, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from kodomo_desktop.ui.startup import open_interactively

    shown = []

    def answer(box):
        shown.append((box.text(), [b.text() for b in box.buttons()]))
        next(b for b in box.buttons() if b.text() == "ローカルのファイルを開く…").click()
        return 0

    local = tmp_path / "local.sqlite"
    monkeypatch.setattr(QMessageBox, "exec", answer)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(local), ""))
    opened = open_interactively(postgres.url_of("kodomo_no_such_database"))
    assert opened is not None
    db, lock = opened
    try:
        assert db.path == local and [e.fiscal_year for e in list_editions(db)] == [2024]
    finally:
        if lock is not None:
            lock.release()
        db.dispose()
    [(message, buttons)] = shown
    assert "kodomo_no_such_database" in message and "データベースがありません" in message
    assert "もう一度接続する" in buttons
