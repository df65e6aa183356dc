"""Writing output files so that a failure never leaves half a file behind."""

import os
import tempfile
from pathlib import Path

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
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
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
