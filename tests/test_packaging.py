"""The frozen bundle (packaging/build.py) runs with no Python: the CLI, migrations, seed, booklet, window.

Builds the bundle once (about a minute), then runs it from outside the checkout.
Timings and the bundle size are printed (`pytest -s` shows them), not asserted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kodomo_desktop import __version__
from kodomo_desktop.cli import main
from tests.helpers import REPO

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("uv") is None, reason="uv がないので PyInstaller を入れられません"),
]

# On Windows the window's .exe has no console; the subcommands run through its console twin.
WINDOW = "kodomo-desktop.exe" if sys.platform == "win32" else "kodomo-desktop"
CLI = "kodomo-desktop-cli.exe" if sys.platform == "win32" else "kodomo-desktop"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    uv = ["uv", "run", "--frozen", "--group", "packaging", "python"]
    probe = subprocess.run([*uv, "-c", "import PyInstaller"], cwd=REPO, capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"PyInstaller を入れられません（オフライン？）: {probe.stderr.strip()[-300:]}")
    out = tmp_path_factory.mktemp("pyinstaller")
    started = time.perf_counter()
    done = subprocess.run(
        [*uv, "packaging/build.py", "--dist", str(out / "dist"), "--work", str(out / "work")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    print(f"\nbuild: {time.perf_counter() - started:.0f} s; {done.stdout.strip().splitlines()[-1]}")
    return out / "dist" / "kodomo-desktop"


@pytest.fixture
def env(tmp_path):
    """No Python and no checkout to lean on: a home of its own, run from elsewhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KODOMO_", "PYTHON", "VIRTUAL_ENV", "QT_"))}
    for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "LOCALAPPDATA", "APPDATA"):
        env[name] = str(tmp_path / "home")
    return env


def run(bundle, *args, env, cwd, exe=CLI):
    started = time.perf_counter()
    done = subprocess.run(
        [str(bundle / exe), *args], capture_output=True, encoding="utf-8", env=env, cwd=cwd, timeout=120
    )
    return done, time.perf_counter() - started


def test_version_and_contents(bundle, env, tmp_path):
    done, seconds = run(bundle, "--version", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"kodomo-desktop {__version__}"
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"\n--version: {seconds:.2f} s; bundle {size / 1e6:.1f} MB")

    package = bundle / "_internal" / "kodomo_desktop"
    assert (package / "_db" / "env.py").is_file() and list((package / "_db" / "versions").glob("*.py"))
    assert (package / "_resources" / "icons" / "kodomo-desktop.png").is_file()
    assert (package / "_resources" / "licenses" / "components.json").is_file()
    # lean: only the Qt the app uses, only the Japanese Qt translations
    files = [p.name for p in bundle.rglob("*")]
    assert not [f for f in files if re.search(r"Qt6?(WebEngine|Multimedia|Quick|Qml|Pdf|3D|Charts|Network)", f)]
    assert not [f for f in files if f.endswith(".qm") and not f.endswith("_ja.qm")]


def test_init_export_and_booklet(bundle, env, tmp_path):
    db = str(tmp_path / "frozen.sqlite")
    done, seconds = run(bundle, "--db", db, "init", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "2024\t令和6年度" in done.stdout
    print(f"\ninit: {seconds:.2f} s")

    exported = tmp_path / "frozen.json"
    done, _ = run(bundle, "--db", db, "export-json", "-o", str(exported), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert document["format"] == "kodomo-edition/1" and document["fiscal_year"] == 2024
    # the frozen program and the sources write the same bytes from the same database
    from_source = tmp_path / "source.json"
    assert main(["--db", db, "export-json", "-o", str(from_source)]) == 0
    assert exported.read_bytes() == from_source.read_bytes()

    pdf = tmp_path / "booklet.pdf"
    done, seconds = run(bundle, "--db", db, "booklet", "-o", str(pdf), env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
    print(f"booklet: {seconds:.2f} s; {done.stdout.strip()}")
    if list((bundle / "_internal" / "kodomo_desktop" / "_resources" / "fonts").glob("*.tt[fc]")):
        assert "（埋め込み）" in done.stdout


def test_window_opens_and_quits_offscreen(bundle, env, tmp_path):
    env = {**env, "QT_QPA_PLATFORM": "offscreen", "KODOMO_SMOKE_QUIT_MS": "3000"}
    env["KODOMO_DB"] = str(tmp_path / "w.sqlite")
    done, seconds = run(bundle, env=env, cwd=tmp_path, exe=WINDOW)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    print(f"\nwindow, open and quit after 3 s: {seconds:.2f} s")
