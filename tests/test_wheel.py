"""The package works installed as a wheel: migrations and the seed edition are package data."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.slow


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv がありません")
def test_installed_wheel_initialises_a_database(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(["uv", "build", "--wheel", "--out-dir", str(dist)], cwd=REPO, check=True, capture_output=True)
    wheel = next(dist.glob("kodomo_desktop-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run(["uv", "venv", "--python", sys.executable, str(venv)], check=True, capture_output=True)
    env = {**os.environ, "VIRTUAL_ENV": str(venv)}
    env.pop("KODOMO_DB", None)
    subprocess.run(["uv", "pip", "install", str(wheel)], check=True, capture_output=True, env=env)
    exe = venv / ("Scripts/kodomo-desktop.exe" if os.name == "nt" else "bin/kodomo-desktop")
    # run outside the checkout so nothing can be found beside the sources
    db = tmp_path / "w.sqlite"
    done = subprocess.run(
        [str(exe), "--db", str(db), "init"], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "2024\t令和6年度" in done.stdout
    site = subprocess.run(
        [
            str(venv / "bin/python"),
            "-c",
            "import kodomo_desktop, pathlib; print(pathlib.Path(kodomo_desktop.__file__).parent)",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout.strip()
    assert (Path(site) / "_db" / "versions").is_dir()
    report = subprocess.run(
        [str(exe), "seed-report"], cwd=tmp_path, capture_output=True, text=True, env={**env, "KODOMO_DB": str(db)}
    )
    assert report.returncode == 0 and "124" in report.stdout
