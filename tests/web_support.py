"""Shared by the web edition's tests: the FY2024 site."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import SEED_EDITION


def fy2024_document() -> dict:
    return json.loads(SEED_EDITION.read_text(encoding="utf-8"))


def build_fy2024(out: Path) -> list[str]:
    from kodomo_desktop.web.site import build_site

    return build_site(fy2024_document(), out)
