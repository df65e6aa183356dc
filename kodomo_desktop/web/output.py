"""Writing the web edition into a folder whole or not at all, and only over a folder that is ours to replace."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from kodomo_desktop.web.site import GENERATOR, INDEX, build_site


def is_web_output(folder: Path) -> bool:
    """A folder a previous web edition was written to (its index page names this program as generator)."""
    index = folder / INDEX
    try:
        return f'<meta name="generator" content="{GENERATOR}">' in index.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False


def refusal(folder: str | Path) -> str:
    """Why writing to folder would destroy something not ours ("" when it may be written)."""
    path = Path(folder)
    if not path.exists():
        return ""
    if not path.is_dir():
        return f"{path} はフォルダではありません。"
    if any(path.iterdir()) and not is_web_output(path):
        return f"フォルダ {path} は空ではなく、以前に書き出したウェブ版でもありません。"
    return ""


def write_site(document: dict[str, Any], folder: str | Path) -> list[str]:
    """Build the site in a new folder beside the target, then put it in the target's place: a failure leaves
    the previous contents as they were. The caller checks `refusal` first. The names written, index first."""
    target = Path(folder).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    old = staging.with_suffix(".old")
    try:
        names = build_site(document, staging)
        # mkdtemp makes the folder private; give it the permissions a normally made folder gets
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(staging, 0o777 & ~mask)
        if target.exists():
            target.rename(old)
        try:
            staging.rename(target)
        except BaseException:
            if old.exists():
                old.rename(target)
            raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return names
