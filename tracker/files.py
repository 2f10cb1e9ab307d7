"""Writing files so that nobody ever finds half of one under its name: not a reader, not the next run after a
crash.

``write_files`` (exports) and ``write_atomically`` (backups) write each file's bytes to a temporary file in the
same folder, flush it to the disk and only then rename it into place (a rename within one file system replaces
the name at once). A kill, a full disk or an error on the way leaves the earlier file (or no file) under the
name, never a truncated one; an error leaves no temporary file behind (a kill may leave one, hidden: its name
starts with a dot and ends in ``.part``). Several files are renamed into place together once all of them are
written.

A target that is not a regular file (``/dev/stdout``, a named pipe) cannot be replaced; it is written to
directly.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path


class WriteFailed(OSError):
    """A file could not be written; ``path`` names it and ``reason`` (also ``strerror``) says why, in words.
    Nothing was replaced."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path
        self.reason = self.strerror = reason


def write_atomically(path: Path, data: bytes) -> None:
    """Write one file readable by its owner only (a backup holds password hashes); ``WriteFailed`` says why it
    could not be written (a missing folder, a folder of that name, a full disk)."""
    write_files([(path, data)], private=True)


def write_files(files: Sequence[tuple[Path, bytes]], *, private: bool = False) -> None:
    """Write every ``(path, data)``: all of them, or (when one cannot be written) none of them is replaced.

    A file keeps the permissions of the file it replaces, or gets those of a new file (the umask); ``private``
    makes each readable by its owner only."""
    written: list[tuple[Path, Path]] = []  # (temporary file, target)
    try:
        for path, data in files:
            temporary = _write_beside(path, data, private)
            if temporary is not None:
                written.append((temporary, path))
        for temporary, path in written:
            os.replace(temporary, path)
        for folder in {path.parent for _, path in written}:
            _sync_folder(folder)
    except BaseException:
        for temporary, _ in written:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        raise


def _write_beside(path: Path, data: bytes, private: bool) -> Path | None:
    """Write ``data`` to a new temporary file beside ``path``; its name, or None when ``path`` is a device or
    a pipe that was written to directly."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise WriteFailed(path, _reason(path, error)) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise WriteFailed(path, "it is a folder; name a file in it")
    if mode is not None and not stat.S_ISREG(mode):
        try:
            with open(path, "wb") as file:
                file.write(data)
        except OSError as error:
            raise WriteFailed(path, _reason(path, error)) from None
        return None
    folder = path.parent
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise WriteFailed(path, _reason(path, error)) from None
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        if not private:  # mkstemp made it its owner's only
            os.chmod(temporary, stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise WriteFailed(path, _reason(path, error)) from None
        raise
    return temporary


def _reason(path: Path, error: OSError) -> str:
    if isinstance(error, FileNotFoundError) and not path.parent.is_dir():
        return f"the folder {path.parent} does not exist"
    return error.strerror or str(error)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` durable (where the system allows opening a folder)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
