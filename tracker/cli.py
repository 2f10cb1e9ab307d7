"""The ``tracker`` command: a thin shell over ``tracker.services``, which words every error in English.

The database comes from ``TRACKER_DATABASE_URL`` (any SQLAlchemy URL); without it, the SQLite file
``var/tracker.sqlite3`` in the project directory. ``tracker settings`` lists every setting.

Every command goes through ``TrackerCommand``: an argument that holds a NUL or bytes that are not UTF-8 is
refused naming the argument, every error of the services becomes "Error: ..." and exit status 1 (never a
traceback), and everything written to the terminal passes ``say``, which shows control characters escaped.
"""

from __future__ import annotations

import getpass
import importlib.util
import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand

from tracker import services, settings
from tracker.files import WriteFailed, write_files
from tracker.programme import ProgrammeParseError
from tracker.statuses import BROKEN_REASONS, ROLES, SOURCE_KINDS, STATUS_KEYS, Role
from tracker.textfiles import printable, shortened, unreadable_character


def say(text: str, err: bool = False) -> None:
    """Write a line for a person at a terminal: control characters (an escape sequence stored in a rationale,
    a byte that was not UTF-8) shown escaped, never sent to the terminal raw."""
    typer.echo(printable(text), err=err)


def fail(message: str) -> None:
    say(f"Error: {message}", err=True)
    raise typer.Exit(1)


class TrackerCommand(TyperCommand):
    """A ``tracker`` command: its arguments checked first, the errors of the services worded as messages."""

    def invoke(self, ctx: typer.Context):
        try:
            _check_arguments(self, ctx)
            return super().invoke(ctx)
        except services.TrackerError as error:
            fail(str(error))
        except ProgrammeParseError as error:
            fail(f"{error}\nNothing was imported.")


def _check_arguments(command: TyperCommand, ctx: typer.Context) -> None:
    """Refuse an argument that holds a NUL or a byte that is not UTF-8 (Python hands such bytes of the command
    line on as lone surrogates, which no database and no file name of ours can take), naming the argument."""
    for param in command.params:
        value = ctx.params.get(param.name)
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if not isinstance(item, (str, Path)):
                continue
            unreadable = unreadable_character(str(item))
            if unreadable is not None:
                code = "nul" if unreadable.kind == "nul" else "not_utf8_text"
                name = param.opts[0] if param.param_type_name == "option" else param.name.upper()
                raise services.InvalidInput(name, code, char=unreadable.codepoint, position=unreadable.position)


class _Typer(typer.Typer):
    """Typer whose commands are ``TrackerCommand``s."""

    def command(self, *args, **kwargs):
        kwargs.setdefault("cls", TrackerCommand)
        return super().command(*args, **kwargs)


app = _Typer(
    help="Track the pledges of an election programme: import, rate with evidence, export open data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ProgrammeOption = Annotated[
    str | None,
    typer.Option(
        "--programme",
        "-p",
        envvar="TRACKER_PROGRAMME",
        help="Programme slug; may be left out while only one programme is loaded.",
    ),
]


AsOption = Annotated[
    str,
    typer.Option(
        "--as",
        help="The staff account that records this (see `tracker user list`); its full name signs it publicly.",
        show_default=False,
    ),
]
CREATE_ACCOUNT = 'tracker user add NAME --display-name "First Last"'


def operator() -> services.Actor:
    """The person at the shell, for the operator's commands (schema, programmes, accounts): whoever can run
    them can reach the database anyway. Changes to pledges are recorded as an account instead (``account``)."""
    return services.Actor(getpass.getuser(), Role.ADMIN, "cli")


def account(name: str) -> services.Actor:
    """The actor of ``--as NAME``: an existing, enabled account; otherwise exit 2 saying how to get one."""
    try:
        return services.account_actor(name, "cli")
    except (services.NotFound, services.PermissionDenied) as error:
        say(
            f"Error: {error} Changes are recorded as an existing, enabled account: pick one from "
            f"`tracker user list`, or let an admin create one with: {CREATE_ACCOUNT}",
            err=True,
        )
        raise typer.Exit(2) from None


def _require_schema() -> None:
    if not services.schema_is_current():
        fail(f"the database {services.database_description()} has no tracker schema or an older one; run: tracker init")


@app.command()
def init() -> None:
    """Create the schema, or upgrade it to the newest version."""
    revision = services.upgrade_schema()
    say(f"Schema at revision {revision} in {services.database_description()}")


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="TCP port to listen on.")] = 8501,
    host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 for every interface).")] = "localhost",
) -> None:
    """Start the dashboard (Streamlit, with the staff sign-in) on the configured database."""
    spec = importlib.util.find_spec("dashboard.server")
    if spec is None or spec.origin is None:
        fail("the dashboard is not installed beside the tracker; install the project with: pip install -e .")
    sys.stdout.flush()
    os.execv(sys.executable, streamlit_command(spec.origin, port, host))


def streamlit_command(script: str, port: int, host: str) -> list[str]:
    """How the tracker runs a Streamlit script: headless, without usage statistics, on ``host:port``."""
    return [
        sys.executable, "-m", "streamlit", "run", script,
        "--server.port", str(port), "--server.address", host, "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


@app.command("settings")
def show_settings() -> None:
    """List every TRACKER_ setting with its current value (passwords in URLs hidden) and what it does."""
    for setting in settings.SETTINGS:
        value = settings.get(setting.name)
        if setting.name.endswith("_URL") and value:
            value = services.database_description() if setting.name == "TRACKER_DATABASE_URL" else "(set)"
        say(f"{setting.name}={value}\n    {setting.help} [{setting.used_by}]")


@app.command("import-programme")
def import_programme(
    path: Annotated[Path, typer.Argument(help="Programme text (UTF-8); its metadata .toml must lie beside it.")],
    retire_removed: Annotated[
        bool,
        typer.Option(help="Keep pledges that the revised text no longer has but that have a history, as retired."),
    ] = False,
) -> None:
    """Import a programme text, or bring the database in line with a revised text."""
    services.upgrade_schema()
    report = services.import_programme_file(path, operator(), "retire" if retire_removed else "refuse")
    say(report.summary())


@app.command("set-status")
def set_status(
    code: Annotated[str, typer.Argument(help="Pledge code, e.g. 8.2-4")],
    status: Annotated[str, typer.Argument(help="One of: " + ", ".join(STATUS_KEYS))],
    rationale: Annotated[str, typer.Option(help="Why the pledge has this status now.")],
    as_: AsOption,
    source_url: Annotated[list[str], typer.Option(help="http(s) URL of a source; repeat for several.")],
    source_title: Annotated[list[str], typer.Option(help="Title of each source, in the same order.")],
    source_kind: Annotated[
        list[str] | None, typer.Option(help="Kind of each source: " + ", ".join(SOURCE_KINDS))
    ] = None,
    date: Annotated[str | None, typer.Option(help="Effective date YYYY-MM-DD (default: today).")] = None,
    corrects: Annotated[int | None, typer.Option(help="Number of an earlier change that this one corrects.")] = None,
    broken_reason: Annotated[
        str | None, typer.Option(help="With status broken (required): why; one of " + ", ".join(BROKEN_REASONS))
    ] = None,
    broken_reason_text: Annotated[str | None, typer.Option(help="With --broken-reason other: the reason.")] = None,
    programme: ProgrammeOption = None,
) -> None:
    """Record a status change with its rationale and sources."""
    if len(source_url) != len(source_title):
        fail(f"got {len(source_url)} --source-url but {len(source_title)} --source-title; give one title per URL")
    kinds = source_kind or []
    if len(kinds) not in (0, len(source_url)):
        fail(f"got {len(kinds)} --source-kind for {len(source_url)} sources; give one kind per source or none")
    sources = [
        services.SourceInput(url=u, title=t, kind=kinds[i] if kinds else "other")
        for i, (u, t) in enumerate(zip(source_url, source_title, strict=True))
    ]
    change = services.StatusChangeInput(
        status=status,
        rationale=rationale,
        sources=sources,
        effective_date=services.parse_date(date, "--date") if date is not None else None,
        corrects_sequence=corrects,
        broken_reason=broken_reason,
        broken_reason_text=broken_reason_text,
    )
    _require_schema()
    recorded = services.record_status_change(programme, code, change, account(as_))
    if recorded.proposed:
        say(
            f"{recorded.code}: change s{recorded.change_id} proposed ({recorded.status}, effective "
            f"{recorded.effective_date}); it is public once a reviewer approves it (tracker review list). "
            f"Current public status: {recorded.current_status}"
        )
        return
    say(
        f"{recorded.code}: change #{recorded.sequence} recorded ({recorded.status}, effective "
        f"{recorded.effective_date}); current status: {recorded.current_status} since {recorded.status_date}"
    )
    _republish(programme)


@app.command()
def translate(
    code: Annotated[str, typer.Argument(help="Pledge code, e.g. 8.2-4")],
    language: Annotated[str, typer.Argument(help="One of: " + ", ".join(services.TRANSLATION_LANGUAGES))],
    text: Annotated[str, typer.Argument(help="The measure's text in that language (the German stays the original).")],
    as_: AsOption,
    programme: ProgrammeOption = None,
) -> None:
    """Propose a translation of a measure's text (public at once with review off, else once approved)."""
    _require_schema()
    translation = services.propose_translation(programme, code, language, text, account(as_))
    if translation.state == "proposed":
        say(f"{translation.code}: translation into {language} proposed as t{translation.id}; it waits for review")
    else:
        say(f"{translation.code}: translation into {language} recorded; it is public now")
        _republish(programme)


def _republish(programme: str | None) -> None:
    """Publish the edition again in the background after a change, when TRACKER_PUBLISH_DIR is set."""
    from tracker.edition.autopublish import republish

    slug = services.get_programme(programme).slug
    if republish(slug) is not None:
        say(f"Publishing {slug} again into {settings.get('TRACKER_PUBLISH_DIR')} in the background.")


@app.command()
def show(
    code: Annotated[str, typer.Argument(help="Pledge code, e.g. 8.2-4")], programme: ProgrammeOption = None
) -> None:
    """Show a pledge: its text, area, goal, current status and full history with sources."""
    _require_schema()
    pledge = services.pledge_view(programme, code)
    lines = [f"{pledge.code}  {pledge.text}", f"Area {pledge.area_number}: {pledge.area_title}"]
    if pledge.goal_code:
        lines.append(f"Goal {pledge.goal_number}: {pledge.goal_title}")
    if pledge.retired_on:
        lines.append(f"Retired from the programme on {pledge.retired_on}")
    since = f" since {pledge.status_date}" if pledge.status_date else ""
    lines.append(f"Status: {pledge.status}{since}")
    history = pledge.history
    lines.append(f"History ({len(history)} change{'s' if len(history) != 1 else ''}):")
    for change in history:
        corrects = f" (corrects #{change.corrects})" if change.corrects else ""
        lines.append(
            f"  #{change.sequence} {change.effective_date} {change.status}{corrects}, "
            f"recorded by {change.author} at {change.recorded_at:%Y-%m-%d %H:%M}"
        )
        lines.extend(f"     {line}" for line in change.rationale.split("\n"))
        lines.extend(f"     [{s.kind}] {s.title} <{s.url}>" for s in change.sources)
    say("\n".join(lines))


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="json or csv")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel",
            help="With --format csv and --output FILE.csv: also write FILE-excel.csv (semicolons, byte order mark, "
            "German headers and labels, dates as DD.MM.YYYY) and FILE.xlsx, the same table for spreadsheets.",
        ),
    ] = False,
    programme: ProgrammeOption = None,
) -> None:
    """Export the programme with every pledge, status, history and source as open data."""
    if format not in ("json", "csv"):
        fail(f"unknown format {shortened(format)!r}; accepted: json, csv")
    if excel and (format != "csv" or output is None):
        fail("--excel writes files beside the CSV export; use it with --format csv --output FILE.csv")
    _require_schema()
    text = services.export_json(programme) if format == "json" else services.export_csv(programme)
    if output is None:
        _to_stdout(text)
        return
    files = [(output, text.encode("utf-8"))]
    if excel:
        files.append((output.with_name(f"{output.stem}-excel.csv"), services.export_excel_csv(programme)))
        files.append((output.with_suffix(".xlsx"), services.export_xlsx(programme)))
    try:
        write_files(files)  # each into a temporary file beside it, renamed into place once all are written
    except WriteFailed as error:
        fail(f"{error}; nothing was written under that name")
    for path, _data in files:
        say(f"Wrote {path}", err=True)


def _to_stdout(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader stopped reading (``tracker export | head``): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None
    except OSError as error:
        fail(f"cannot write to the standard output: {error.strerror}")


@app.command()
def publish(
    outdir: Annotated[Path, typer.Argument(help="Folder to write the static edition into (created when missing).")],
    programme: Annotated[
        str | None,
        typer.Option("--programme", "-p", help="Publish only this programme (default: every programme)."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="Public https:// address OUTDIR is served at: absolute preview images, feeds, sitemap."),
    ] = None,
    app_url: Annotated[
        str | None, typer.Option(help="https:// address of the live app: each page's canonical link points there.")
    ] = None,
) -> None:
    """Write the static edition (pages, charts, feeds, open data) in German, English, Turkish, Arabic and
    Ukrainian; only changed files are rewritten."""
    from tracker.edition import publish as publish_edition

    base_url = services.check_web_address(base_url, "--base-url") if base_url else None
    app_url = services.check_web_address(app_url, "--app-url") if app_url else None
    _require_schema()
    try:
        report = publish_edition(outdir, programme, base_url=base_url, app_url=app_url)
    except OSError as error:  # the folder cannot be made or written: a name too long, no permission, a full disk
        fail(f"cannot write into {outdir}: {error.strerror or error}")
    say(report.summary())


@app.command()
def restore(path: Annotated[Path, typer.Argument(help="A JSON file written by `tracker export`.")]) -> None:
    """Load a JSON export into a database that does not hold that programme yet."""
    data = services.load_export(path)
    services.upgrade_schema()
    prog = services.restore_programme(data, operator(), source=str(path))
    say(
        f"Restored {prog.slug}: {len(data['pledges'])} pledges, "
        f"{sum(len(p['history']) for p in data['pledges'])} status changes"
    )


@app.command()
def backup(
    path: Annotated[Path, typer.Argument(help="File to write: JSON, gzip-compressed when the name ends in .gz.")],
) -> None:
    """Write everything needed to rebuild the tracker (programmes, histories, sources, accounts with their
    password hashes, the audit trail; not the sessions) to one file, readable only by you."""
    _require_schema()
    report = services.write_backup(path, operator())
    say(f"Wrote {report.path} (schema revision {report.schema_revision}): {report.counts()}")


@app.command("restore-backup")
def restore_backup(
    path: Annotated[Path, typer.Argument(help="A file written by `tracker backup`.")],
    replace: Annotated[
        bool, typer.Option(help="Delete everything in a database that is not empty first (sessions included).")
    ] = False,
) -> None:
    """Rebuild the tracker from a backup into an empty database, in one transaction (all of it or nothing);
    a backup of an older version is upgraded to the newest schema. Everyone signs in again afterwards."""
    report = services.restore_backup(path, operator(), replace=replace)
    say(
        f"Restored {report.path} (written {report.written_at}, schema revision {report.schema_revision}) into "
        f"{services.database_description()}: {report.counts()}"
    )


@app.command()
def stats(
    as_of: Annotated[str | None, typer.Option(help="Show the figures as they stood on this day (YYYY-MM-DD).")] = None,
    programme: ProgrammeOption = None,
) -> None:
    """Pledges per status, overall and per policy area."""
    _require_schema()
    day = services.parse_date(as_of, "--as-of") if as_of is not None else None
    prog = services.get_programme(programme)
    view = services.overview(prog.slug, day)
    say(f"{prog.title} ({prog.slug}): {view.total} pledges" + (f", as of {day}" if day else ""))
    for key, count in view.counts.items():
        share = 100 * count / view.total if view.total else 0
        say(f"  {key:<15} {count:>6}  {share:5.1f} %")
    if flagged := sum(view.not_checkable.values()):
        say(f"  not counted: {flagged} not checkable (flagged as too vague to check)")
    say("By area:")
    areas: dict[tuple[int, str], dict[str, int]] = {}
    for row in view.areas:
        areas.setdefault((row.area_number, row.short_title), {})[row.status] = row.count
    titles = {number: title for number, title in areas}
    for number, n in view.not_checkable.items():
        areas.setdefault((number, titles.get(number, "")), {})["not_checkable"] = n
    for (number, title), by_status in sorted(areas.items()):
        parts = ", ".join(f"{k} {v}" for k, v in by_status.items())
        say(f"  {number:>2}. {title}: {parts}")


@app.command()
def programmes() -> None:
    """List the programmes in the database."""
    _require_schema()
    for prog in services.list_programmes():
        say(f"{prog.slug}\t{prog.party}\t{prog.municipality}\t{prog.election_date}\t{prog.title}")


@app.command("import-statuses")
def import_statuses(
    path: Annotated[
        Path,
        typer.Argument(
            help="Excel workbook (.xlsx) or CSV (UTF-8 or Windows-1252, comma or semicolon); columns: "
            + ", ".join(services.STATUS_CSV_COLUMNS)
            + " (or the German headers of the template)"
        ),
    ],
    as_: AsOption,
    dry_run: Annotated[bool, typer.Option(help="Check the file and list the changes without saving them.")] = False,
    programme: ProgrammeOption = None,
) -> None:
    """Record many status changes from a spreadsheet: every row is checked first, then all new rows or none are
    saved; rows recorded already are skipped."""
    try:
        if not path.is_file():
            fail(f"{shortened(path, 300)} is not a file")
        with path.open("rb") as file:
            data = file.read(services.MAX_UPLOAD_BYTES + 1)  # one byte more is enough to refuse a file too large
    except OSError as error:  # a name too long, no permission
        fail(f"cannot read {shortened(path, 300)}: {error.strerror}")
    _require_schema()
    actor = account(as_)
    plan = services.preview_status_import(programme, data, actor, source=path.name)
    if plan.converted_from:
        say(f"Note: {path.name} is not UTF-8; it was read as {plan.converted_from.title()}.")
    for row in plan.rows:
        say(f"line {row.line}: {row.code} {row.status} as of {row.effective_date}: {_outcome(row)}")
    say(f"{len(plan.new)} new, {len(plan.skipped)} already recorded (skipped), {plan.refused} refused.")
    if not plan.ok:
        raise services.RowErrors(list(plan.errors))
    if dry_run:
        say("Dry run: nothing was written.")
        return
    done = services.import_statuses(programme, data, actor, source=path.name)
    skipped = f"; {len(done.skipped)} already recorded, skipped" if done.skipped else ""
    if done.new and services.review_mode_now().on:
        say(
            f"Proposed {len(done.new)} status changes from {path}{skipped}; they are public once a reviewer "
            "approves them, together or one by one (tracker review list)."
        )
    elif done.new:
        say(f"Imported {len(done.new)} status changes from {path}{skipped}.")
        _republish(programme)
    else:
        say(f"Nothing imported from {path}: all {len(done.skipped)} rows are already recorded.")


def _outcome(row: services.PlannedRow) -> str:
    """What an import does with a row, in words."""
    if row.outcome is services.RowOutcome.ALREADY_RECORDED:
        return f"already recorded as change #{row.recorded_as}; skipped"
    if row.outcome is services.RowOutcome.HISTORY:
        return (
            f"added to the history; the current status stays {row.status_after} (newer rating as of {row.current_date})"
        )
    return f"new current status {row.status_after} (was {row.status_before})"


@app.command("demo-data")
def demo_data(
    programmes: Annotated[int, typer.Option(help="How many programmes.")] = 1,
    pledges: Annotated[int, typer.Option(help="How many pledges in all.")] = 262,
    changes: Annotated[int, typer.Option(help="How many status changes in all (each with one source).")] = 500,
    seed: Annotated[int, typer.Option(help="The same seed gives the same data.")] = 1,
    replace: Annotated[bool, typer.Option(help="Remove earlier demo programmes first.")] = False,
) -> None:
    """Fill the database with invented, reproducible demo data (the app marks it as such on every page)."""
    services.upgrade_schema()
    started = time.perf_counter()
    report = services.generate_demo_data(operator(), programmes, pledges, changes, seed, replace=replace)
    if replace:
        say(f"Removed {report.removed} earlier demo programme(s).")
    say(
        f"Demo data: {report.programmes} programmes, {report.areas} areas, {report.goals} goals, "
        f"{report.pledges} pledges, {report.changes} status changes in {time.perf_counter() - started:.1f} s."
    )


review_app = _Typer(
    help="Review by a second person: list the proposals waiting, approve them or return them with a reason."
)
app.add_typer(review_app, name="review")
ReviewAs = Annotated[
    str,
    typer.Option(
        "--as", help="The reviewer's account (role reviewer or admin, not the proposal's author).", show_default=False
    ),
]
ProposalArgument = Annotated[str, typer.Argument(help="The proposal as `tracker review list` names it, e.g. s12.")]


@review_app.command("list")
def review_list(
    as_: Annotated[
        str | None, typer.Option("--as", help="List as this account (default: the operator).", show_default=False)
    ] = None,
    returned: Annotated[bool, typer.Option(help="Also list returned proposals, with the reason.")] = False,
    programme: ProgrammeOption = None,
) -> None:
    """The proposals waiting for review, oldest first: what is proposed, beside the public status now."""
    _require_schema()
    actor = account(as_) if as_ else operator()
    states = ("proposed", "returned") if returned else ("proposed",)
    proposals = services.list_proposals(programme, actor, states=states)
    mode = services.review_mode_now()
    say(f"Review is {'on' if mode.on else 'off'} (TRACKER_REVIEW={mode.setting}); {len(proposals)} listed.")
    for item in proposals:
        batch = f" [batch {item.batch}]" if item.batch else ""
        say(f"{item.ref}\t{item.state}\t{item.summary}\tby {item.author} at {item.recorded_at.isoformat()}{batch}")
        if item.review_note:
            say(f"\treturned by {item.reviewed_by}: {item.review_note}")


@review_app.command("approve")
def review_approve(
    proposal: ProposalArgument,
    as_: ReviewAs,
    batch: Annotated[bool, typer.Option(help="Approve every open proposal of the same import or bulk save.")] = False,
    note: Annotated[str | None, typer.Option(help="A note on the approval (optional).")] = None,
    programme: ProgrammeOption = None,
) -> None:
    """Approve a proposal: from now on the public sees it, signed by its author and by you."""
    kind, row_id = services.parse_ref(proposal)
    _require_schema()
    actor = account(as_)
    if batch:
        count = services.approve_batch(programme, kind, row_id, actor)
        say(f"Approved {count} proposal(s) together.")
    else:
        services.approve_proposal(programme, kind, row_id, actor, note)
        say(f"Approved {proposal}.")
    _republish(programme)


@review_app.command("return")
def review_return(
    proposal: ProposalArgument,
    as_: ReviewAs,
    reason: Annotated[str, typer.Option(help="Why it is returned: its author reads it and corrects the proposal.")],
    programme: ProgrammeOption = None,
) -> None:
    """Return a proposal to its author with a reason; the public never sees it."""
    kind, row_id = services.parse_ref(proposal)
    _require_schema()
    services.return_proposal(programme, kind, row_id, account(as_), reason)
    say(f"Returned {proposal} to its author.")


@review_app.command("withdraw")
def review_withdraw(proposal: ProposalArgument, as_: AsOption, programme: ProgrammeOption = None) -> None:
    """Withdraw your own proposal (proposed or returned); it stays stored, never public."""
    kind, row_id = services.parse_ref(proposal)
    _require_schema()
    services.withdraw_proposal(programme, kind, row_id, account(as_))
    say(f"Withdrew {proposal}.")


user_app = _Typer(help="Staff accounts of the dashboard (local accounts, argon2id-hashed passwords).")
app.add_typer(user_app, name="user")


def _read_password(from_stdin: bool) -> str:
    """A new password from standard input (one line) or typed twice at a hidden prompt; never an argument."""
    if from_stdin:
        line = sys.stdin.buffer.readline().rstrip(b"\r\n")
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError as error:
            byte = f"0x{line[error.start]:02X}"
            raise services.InvalidInput("password", "not_utf8_text", char=byte, position=error.start + 1) from None
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="Sign-in name, without spaces.")],
    role: Annotated[str, typer.Option(help="One of: " + ", ".join(ROLES))] = "editor",
    display_name: Annotated[
        str, typer.Option(help='The person\'s full name, which signs their changes publicly (e.g. "Erika Muster").')
    ] = "",
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
) -> None:
    """Create a staff account."""
    _require_schema()
    password = _read_password(password_stdin)
    created = services.add_user(operator(), name, password, role, display_name)
    if created.display_name:
        say(f"Account {name} ({created.display_name}) created with role {role}.")
    else:
        say(
            f"Account {name} created with role {role}. It has no full name yet, so its changes are signed "
            f'"{name}"; set one with: tracker user set-name {name} "First Last"'
        )


@user_app.command("set-name")
def user_set_name(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    display_name: Annotated[str, typer.Argument(help='The person\'s full name, e.g. "Erika Muster".')],
) -> None:
    """Set the full name that signs an account's changes publicly instead of its sign-in name."""
    _require_schema()
    services.set_display_name(operator(), name, display_name)
    say(f"Account {name} now signs as {' '.join(display_name.split())}.")


@user_app.command("set-role")
def user_set_role(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: Annotated[str, typer.Argument(help="One of: " + ", ".join(ROLES))],
) -> None:
    """Give an account another role; it applies at the account's next click, without signing in again."""
    _require_schema()
    account = services.set_role(operator(), name, role)
    say(f"Account {name} now has the role {account.role}.")


@user_app.command("disable")
def user_disable(name: Annotated[str, typer.Argument(help="Sign-in name.")]) -> None:
    """Disable an account: it can no longer sign in; its past changes stay attributed to it."""
    _require_schema()
    services.disable_user(operator(), name)
    say(f"Account {name} disabled.")


@user_app.command("set-password")
def user_set_password(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    password_stdin: Annotated[bool, typer.Option(help="Read the password from standard input.")] = False,
) -> None:
    """Set a new password (this also lifts a lock after failed sign-ins)."""
    _require_schema()
    password = _read_password(password_stdin)
    services.set_password(operator(), name, password)
    say(f"Password of {name} changed.")


@user_app.command("list")
def user_list() -> None:
    """List the accounts with their role, state and full name."""
    _require_schema()
    for user in services.list_users(operator()):
        state = "disabled" if user.disabled else "active"
        say(f"{user.name}\t{user.role}\t{state}\t{user.display_name or '(no full name)'}")


round_app = _Typer(help="Double-rating rounds: two raters rate a sample blind; their agreement is published.")
app.add_typer(round_app, name="round")

RoundArgument = Annotated[int, typer.Argument(help="The round's number (see `tracker round list`).")]


def _kappa(value: float | None) -> str:
    return (
        "not computable (both raters gave every measure one and the same status)" if value is None else f"{value:.3f}"
    )


def _agreement_line(figures) -> str:
    share = f"{figures.observed:.0%}" if figures.observed is not None else "-"
    return f"{figures.agreed} of {figures.items} identical ({share}), Cohen's kappa {_kappa(figures.kappa)}"


def _round_line(found: services.RoundSummary) -> str:
    state = (
        f"closed {found.closed_at:%Y-%m-%d}"
        if found.closed_at
        else {"rating": "rating", "settling": "to settle"}[found.state]
    )
    return (
        f"{found.id}\t{found.created_at:%Y-%m-%d}\t{found.sampling} sample of {found.sample_size} (seed {found.seed})\t"
        f"{found.rater_a} {found.rated_a}/{found.sample_size}, {found.rater_b} {found.rated_b}/{found.sample_size}\t"
        f"{state}"
    )


@round_app.command("create")
def round_create(
    size: Annotated[int, typer.Option(help="How many measures the sample holds.")],
    raters: Annotated[
        tuple[str, str], typer.Option(help="The two raters' sign-in names (two different enabled accounts).")
    ],
    as_: AsOption,
    stratified: Annotated[
        bool, typer.Option(help="Stratify by area: each area gets its proportional share of the sample.")
    ] = False,
    seed: Annotated[int | None, typer.Option(help="Seed of the draw (default: a random one, stored).")] = None,
    programme: ProgrammeOption = None,
) -> None:
    """Draw a sample of current measures and assign it to two raters (admins)."""
    _require_schema()
    admin = account(as_)
    created = services.create_round(programme, size, raters, admin, stratified=stratified, seed=seed)
    sample = services.round_result(programme, created.id, admin).codes
    say(
        f"Round {created.id}: {created.sampling} sample of {created.sample_size} measures (seed {created.seed}), "
        f"rated blind by {created.rater_a} and {created.rater_b}:\n  " + " ".join(sample)
    )


@round_app.command("list")
def round_list(programme: ProgrammeOption = None) -> None:
    """List the rounds: number, date, sample, each rater's progress, state."""
    _require_schema()
    rounds = services.list_rounds(programme, operator())
    if not rounds:
        say("No round yet; an admin starts one with: tracker round create --size N --raters A B --as ADMIN")
    for found in rounds:
        say(_round_line(found))


@round_app.command("rate")
def round_rate(
    round_id: RoundArgument,
    code: Annotated[str, typer.Argument(help="Pledge code, e.g. 8.2-4")],
    status: Annotated[str, typer.Argument(help="One of: " + ", ".join(STATUS_KEYS))],
    as_: AsOption,
    programme: ProgrammeOption = None,
) -> None:
    """Rate one measure of a round blind, as one of its raters; a rating is final once given."""
    _require_schema()
    found = services.rate_items(programme, round_id, {code: status}, account(as_))
    done = found.rated_a if as_.strip() == found.rater_a else found.rated_b
    say(f"Round {found.id}: {code.strip()} rated; you have rated {done} of {found.sample_size}.")


@round_app.command("show")
def round_show(round_id: RoundArgument, programme: ProgrammeOption = None) -> None:
    """Show a round: progress, and once both raters are done the agreement (overall, per area), the disagreements."""
    _require_schema()
    result = services.round_result(programme, round_id, operator())
    lines = [_round_line(result.round)]
    if result.overall is None:
        lines.append("The agreement is shown once both raters have rated every measure.")
    else:
        lines.append(f"Agreement: {_agreement_line(result.overall)}")
        lines.extend(f"  Area {a.number} {a.title}: {_agreement_line(a.agreement)}" for a in result.areas)
        lines.append(f"Disagreements ({len(result.disagreements)}, {len(result.unsettled)} unsettled):")
        for d in result.disagreements:
            settled = (
                f"settled: {d.settled_status} by {d.settled_by} ({d.settled_state})" if d.settled_status else "open"
            )
            lines.append(
                f"  {d.code}: {result.round.rater_a} {d.rating_a}, {result.round.rater_b} {d.rating_b}; {settled}"
            )
    if result.round.settlement_note:
        lines.append(f"Settlement note: {result.round.settlement_note}")
    say("\n".join(lines))


@round_app.command("settle")
def round_settle(
    round_id: RoundArgument,
    code: Annotated[str, typer.Argument(help="Pledge code of a disagreement, e.g. 8.2-4")],
    status: Annotated[str, typer.Argument(help="The settled status, one of: " + ", ".join(STATUS_KEYS))],
    rationale: Annotated[str, typer.Option(help="Why the measure has this status.")],
    source: Annotated[list[str], typer.Option(help="http(s) URL of a source; repeat for several.")],
    as_: AsOption,
    source_title: Annotated[
        list[str] | None, typer.Option(help="Title of each source, in the same order (default: its address).")
    ] = None,
    programme: ProgrammeOption = None,
) -> None:
    """Settle a disagreement as a third person (a reviewer or an admin): a normal status change of the measure."""
    titles = source_title or []
    if titles and len(titles) != len(source):
        fail(f"got {len(source)} --source but {len(titles)} --source-title; give one title per source or none")
    sources = [services.SourceInput(url=u, title=titles[i] if titles else u) for i, u in enumerate(source)]
    change = services.StatusChangeInput(status=status, rationale=rationale, sources=sources)
    _require_schema()
    recorded = services.settle_disagreement(programme, round_id, code, change, account(as_))
    say(f"Round {round_id}: {recorded.code} settled as {recorded.status}.")
    _republish(programme)


@round_app.command("close")
def round_close(
    round_id: RoundArgument,
    as_: AsOption,
    note: Annotated[str, typer.Option(help="How the disagreements were settled; published on the method page.")] = "",
    programme: ProgrammeOption = None,
) -> None:
    """Close a round whose disagreements are settled (admins); the method page then publishes it."""
    _require_schema()
    services.close_round(programme, round_id, note, account(as_))
    say(f"Round {round_id} closed; the method page publishes it.")
    _republish(programme)


def main() -> None:
    """Entry point: runs the command (``TrackerCommand`` turns every expected error into a message and exit 1)."""
    app()


if __name__ == "__main__":
    main()
