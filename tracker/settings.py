"""Every ``TRACKER_`` setting, declared once with its default and help (like Datasette's ``SETTINGS``).

The code reads settings only through ``get``; the README and ``docs/`` document each of them (a test
walks this table); ``tracker settings`` prints it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str
    used_by: str  # who reads it: "app", "cli", "tests" or "benchmarks" (or several, comma-separated)


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "TRACKER_DATABASE_URL",
        "",
        "SQLAlchemy URL of the database; empty means the SQLite file var/tracker.sqlite3 in the project directory.",
        "app",
    ),
    Setting(
        "TRACKER_PROGRAMME",
        "",
        "Slug of the default programme when several are loaded: the one the CLI works on (the same as "
        "--programme) and the one the dashboard opens for a link without ?programme= (empty: the first-imported "
        "programme that is not demo data).",
        "app, cli",
    ),
    Setting(
        "TRACKER_CACHE_TTL",
        "60",
        "Seconds the dashboard keeps read results per process (0 turns caching off); a write shows at once "
        "in the process that made it, in other replicas within this time.",
        "app",
    ),
    Setting(
        "TRACKER_REVIEW",
        "auto",
        "Review by a second person: on, a recorded status change (checkability flag, translation) is only proposed "
        "and the public sees it once a reviewer or admin who is not its author approved it; off, it is public at "
        "once (a one-person team); auto, on once more than one enabled account exists. The method page says which.",
        "app, cli",
    ),
    Setting(
        "TRACKER_TERM_END_LEAD_DAYS",
        "90",
        "Days before the end of the term from which the staff list of measures to rate shows every measure still "
        "not rated, for a final rating (besides the measures whose deadline has passed).",
        "app, cli",
    ),
    Setting("TRACKER_MAINTAINER", "", "Who maintains the tracker, shown on the method page.", "app"),
    Setting("TRACKER_CONTACT", "", "Where to send corrections and hints, shown on the method page.", "app"),
    Setting(
        "TRACKER_DATA_LICENCE",
        "CC BY 4.0",
        "The licence of the published figures, ratings and sources, named on the edition's method and data pages.",
        "cli",
    ),
    Setting(
        "TRACKER_DATA_LICENCE_URL",
        "https://creativecommons.org/licenses/by/4.0/",
        "Where the licence's text is (linked beside its name; empty for no link).",
        "cli",
    ),
    Setting(
        "TRACKER_PUBLISH_DIR",
        "",
        "When set, every change (app, set-status, import-statuses) publishes its programme's edition into this "
        "folder again, in the background (like tracker publish; only changed files are rewritten).",
        "app, cli",
    ),
    Setting("TRACKER_PUBLISH_BASE_URL", "", "The --base-url of that automatic publish.", "app, cli"),
    Setting("TRACKER_PUBLISH_APP_URL", "", "The --app-url of that automatic publish.", "app, cli"),
    Setting(
        "TRACKER_TRUSTED_PROXIES",
        "",
        "Addresses or networks (comma-separated, e.g. 10.0.0.2,10.1.0.0/16) of the reverse proxies in front of "
        "the app. A sign-in that comes through one of them counts against the client address in X-Forwarded-For "
        "(the last one there that is not such a proxy); empty: against the address the connection comes from. "
        "At most 20 failed sign-ins per client address in 15 minutes are checked.",
        "app",
    ),
    Setting(
        "TRACKER_TEST_POSTGRES_URL",
        "",
        "A PostgreSQL database the tests may wipe; with it every database test also runs on PostgreSQL.",
        "tests",
    ),
    Setting("TRACKER_TEST_CHROMIUM", "/usr/bin/chromium", "The Chromium that browser tests drive.", "tests"),
    Setting(
        "TRACKER_BENCH_POSTGRES_URL",
        "",
        "A PostgreSQL database the benchmarks may wipe; with it they measure PostgreSQL too.",
        "benchmarks",
    ),
)

BY_NAME = {setting.name: setting for setting in SETTINGS}


def default(name: str) -> str:
    return BY_NAME[name].default


def get(name: str) -> str:
    """The value of a declared setting from the environment, stripped, or its default."""
    return os.environ.get(name, "").strip() or BY_NAME[name].default
