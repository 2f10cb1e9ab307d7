"""Operator backups: everything needed to rebuild the tracker, in one self-describing file.

``tracker backup FILE`` writes every table but the staff sessions and the sign-in attempts per client
address (``EXCLUDED``: a restore signs everyone out and starts those counts afresh): programmes, areas, goals,
pledges, status changes, sources, accounts with their password hashes, display names, roles and disabled
flags, and the audit trail. The file is one JSON document, gzip-compressed when its name ends in ``.gz``::

    {"format": "pledge-tracker-backup", "format_version": 1, "schema_revision": "0006",
     "written_at": "2026-11-25T18:00:00+00:00",
     "tables": {"programme": {"columns": ["id", "slug", ...], "rows": [[1, "hak-herne-2025", ...], ...]}, ...}}

Tables come in the order they can be restored, rows by primary key, with their ids; dates are YYYY-MM-DD,
moments ISO 8601 in UTC. ``tracker restore-backup FILE`` rebuilds the schema at the backup's revision,
inserts the rows, moves PostgreSQL's id sequences past them and upgrades to the newest revision, all in one
transaction: a backup written by an older version of the tracker is migrated like any database, and a
refused or interrupted restore leaves the database as it was.

Unlike the other use cases these do not open a unit of work: a backup reads in one snapshot
(``db.snapshot``), a restore changes the schema and the rows in one transaction (``db.schema_transaction``).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Integer, MetaData, String, Table, func, inspect, select
from sqlalchemy import exc as sql_errors

from tracker import clock, db
from tracker.files import write_atomically
from tracker.models import Base
from tracker.services.auth import Actor, require
from tracker.services.database import database_description
from tracker.services.errors import InvalidInput
from tracker.services.unit_of_work import unit_of_work
from tracker.statuses import Role

FORMAT = "pledge-tracker-backup"
FORMAT_VERSION = 1
EXCLUDED = frozenset({"staff_session", "sign_in_address"})
VERSION_TABLE = "alembic_version"
INSERT_BATCH = 5000

# How the reports name what a table holds (one, several); a table not listed here is named by itself.
WHAT = {
    "programme": ("programme", "programmes"),
    "area": ("area", "areas"),
    "goal": ("goal", "goals"),
    "pledge": ("pledge", "pledges"),
    "status_change": ("status change", "status changes"),
    "evidence": ("source", "sources"),
    "app_user": ("account", "accounts"),
    "audit_event": ("audit event", "audit events"),
    "staff_session": ("session", "sessions"),
    "sign_in_address": ("client address with failed sign-ins", "client addresses with failed sign-ins"),
}


@dataclass(frozen=True)
class BackupReport:
    """A backup written or restored: its file, schema revision, when it was written, rows per table."""

    path: str
    schema_revision: str
    written_at: str
    rows: dict[str, int]

    def counts(self) -> str:
        return _counts(self.rows)


def _counts(rows: dict[str, int]) -> str:
    """``{"programme": 1, "pledge": 262}`` as "1 programme, 262 pledges", in the order of ``WHAT``."""
    order = list(WHAT)
    tables = sorted(rows, key=lambda t: order.index(t) if t in order else len(order))
    return ", ".join(f"{rows[t]} {WHAT.get(t, (t, t))[rows[t] != 1]}" for t in tables)


def write_backup(path: Path, actor: Actor) -> BackupReport:
    """Write everything but the sessions to ``path`` (gzip when it ends in ``.gz``), through a temporary file:
    ``path`` never holds half a backup. The database must have the newest schema."""
    _require_admin(actor)
    with db.snapshot() as connection:
        revision = db.current_revision(connection) or ""
        tables = {table.name: _dump(connection, table) for table in _tables(Base.metadata)}
    written_at = clock.now_utc().isoformat()
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": revision,
        "written_at": written_at,
        "tables": tables,
    }
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if path.name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    try:
        write_atomically(path, data)
    except OSError as error:
        raise InvalidInput(str(path), "unwritable", reason=error.strerror or str(error)) from None
    return BackupReport(str(path), revision, written_at, {name: len(t["rows"]) for name, t in tables.items()})


def _require_admin(actor: Actor) -> None:
    """The actor check of every use case (``require``), in a unit of work of its own: a backup reads and a restore
    writes through connections of their own (``db.snapshot``, ``db.schema_transaction``)."""
    with unit_of_work() as session:
        require(session, actor, Role.ADMIN)


def _tables(metadata: MetaData) -> list[Table]:
    """The tables a backup holds, in an order that inserts every row after the rows it refers to."""
    return [t for t in metadata.sorted_tables if t.name not in EXCLUDED and t.name != VERSION_TABLE]


def _dump(connection: Connection, table: Table) -> dict[str, list]:
    rows = connection.execute(select(table).order_by(*table.primary_key.columns))
    return {"columns": [c.name for c in table.columns], "rows": [[_to_json(v) for v in row] for row in rows]}


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return clock.as_utc(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def read_backup(path: Path) -> dict[str, Any]:
    """The document in ``path``, its format, version, schema revision and layout checked; every refusal
    names the file and what is wrong with it."""
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(where, "unreadable", reason=error.strerror or str(error)) from None
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as error:
            reason = f"its gzip compression is damaged or cut short ({error})"
            raise InvalidInput(where, "backup_damaged", reason=reason) from None
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InvalidInput(where, "not_json", reason=str(error)) from None
    found = document.get("format") if isinstance(document, dict) else f"a JSON {type(document).__name__}"
    if found != FORMAT:
        raise InvalidInput(where, "wrong_format", expected=FORMAT, found=found or "no format name")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInput(where, "backup_damaged", reason=f"format_version {version!r} is not a version number")
    if version > FORMAT_VERSION:
        raise InvalidInput(
            where, "backup_newer", found=f"backup format {version}", known=f"backup format {FORMAT_VERSION}"
        )
    revision, known = document.get("schema_revision"), db.revisions()
    if revision not in known:
        raise InvalidInput(where, "backup_newer", found=f"schema revision {revision!r}", known=f"revision {known[-1]}")
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise InvalidInput(where, "backup_damaged", reason="it has no tables")
    for name, table in tables.items():
        if not (
            isinstance(table, dict)
            and isinstance(table.get("columns"), list)
            and all(isinstance(c, str) for c in table["columns"])
            and isinstance(table.get("rows"), list)
        ):
            raise InvalidInput(where, "backup_damaged", reason=f"table {name} has no list of columns and rows")
    return document


def restore_backup(path: Path, actor: Actor, replace: bool = False) -> BackupReport:
    """Rebuild the tracker from the backup in ``path``, in one transaction: into an empty database, or with
    ``replace`` into one whose tracker tables are dropped first. Refused (nothing changed) when the file is
    not a backup this version can read, a row does not fit the schema, or the database is not empty."""
    _require_admin(actor)
    document = read_backup(path)
    where, revision = str(path), document["schema_revision"]
    with db.schema_transaction() as connection:
        holds = _rows_held(connection)
        if any(holds.values()) and not replace:
            raise InvalidInput(
                database_description(), "database_not_empty", holds=_counts({t: n for t, n in holds.items() if n})
            )
        _drop_tracker_tables(connection)
        db.upgrade_within(connection, revision)
        schema = MetaData()
        schema.reflect(connection)
        rows = _insert_all(connection, where, schema, document["tables"], revision)
        broken = db.foreign_key_problems(connection)
        if broken:
            table, row, parent, _ = broken[0]
            raise InvalidInput(
                where, "backup_damaged", reason=f"a row of {table} (row id {row}) refers to a row of {parent} it lacks"
            )
        _advance_id_sequences(connection, schema)
        db.upgrade_within(connection, "head")
    return BackupReport(where, revision, str(document.get("written_at", "")), rows)


def _rows_held(connection: Connection) -> dict[str, int]:
    present = set(inspect(connection).get_table_names())
    return {
        t.name: connection.scalar(select(func.count()).select_from(t))
        for t in Base.metadata.sorted_tables
        if t.name in present
    }


def _drop_tracker_tables(connection: Connection) -> None:
    """Drop the tracker's tables and its schema revision, whatever revision the database is at."""
    Base.metadata.drop_all(connection, checkfirst=True)
    if inspect(connection).has_table(VERSION_TABLE):
        Table(VERSION_TABLE, MetaData()).drop(connection)


def _insert_all(
    connection: Connection, where: str, schema: MetaData, tables: dict[str, dict], revision: str
) -> dict[str, int]:
    expected = _tables(schema)
    unknown = sorted(set(tables) - {t.name for t in expected})
    if unknown:
        raise InvalidInput(where, "backup_damaged", reason=f"schema revision {revision} has no table {unknown[0]}")
    rows = {}
    for table in expected:
        if table.name not in tables:
            raise InvalidInput(where, "backup_damaged", reason=f"table {table.name} is missing")
        rows[table.name] = _insert(connection, where, table, tables[table.name], revision)
    return rows


def _insert(connection: Connection, where: str, table: Table, data: dict, revision: str) -> int:
    columns = data["columns"]
    names = [c.name for c in table.columns]
    if sorted(columns) != sorted(names):
        extra, missing = sorted(set(columns) - set(names)), sorted(set(names) - set(columns))
        reason = f"in schema revision {revision}, table {table.name} has the columns {', '.join(names)}"
        detail = f"{', '.join(missing)} missing" if missing else f"{', '.join(extra)} unknown"
        raise InvalidInput(where, "backup_damaged", reason=f"{reason}; {detail}")
    kinds = [table.columns[name] for name in columns]
    values = []
    for number, row in enumerate(data["rows"], start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            found = f"{len(row)} values" if isinstance(row, list) else "no list of values"
            reason = f"row {number} of table {table.name} has {found}, not {len(columns)}"
            raise InvalidInput(where, "backup_damaged", reason=reason)
        place = f"row {number} of table {table.name}"
        values.append({c.name: _from_json(c, v, place, where) for c, v in zip(kinds, row, strict=True)})
    for start in range(0, len(values), INSERT_BATCH):
        try:
            connection.execute(table.insert(), values[start : start + INSERT_BATCH])
        except sql_errors.DBAPIError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
            raise InvalidInput(
                where, "backup_damaged", reason=f"the database refused a row of table {table.name}: {reason}"
            ) from None
    return len(values)


def _from_json(column, value: Any, row: str, where: str) -> Any:
    """A value of the backup as the column takes it; ``backup_damaged`` when it does not fit."""
    kind = column.type
    if value is None:
        if column.nullable:
            return None
        problem = "is empty (null) but needs a value"
    elif isinstance(kind, Boolean):
        if isinstance(value, bool):
            return value
        problem = "is not true or false"
    elif isinstance(kind, Integer):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        problem = "is not a whole number"
    elif isinstance(kind, DateTime | Date):
        parse = dt.datetime.fromisoformat if isinstance(kind, DateTime) else dt.date.fromisoformat
        try:
            return parse(value)
        except (TypeError, ValueError):
            problem = "is not a moment in ISO 8601" if isinstance(kind, DateTime) else "is not a date YYYY-MM-DD"
    elif isinstance(kind, String):
        if isinstance(value, str):
            return value
        problem = "is not text"
    else:
        return value
    shown = "" if value is None else f" {value!r}"
    raise InvalidInput(where, "backup_damaged", reason=f"{row}, column {column.name}:{shown} {problem}")


def _advance_id_sequences(connection: Connection, schema: MetaData) -> None:
    """On PostgreSQL, move each id sequence past the ids just inserted, so that the next row gets a new id."""
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer.quote
    for table in schema.sorted_tables:
        if "id" in table.columns and isinstance(table.columns["id"].type, Integer):
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence(%(table)s, 'id'), "
                f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {quote(table.name)}), false)",
                {"table": quote(table.name)},
            )
