"""Writing a file so that nobody ever finds half of it: not a reader, not the next run after a crash."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to the disk, then rename it to ``path``:
    ``path`` holds its old content or the new, never a part. The file is readable by its owner only (mkstemp),
    which suits what it is used for (backups hold password hashes). ``OSError`` says why it could not be
    written (missing folder, a folder of that name, a full disk); no temporary file is left behind then."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
