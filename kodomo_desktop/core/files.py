"""Writing output files so that a failure never leaves half a file behind."""

import errno
import os
import tempfile
from pathlib import Path

from kodomo_desktop.core.environment import path_failure
from kodomo_desktop.core.errors import InvalidInput


def read_utf8_text(path: Path) -> str:
    """A UTF-8 text file (a BOM is dropped); every failure is a Japanese message naming the file."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"{path}: ファイルが見つかりません。") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path}: UTF-8 のテキストではありません。") from None
    except OSError as exc:
        raise InvalidInput(f"{path}: 読み込めません（{exc.strerror}）。") from None


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """The whole file or, on any failure, the old one untouched; a failure is a message naming the path."""
    path = Path(path)
    if path.is_dir():
        raise path_failure(IsADirectoryError(errno.EISDIR, "Is a directory"), path)
    try:
        # a missing folder is made, as before; one that cannot be (under a regular file) is a message
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_replacing(path, data)
    except OSError as exc:
        raise path_failure(exc, path) from None


def _write_replacing(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        # mkstemp makes the file private; give it the permissions a normally written file gets
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
