"""Helpers for end-to-end tests and the page benchmarks: a real app server and real headless Chromium.

``AppServer`` is the one way the browser tests (``running_app``) and the benchmarks in bench/ start a
Streamlit server: the dashboard exactly as it is deployed, with the installed ``tracker serve``
command, or any other script with ``streamlit run`` (bench/floor_app.py, the benchmarks' floor).
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from tests.helpers import tracker_command
from tracker.cli import streamlit_command

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("TRACKER_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """A server process on a free port of 127.0.0.1, started in the repository root (so that
    .streamlit/config.toml applies), stopped with SIGTERM (then SIGKILL after ``grace`` seconds).

    ``dashboard()`` runs ``tracker serve``, ``script()`` runs ``streamlit run SCRIPT``. Both end up as
    one process (``tracker serve`` execs Streamlit in place), so ``pid`` is the Python interpreter that
    serves the pages, whose memory a benchmark may read. Its output goes to a log file (not a pipe that
    nobody reads, which would stall a talkative server); ``output()`` returns it, and errors quote it.
    Servers still running when the interpreter exits are stopped then.
    """

    def __init__(
        self,
        command: Sequence[str],
        port: int,
        env: Mapping[str, str] | None = None,
        name: str | None = None,
        cwd: Path = ROOT,
    ):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.name = name or Path(command[0]).name
        self.log_path = Path(tempfile.mkstemp(prefix="tracker-app-", suffix=".log")[1])
        try:
            with self.log_path.open("wb") as log:
                self.process = subprocess.Popen(
                    list(command), cwd=cwd, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
                )
        except BaseException:
            self.log_path.unlink(missing_ok=True)
            raise
        _running.append(self)

    @classmethod
    def dashboard(
        cls, database_url: str | None = None, env: Mapping[str, str] | None = None, code: Path | None = None
    ) -> AppServer:
        """The tracker's dashboard as deployed: ``tracker serve --port P --host 127.0.0.1``.

        ``database_url`` becomes its ``TRACKER_DATABASE_URL``; ``env`` adds or overrides variables. ``code``
        serves another copy of the repository (e.g. an older commit, for a before/after benchmark): it is
        the server's working directory and first on its PYTHONPATH, so its ``tracker`` and ``dashboard`` win.
        """
        port = free_port()
        command = [*tracker_command(), "serve", "--port", str(port), "--host", "127.0.0.1"]
        extra = {"TRACKER_DATABASE_URL": database_url} if database_url else {}
        if code is not None:
            extra["PYTHONPATH"] = str(code)
        return cls(command, port, {**extra, **(env or {})}, name="tracker serve", cwd=code or ROOT)

    @classmethod
    def script(cls, path: Path, env: Mapping[str, str] | None = None, args: Sequence[str] = ()) -> AppServer:
        """Any Streamlit script: ``streamlit run PATH`` with the same server options as ``tracker serve``."""
        port = free_port()
        command = [*streamlit_command(str(path), port, "127.0.0.1"), *args]
        return cls(command, port, env, name=f"streamlit run {path.name}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        """Everything the server has written so far (stdout and stderr)."""
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_healthy(self, timeout: float = 90) -> AppServer:
        """Wait until ``/_stcore/health`` answers ``ok``; stop the server and raise with its log if it does not."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        return self
            except OSError:
                pass
            exited = self.process.poll()
            if exited is not None or time.monotonic() > deadline:
                why = f"exited with status {exited}" if exited is not None else f"not healthy after {timeout:.0f} s"
                log = self.output()
                self.stop()
                raise RuntimeError(f"{self.name} on port {self.port} {why}; its output:\n{log}")
            time.sleep(0.2)

    def stop(self, grace: float = 10) -> int | None:
        """Stop the server if it still runs and remove its log; returns the exit status (None if unknown)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self in _running:
            _running.remove(self)
        self.log_path.unlink(missing_ok=True)
        return self.process.returncode

    def __enter__(self) -> AppServer:
        return self.wait_healthy()

    def __exit__(self, *exc) -> None:
        self.stop()


_running: list[AppServer] = []


@atexit.register
def _stop_all() -> None:
    for server in list(_running):
        server.stop()


@contextmanager
def running_app(database_url: str, timeout: float = 90, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """The dashboard started with ``tracker serve`` on a free port; yields its base URL once healthy.

    If the server died while it was in use, leaving the block raises with the server's output.
    """
    server = AppServer.dashboard(database_url, env)
    died = None
    try:
        server.wait_healthy(timeout)
        yield server.base
        if server.process.poll() is not None:
            died = f"the dashboard ({server.name}) exited with status {server.process.returncode} while in use:\n"
            died += server.output()
    finally:
        server.stop()
    if died:
        raise RuntimeError(died)


def wait_until_rendered(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit is connected and has finished running the script."""
    page.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    page.wait_for_function(
        "() => { const e = document.querySelector(\"[data-testid='stApp']\");"
        " return e && e.getAttribute('data-test-script-state') === 'notRunning'"
        " && e.getAttribute('data-test-connection-state') === 'CONNECTED'; }",
        timeout=timeout,
    )


def sign_in(page, name: str, password: str) -> None:
    """Fill the staff sign-in page (where a staff address without a session leads) and submit it; once it
    has led back to a Streamlit page, wait until that page has rendered."""
    page.get_by_label("Name").fill(name)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state()
    if "/staff/sign-in" not in page.url:
        page.wait_for_timeout(300)
        wait_until_rendered(page)


def sign_in_staff(page, base: str, name: str, password: str, path: str = "/staff") -> None:
    """Open ``base + path`` and sign in as ``name`` (through the sign-in page it leads to, or, on an older
    checkout that a benchmark compares with, Streamlit's own form), then wait until signed in."""
    page.goto(base + path)
    if "/staff/sign-in" in page.url:
        sign_in(page, name, password)
    else:
        wait_until_rendered(page)
        page.get_by_label("Passwort").fill(password)
        page.get_by_label("Name").fill(name)
        page.get_by_role("button", name="Anmelden").click()
    page.get_by_text("Angemeldet als").first.wait_for(timeout=30_000)
    wait_until_rendered(page)


class GermanReader:
    """Chromium as a German reader has it: every new context and page prefers German (``de-DE``) unless a test
    says otherwise. The app follows the browser's language, and Playwright's own default is en-US."""

    LOCALE = "de-DE"

    def __init__(self, browser) -> None:
        self._browser = browser

    def new_context(self, **options):
        return self._browser.new_context(**{"locale": self.LOCALE, **options})

    def new_page(self, **options):
        return self._browser.new_page(**{"locale": self.LOCALE, **options})

    def __getattr__(self, name: str):
        return getattr(self._browser, name)
