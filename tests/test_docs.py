"""The documentation keeps up with the code: every setting and every command is documented, and the
README keeps its two set-up commands (like sqlite-utils' and Datasette's documentation tests)."""

from __future__ import annotations

import re

import click
import pytest
import typer

from tests.helpers import ROOT
from tracker import settings
from tracker.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = README + "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))


def commands() -> list[tuple[str, click.Command]]:
    """Every command of ``tracker`` by its full name ("user add"), groups included."""
    found = []

    def walk(prefix: str, command: click.Command) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            full = f"{prefix} {name}".strip()
            found.append((full, sub))
            walk(full, sub)

    walk("", typer.main.get_command(app))
    return found


@pytest.mark.parametrize("setting", settings.SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented(setting):
    assert setting.name in DOCS, f"{setting.name} is not in the README or docs/"
    assert setting.help.strip()


def test_the_code_reads_only_declared_settings():
    code = "\n".join(p.read_text(encoding="utf-8") for d in ("tracker", "dashboard") for p in (ROOT / d).rglob("*.py"))
    used = set(re.findall(r"\bTRACKER_[A-Z_]+\b", code))
    assert used, "no settings found: is the pattern still right?"
    assert used <= set(settings.BY_NAME), f"not declared in tracker/settings.py: {used - set(settings.BY_NAME)}"


@pytest.mark.parametrize(("name", "command"), commands(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_is_in_the_readme_and_has_help(name, command):
    assert f"tracker {name}" in README, f"`tracker {name}` is not in the README"
    assert (command.help or "").strip(), f"`tracker {name}` has no --help text"
    for parameter in command.params:
        if isinstance(parameter, click.Option) and parameter.name != "help":
            assert (parameter.help or "").strip(), f"`tracker {name}` {parameter.opts[0]} has no help"


def test_readme_set_up_is_exactly_make_run_and_make_test():
    setup = README.split("## Set-up", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^make \w+", setup, flags=re.M)
    assert commands == ["make run", "make test"]
