"""Two people on one database: each test runs the other person as a real second OS process with its
own connection (on the fixture's database: a SQLite file, or the PostgreSQL server under
KODOMO_TEST_POSTGRES), and checks that no write based on a stale read goes through and that
publishing, rolling over and applying returns never run two at once."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys

import pytest
from sqlalchemy import select

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core import queries
from kodomo_desktop.core.errors import Busy, Conflict
from kodomo_desktop.core.models import Department, Edition, Placement, PolicyNode, Program
from kodomo_desktop.core.operations.editions import publish
from kodomo_desktop.core.operations.master import rename_entry
from tests.helpers import program_id

OTHER = "tanaka-other"  # the OS user the second process runs as (what a SQLite change log records)

PREAMBLE = (
    "import sys\n"
    "from kodomo_desktop.core import operations as ops\n"
    "from kodomo_desktop.core.database import Database\n"
    "db = Database(sys.argv[1])\n"
)


def other_process(db, code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "LOGNAME": OTHER, "USER": OTHER}
    return subprocess.Popen(
        [sys.executable, "-c", PREAMBLE + code, db.url, *args],
        env=env,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def in_other_process(db, code: str) -> str:
    proc = other_process(db, code)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return out


def who_else(db) -> str:
    """Who the change log names for the other process: its OS user on SQLite, the database user on a server."""
    return OTHER if db.engine.dialect.name == "sqlite" else db.url.split("://", 1)[1].split("@")[0].split(":")[0]


def version_of(db, model, ident: int) -> int:
    with db.read() as session:
        return session.get(model, ident).version


def test_a_write_based_on_a_version_another_process_changed_is_refused(sample_db):
    pid = program_id(sample_db, "P0001")
    read = version_of(sample_db, Program, pid)  # A reads P0001
    in_other_process(sample_db, f"ops.update_program(db, {pid}, {{'summary': '他の人の概要'}})")  # B writes
    with pytest.raises(Conflict) as refused:
        ops.update_program(sample_db, pid, {"summary": "私の概要"}, expected_version=read)
    conflict = refused.value
    assert (conflict.uid, conflict.field, conflict.theirs, conflict.user) == (
        "P0001",
        "summary",
        "他の人の概要",
        who_else(sample_db),
    )
    assert "事業 P0001" in conflict.message and "概要" in conflict.message and "他の人の概要" in conflict.message
    with sample_db.read() as session:
        assert session.get(Program, pid).summary == "他の人の概要"  # B's edit stands
    # A, having re-read, writes over it knowingly
    ops.update_program(sample_db, pid, {"summary": "私の概要"}, expected_version=version_of(sample_db, Program, pid))
    with sample_db.read() as session:
        assert session.get(Program, pid).summary == "私の概要"


def test_two_writes_based_on_one_version_at_the_same_moment_let_only_one_through(sample_db):
    """B's write has checked the version and is about to write when A's starts: A waits for B's
    transaction and is then refused (on a server it would otherwise pass the same check unseen)."""
    pid = program_id(sample_db, "P0001")
    read = version_of(sample_db, Program, pid)
    slow = other_process(
        sample_db,
        "import time\n"
        "from kodomo_desktop.core.operations import programs\n"
        "real = programs.write_fields\n"
        "def checked_then_slow(w, program, values):\n"
        "    print('checked', flush=True)\n"
        "    time.sleep(1.5)\n"
        "    real(w, program, values)\n"
        "programs.write_fields = checked_then_slow\n"
        f"ops.update_program(db, {pid}, {{'summary': '他の人の概要'}}, expected_version={read})\n",
    )
    assert slow.stdout is not None and slow.stdout.readline() == "checked\n"
    with pytest.raises(Conflict) as refused:
        ops.update_program(sample_db, pid, {"summary": "私の概要"}, expected_version=read)
    _, err = slow.communicate(timeout=60)
    assert slow.returncode == 0, err
    assert (refused.value.theirs, refused.value.user) == ("他の人の概要", who_else(sample_db))
    with sample_db.read() as session:
        assert session.get(Program, pid).summary == "他の人の概要"


def test_policy_node_placement_and_master_entry_writes_check_the_version_read(sample_db):
    with sample_db.read() as session:
        node = session.scalars(select(PolicyNode).order_by(PolicyNode.id)).first()
        measure_rows = session.scalars(
            select(Placement)
            .join(Program)
            .join(Edition)
            .where(Edition.fiscal_year == 2024)
            .order_by(Placement.measure_id, Placement.position)
        ).all()
        first, second = next((a, b) for a, b in itertools.pairwise(measure_rows) if a.measure_id == b.measure_id)
        department = session.scalars(select(Department).order_by(Department.id)).first()
        read = {"node": node.version, "placement": first.version, "department": department.version}
        node_id, node_title, first_id, second_id = node.id, node.title, first.id, second.id
        department_id = department.id
    in_other_process(
        sample_db,
        f"ops.update_node(db, {node_id}, title='他の人の題')\n"
        f"ops.move_placement(db, {second_id}, 0)\n"  # renumbers the first placement
        "from kodomo_desktop.core.operations.master import rename_entry\n"
        f"rename_entry(db, 'department', {department_id}, '他の人の部')\n",
    )
    with pytest.raises(Conflict) as node_refused:
        ops.update_node(sample_db, node_id, title=node_title + "（私）", expected_version=read["node"])
    assert node_refused.value.theirs == "他の人の題" and node_refused.value.user == who_else(sample_db)
    assert "他の人の題" in node_refused.value.message
    with pytest.raises(Conflict) as placement_refused:
        ops.move_placement(sample_db, first_id, 3, expected_version=read["placement"])
    assert (
        "の掲載は" in placement_refused.value.message
        and "番目" in placement_refused.value.message
        and placement_refused.value.user == who_else(sample_db)
    )
    # another field of the node, not changed since, goes through (after the placement's check: the
    # log names a measure by its number)
    ops.update_node(sample_db, node_id, number=7, expected_version=read["node"])
    with pytest.raises(Conflict) as entry_refused:
        rename_entry(sample_db, "department", department_id, "私の部", expected_version=read["department"])
    assert "所管の一覧の部「他の人の部」" in entry_refused.value.message
    with sample_db.read() as session:
        assert session.get(PolicyNode, node_id).title == "他の人の題"
        assert session.get(Placement, second_id).position == 0
        assert session.get(Department, department_id).name == "他の人の部"
    # the versions an operation returns are what the next write is based on
    result = ops.move_placement(sample_db, first_id, 0, expected_version=version_of(sample_db, Placement, first_id))
    assert result.versions[f"placement:{first_id}"] == version_of(sample_db, Placement, first_id)
    ops.move_placement(sample_db, first_id, 1, expected_version=result.versions[f"placement:{first_id}"])


HOLD = (
    "from kodomo_desktop.core.operations.exclusive import exclusive\n"
    "with exclusive(db, sys.argv[2]):\n"
    "    print('held', flush=True)\n"
    "    sys.stdin.readline()\n"
)


def holding(db, activity: str) -> subprocess.Popen[str]:
    """Another process in the middle of publishing (or rolling over...): it holds the lock until told."""
    proc = other_process(db, HOLD, activity)
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    return proc


def release(proc: subprocess.Popen[str]) -> None:
    _, err = proc.communicate("\n", timeout=60)
    assert proc.returncode == 0, err


def cli(db, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kodomo_desktop", "--db", db.url, *argv], capture_output=True, text=True, timeout=120
    )


def test_a_second_publish_or_rollover_is_refused_while_another_process_publishes(sample_db):
    other = holding(sample_db, "publish")
    try:
        refused = cli(sample_db, "publish", "--year", "2024", "--force")
        assert refused.returncode == 2
        assert f"他の人（{who_else(sample_db)}）が公開の処理中です" in refused.stderr
        assert "終わってからもう一度" in refused.stderr and "Traceback" not in refused.stderr
        rolled = cli(sample_db, "rollover", "--from", "2024", "--to", "2025")
        assert rolled.returncode == 2 and "公開の処理中" in rolled.stderr, rolled.stderr
        with pytest.raises(Busy):
            ops.unpublish(sample_db, 2024, "理由")
    finally:
        release(other)
    with sample_db.read() as session:  # nothing ran while the other held the lock
        assert session.scalar(select(Edition.status).where(Edition.fiscal_year == 2024)) == "draft"
        assert session.scalar(select(Edition.id).where(Edition.fiscal_year == 2025)) is None
    # and once it is done, the same publish goes through
    publish(sample_db, 2024, allow_empty_results=True)
    assert queries.list_editions(sample_db)[0].status == "published"


def test_two_processes_applying_returns_and_rolling_over_at_once_never_interleave(sample_db):
    """Both start together; one runs, the other is refused naming the first, or starts after it ended."""
    script = (
        "from kodomo_desktop.core.errors import Busy\n"
        "from kodomo_desktop.core.operations.exclusive import exclusive\n"
        "import time\n"
        "try:\n"
        "    with exclusive(db, 'returns'):\n"
        "        print('start', time.monotonic(), flush=True)\n"
        "        time.sleep(0.5)\n"
        "        print('end', time.monotonic(), flush=True)\n"
        "except Busy as exc:\n"
        "    print('busy', exc.message, flush=True)\n"
    )
    procs = [other_process(sample_db, script) for _ in range(3)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in outputs]
    spans = []
    for out, _ in outputs:
        lines = out.splitlines()
        if lines[0].startswith("busy"):
            assert "回答の取り込みの処理中" in lines[0]
        else:
            spans.append(sorted(float(line.split()[1]) for line in lines))
    assert spans  # one ran at least
    spans.sort()
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # never two at once
