"""The output folder of a publish: a file is written only when its bytes differ from what is there.

A republish after one change thus rewrites only the files that change shows in, and a sync to a CDN
or web server moves only those. Files inside the folders a publish owns that it did not produce this
time (a measure renumbered, yesterday's "as of today" snapshot) are removed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class WriteCounts:
    written: int
    unchanged: int
    removed: int


@dataclass(frozen=True)
class OutputPart:
    """What one worker's ``Output`` did, to be merged into the publish's."""

    written_paths: tuple[str, ...]
    unchanged: int
    produced: tuple[str, ...]


class Output:
    def __init__(self, root: Path):
        self.root = root
        self.written = 0
        self.unchanged = 0
        self.removed = 0
        self.produced: set[str] = set()
        self.written_paths: list[str] = []
        self._folders: set[str] = set()

    def path(self, relative: str) -> Path:
        return self.root / relative

    def is_current(self, relative: str, data: bytes) -> bool:
        """Whether the file holds exactly ``data`` already."""
        try:
            with open(self.root / relative, "rb") as file:
                return file.read(len(data) + 1) == data
        except (FileNotFoundError, NotADirectoryError):
            return False

    def exists(self, relative: str) -> bool:
        return (self.root / relative).is_file()

    def keep(self, relative: str) -> None:
        """Count a file as produced and unchanged without rewriting it (its source did not change)."""
        self.produced.add(relative)
        self.unchanged += 1

    def put(self, relative: str, data: bytes) -> bool:
        """Write ``data`` to ``relative`` unless the file holds it already; True when it was written."""
        self.produced.add(relative)
        if self.is_current(relative, data):
            self.unchanged += 1
            return False
        folder = os.path.dirname(relative)
        if folder not in self._folders:
            (self.root / folder).mkdir(parents=True, exist_ok=True)
            self._folders.add(folder)
        target = self.root / relative
        temporary = target.with_name(f".{target.name}.tmp")
        with open(temporary, "wb") as file:
            file.write(data)
        os.replace(temporary, target)  # readers of a served folder never see half a file
        self.written += 1
        self.written_paths.append(relative)
        return True

    def remove_stale(self, folder: str) -> None:
        """Delete the files under ``folder`` that this publish did not produce, and folders left empty."""
        top = self.root / folder
        for current, _dirs, files in os.walk(top, topdown=False):
            relative_dir = os.path.relpath(current, self.root)
            for name in files:
                relative = f"{relative_dir}/{name}" if relative_dir != "." else name
                if relative not in self.produced:
                    os.unlink(os.path.join(current, name))
                    self.removed += 1
            if current != str(top) and not os.listdir(current):
                os.rmdir(current)

    def merge(self, part: OutputPart) -> None:
        """Take over what another ``Output`` on the same folder did (a worker's part of the publish)."""
        self.written += len(part.written_paths)
        self.written_paths.extend(part.written_paths)
        self.unchanged += part.unchanged
        self.produced.update(part.produced)

    def part(self) -> OutputPart:
        return OutputPart(tuple(self.written_paths), self.unchanged, tuple(self.produced))

    def counts(self) -> WriteCounts:
        return WriteCounts(self.written, self.unchanged, self.removed)
