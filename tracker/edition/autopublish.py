"""Publishing again after each change, when ``TRACKER_PUBLISH_DIR`` is set.

A write (in the app, or ``tracker set-status`` / ``import-statuses``) calls ``republish`` with its
programme; that starts ``tracker publish DIR --programme SLUG`` as a process of its own, so the person
saving does not wait for it, and its output goes to ``DIR/.publish.log``. Publishes into one folder run
one after the other (``publisher`` holds ``DIR/.publish.lock`` while it writes), and each rewrites only the
files whose content changed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tracker import settings

LOG_NAME = ".publish.log"


def _folder() -> Path | None:
    folder = settings.get("TRACKER_PUBLISH_DIR").strip()
    return Path(folder) if folder else None


def command(slug: str) -> list[str] | None:
    """The publish command for ``slug`` as configured, or None when no publish folder is set."""
    folder = _folder()
    if folder is None:
        return None
    args = [sys.executable, "-m", "tracker.cli", "publish", str(folder), "--programme", slug]
    for option, name in (("--base-url", "TRACKER_PUBLISH_BASE_URL"), ("--app-url", "TRACKER_PUBLISH_APP_URL")):
        if value := settings.get(name).strip():
            args += [option, value]
    return args


def republish(slug: str) -> subprocess.Popen | None:
    """Start publishing ``slug`` again in the background (when configured); the process, or None."""
    args, folder = command(slug), _folder()
    if args is None or folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / LOG_NAME).open("ab") as log:
        return subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
