"""What a booklet build keeps between runs: parsed font tables and the phrases of the texts.

Each is one marshal file in the user's cache folder, named by a hash of what it was
computed from; a missing, stale or unreadable file only costs the next run its time,
and a read-only or full disk only costs the next run its time too.
"""

import contextlib
import hashlib
import marshal
import sys
from pathlib import Path
from typing import Any

from kodomo_desktop.core import locations
from kodomo_desktop.core.errors import KodomoError
from kodomo_desktop.core.files import write_bytes_atomic


def cache_path(kind: str, key: str) -> Path:
    # marshal's format is only stable within one Python version: its cache tag is in the key
    digest = hashlib.sha256(f"{sys.implementation.cache_tag}|{key}".encode()).hexdigest()[:32]
    return locations.user_cache_dir() / kind / f"{digest}.marshal"


def load(path: Path) -> Any:
    """The value stored at path, or None."""
    with contextlib.suppress(Exception):  # absent, unreadable or truncated: computed again
        return marshal.loads(path.read_bytes())
    return None


def store(path: Path, value: Any) -> None:
    with contextlib.suppress(KodomoError):  # the cache is only a shortcut (see above)
        write_bytes_atomic(path, marshal.dumps(value))
