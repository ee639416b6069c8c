"""Files written whole or not at all: a temporary file beside the target, then a rename.

:func:`replacing` hands out a temporary path in the target's folder (``.<name>.<random>.tmp``)
for the block to write; when the block ends without error the temporary file is renamed
over the target (``os.replace``: atomic on one file system), otherwise it is deleted and
the target is left as it was. So a full disk or a crash never leaves a 0-byte or
half-written report where the previous one (or none) was.

A write that fails on the file system (disk full, read-only folder, no permission)
becomes :class:`OutputWriteError`, whose message is one line naming the file and what
to do; the command line prints it and exits with code 2.
"""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

#: What to do, per cause of a failed write.
_ADVICE = {
    errno.ENOSPC: "the disk is full: free space on it or write to another folder (--out)",
    errno.EDQUOT: "the disk quota is used up: free space or write to another folder (--out)",
    errno.EROFS: "the folder is on a read-only file system: write to another folder (--out)",
    errno.EACCES: "no permission to write there: make the folder writable or use another (--out)",
    errno.EPERM: "no permission to write there: make the folder writable or use another (--out)",
}


class OutputWriteError(OSError):
    """A report or list could not be written (see the module doc); nothing was left behind.

    ``str()`` is the one-line message (``cannot write <file>: <what to do>``)."""

    def __str__(self) -> str:
        return str(self.strerror)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.errno in _ADVICE:
        return _ADVICE[exc.errno]
    text = str(exc).lower()
    if "no space left" in text or "disk full" in text:
        return _ADVICE[errno.ENOSPC]
    if "read-only file system" in text:
        return _ADVICE[errno.EROFS]
    if "permission denied" in text:
        return _ADVICE[errno.EACCES]
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def temporary_name(path: Path) -> Path:
    """An unused temporary path in ``path``'s folder (the file is not created)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


@contextmanager
def replacing(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` (see module doc).

    Raises :class:`OutputWriteError` when the folder cannot be made or the file cannot
    be written or renamed for a file-system reason (a DuckDB I/O error included).
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputWriteError(
            exc.errno, f"cannot write {target}: {_reason(exc)}", str(target)
        ) from exc
    tmp = temporary_name(target)
    try:
        yield tmp
        os.replace(tmp, target)
    except (OSError, duckdb.IOException) as exc:
        _remove(tmp)
        if isinstance(exc, OutputWriteError):
            raise
        code = exc.errno if isinstance(exc, OSError) else None
        raise OutputWriteError(code, f"cannot write {target}: {_reason(exc)}", str(target)) \
            from exc
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: Path) -> None:
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass


def write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` whole or not at all; return the path."""
    target = Path(path)
    with replacing(target) as tmp, open(tmp, "x", encoding=encoding, newline="") as handle:
        handle.write(text)
    return target
