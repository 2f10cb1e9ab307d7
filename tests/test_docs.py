"""Every setting the code reads is documented (README or docs/), and the README keeps its two commands."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_every_environment_setting_is_documented():
    code = "\n".join(p.read_text(encoding="utf-8") for d in ("tracker", "dashboard") for p in (ROOT / d).rglob("*.py"))
    settings = set(re.findall(r"\bTRACKER_[A-Z_]+\b", code))
    docs = (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md")
    )
    assert settings, "no settings found: is the pattern still right?"
    assert not {s for s in settings if s not in docs}, "undocumented settings"


def test_readme_set_up_is_exactly_make_run_and_make_test():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme.split("## Set-up", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^make \w+", setup, flags=re.M)
    assert commands == ["make run", "make test"]
