"""CLI command: ``datadialog ingest`` (export files or the inbox -> staging)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer

from cli.faults import config_or_exit
from datadialog.config_load import CONFIG_HELP, user_config_dir
from datadialog.logs import handler_attached

#: Log file of ingest runs, in the folder of the database (``data/`` by default).
LOG_FILE = Path("logs") / "ingest.log"
#: Loggers whose records go to the log file (INFO and up; DEBUG adds step timings).
LOGGERS = ("transforms.ingest", "datadialog")


def log_path(db: str) -> Path:
    """Where a run on database ``db`` logs: ``<database folder>/logs/ingest.log``."""
    from datadialog.db import DEFAULT_DB

    folder = DEFAULT_DB.parent if db.startswith(":memory:") else Path(db).expanduser().parent
    return folder / LOG_FILE


class _LogFile(logging.FileHandler):
    """A log file that falls silent when it cannot be written (a full disk): the command
    says what went wrong; logging's own traceback on the console would bury it."""

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        pass

    def close(self) -> None:
        try:
            super().close()
        except OSError:  # the last lines could not be flushed: nothing more to do
            pass


@contextmanager
def logging_to(path: Path, level: int = logging.INFO) -> Iterator[Path]:
    """Append the ingest loggers' records to ``path`` (every line CPR-masked) for a block."""
    from datadialog.privacy import CprMaskingFormatter

    path.parent.mkdir(parents=True, exist_ok=True)
    handler = _LogFile(path, encoding="utf-8")
    handler.setFormatter(CprMaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    try:
        with handler_attached(handler, LOGGERS, level):
            yield path
    finally:
        handler.close()


def ingest(
    paths: list[Path] = typer.Argument(
        None,
        help="Export files or folders of files. With --inbox: the inbox folder "
        "(default data/inbox).",
        show_default=False,
    ),
    source: str = typer.Option(
        None, "--source", help="Source id from config/sources.yaml (default: by file name)."
    ),
    db: Path = typer.Option(
        None, "--db", help="DuckDB file (default: $DATADIALOG_DB or data/datadialog.duckdb)."
    ),
    config_dir: Path = typer.Option(user_config_dir(), "--config", help=CONFIG_HELP),
    inbox: bool = typer.Option(
        False,
        "--inbox",
        help="Load every file in the inbox, then move it to the archive "
        "(data/archive/<date>/) or, when it fails, to <inbox>/failed/.",
    ),
    archive: Path = typer.Option(
        None, "--archive", help="Archive folder for --inbox (default data/archive)."
    ),
    log_file: Path = typer.Option(
        None,
        "--log-file",
        help="Append the run's log here (default: logs/ingest.log beside the database).",
    ),
    reload: bool = typer.Option(
        False,
        "--reload",
        help="Load the named files again although they were loaded before (after a fix "
        "of config/sources.yaml): each replaces its earlier load; the balance before and "
        "after is printed.",
    ),
) -> None:
    """Load exports into the database: landing, typed staging tables and quarantine.

    Each file loads in its own transaction; a file already loaded is skipped, a
    corrected re-export (same name, new content) replaces the earlier version.
    Exit code 1 when a file failed (a returned deck or register too), or when every
    record of a file (or sheet) was quarantined because the source's date_format or
    decimal mark does not fit it (the line says which key in sources.yaml to fix; the
    records stay in quarantine) or because the table they refer to is not loaded yet
    (courses before their citizens: the line says to load it, then --reload the file);
    2 when nothing could start or the database failed (full disk, read-only, damaged, a
    folder given as --db: one line says which file and what to do), or when no file
    named can be loaded (it does not exist, or no source matches its name: one line
    each, and no database or key file is made). A new database is named when it is made.
    """
    from rich.console import Console
    from rich.markup import escape

    from cli.faults import command_faults, end_with
    from datadialog.db import DatabaseUnavailable, connect, database_path
    from datadialog.privacy import PseudonymKeyError, check_pseudonym_key
    from transforms.ingest import (
        DEFAULT_INBOX,
        expand_paths,
        ingest_files,
        ingest_inbox,
        own_files,
    )
    from transforms.pseudonym_key import key_for_database
    from transforms.schema import ensure_schema

    console = Console()
    err = Console(stderr=True)
    if inbox and paths and len(paths) > 1:
        err.print("[red]--inbox takes at most one folder[/red]")
        raise typer.Exit(code=2)
    if inbox and reload:
        err.print("[red]--reload takes files, not --inbox[/red]")
        raise typer.Exit(code=2)
    if not inbox and not paths:
        err.print("[red]name export files or folders, or use --inbox[/red]")
        raise typer.Exit(code=2)
    config = config_or_exit(config_dir)
    if inbox:
        folder = paths[0] if paths else DEFAULT_INBOX
        files = expand_paths([folder]) if folder.is_dir() else []
    else:
        folder, files = None, expand_paths(paths)
    if not files:
        _nothing_to_load(console, err, paths, folder)
    if not inbox:  # a mistyped path makes no database, key file or fingerprint
        _refuse_unloadable(err, files, config, source, db)
    try:  # a key that is there but unusable is refused before the database is made
        check_pseudonym_key(config.privacy)
    except PseudonymKeyError as exc:
        _refuse_key(err, exc)
    target = database_path(db)
    is_new = not target.startswith(":memory:") and not Path(target).expanduser().exists()
    try:
        con = connect(db)
    except DatabaseUnavailable as exc:
        end_with(exc)
    if is_new:  # a mistyped --db would otherwise fill a new database unnoticed
        console.print(f"new database: {escape(str(Path(target).expanduser()))}",
                      highlight=False)
    log = log_file or log_path(target)
    agreements_failed = 0
    try:
        own = own_files(con, config)  # the database and key file are never exports
        files = [path for path in files if path.resolve() not in own]
        key = None
        if files:  # nothing to load: no key is read, nor a key file made
            try:  # in the log file, not a second time on the terminal (printed below)
                with logging_to(log), command_faults(db):
                    ensure_schema(con)
                    # the key this database's pseudonyms were made with (made only for a
                    # first load)
                    key = key_for_database(con, config.privacy)
            except PseudonymKeyError as exc:
                _refuse_key(err, exc)
            if key.notice:
                err.print(f"[yellow]{escape(key.notice)}[/yellow]", highlight=False)
        with logging_to(log), command_faults(db), _progress(console) as progress:
            if inbox:  # exports first: a returned file's courses are checked against them
                reports = ingest_inbox(
                    con, config, inbox=folder, archive=archive, progress=progress, key=key
                )
                agreements_failed = _read_agreements(console, con, folder, archive, config)
            else:
                reports = ingest_files(
                    con, paths, config, source_id=source, progress=progress, key=key,
                    reload=reload,
                )
    finally:
        con.close()
    if not reports and agreements_failed:  # only returned files, one not read
        raise typer.Exit(code=1)
    if not reports:  # the only files named were the database's own
        _nothing_to_load(console, err, paths, folder)
    _print_reports(console, reports)
    console.print(f"log: {escape(str(log))}", highlight=False)
    if any(r.status == "failed" or r.quarantined_by_config or r.missing_parents
           for r in reports):
        raise typer.Exit(code=1)
    if agreements_failed:  # a returned deck or register went to <inbox>/failed/
        raise typer.Exit(code=1)


def _nothing_to_load(console, err, paths: list[Path] | None, inbox: Path | None) -> NoReturn:
    """End the command when there is no export to load, before a database, log file or
    inbox folder is made: an empty (or absent) inbox is no fault (exit code 0), folders
    named without an export in them are (1)."""
    from rich.markup import escape

    if inbox is not None:
        state = "holds no export files" if inbox.is_dir() else "does not exist"
        console.print(f"nothing to load: {escape(str(inbox))} {state}", highlight=False)
        raise typer.Exit(code=0)
    where = ", ".join(str(p) for p in paths or [])
    err.print(f"[red]no export files found in {escape(where)}[/red]", highlight=False)
    raise typer.Exit(code=1)


def _refuse_unloadable(err, files: list[Path], config, source: str | None,
                       db: Path | None) -> None:
    """End the command, before a database, log file or key file is made, when none of
    the named files can be loaded: each one's reason on a line (a path that does not
    exist, a folder, a name no source matches, an unknown --source), exit code 2. When
    one file can load the others fail in the run's table as before (exit code 1)."""
    from rich.markup import escape

    from datadialog.db import database_path
    from datadialog.privacy import mask_text
    from transforms.ingest.mapping import IngestFileError, plan_file

    target = database_path(db)
    own: set[Path] = set()  # the database's own files are left out (own_files) as in a run
    if not target.startswith(":memory:"):
        own = {Path(target).expanduser().resolve(),
               Path(target + ".wal").expanduser().resolve()}
    if config.privacy.pseudonym_key_file:
        own.add(Path(config.privacy.pseudonym_key_file).expanduser().resolve())
    problems: list[str] = []
    for path in files:
        if path.resolve() in own:
            continue
        try:
            if not path.exists():
                raise IngestFileError("file not found")
            if not path.is_file():
                raise IngestFileError("not a file")
            plan_file(path, config, source)
        except IngestFileError as exc:
            problems.append(f"{path}: {exc}")
            continue
        return  # a file to load: the run goes on and reports the others
    if not problems:
        return  # only the database's own files: the run says there is nothing to load
    for problem in problems:
        err.print(f"[red]not loaded: {escape(mask_text(problem))}[/red]", highlight=False,
                  soft_wrap=True)
    err.print("[red]nothing to load: no database or key file was made[/red]",
              highlight=False)
    raise typer.Exit(code=2)


def _refuse_key(err, exc: Exception) -> NoReturn:
    """End the command on a key it refuses: one line (however wide the terminal), exit
    code 2."""
    from rich.markup import escape

    err.print(f"[red]{escape(str(exc))}[/red]", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2) from None


class _progress:
    """A Rich progress bar per file, fed by the ingest progress callback."""

    def __init__(self, console) -> None:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            TextColumn("{task.fields[step]}", markup=False),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.tasks: dict[Path, int] = {}

    def __enter__(self) -> _progress:
        self.bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.stop()

    def __call__(self, path: Path, step: str, done: int, total: int) -> None:
        from datadialog.privacy import mask_text

        task = self.tasks.get(path)
        if task is None:
            task = self.tasks[path] = self.bar.add_task(
                mask_text(path.name), total=total, step=step
            )
        self.bar.update(task, completed=done, total=total, step=step)


def _read_agreements(console, con, folder: Path, archive: Path | None, config) -> int:
    """Returned decks and agreement registers in the inbox, read after the exports (their
    courses and meeting keys are checked); returns the number of files that could not be
    read."""
    from rich.markup import escape

    from pipeline.calendar import meeting_days
    from transforms.agreements import read_inbox_agreements
    from transforms.ingest import DEFAULT_ARCHIVE

    done, failed = read_inbox_agreements(con, folder, archive or DEFAULT_ARCHIVE, config,
                                         meeting_days)
    for r in done:
        meeting = f"{escape(r.meeting_id)} {r.agreed_on.isoformat()}"
        if r.rows_in == 0:
            console.print(f"agreements: {escape(r.file_name)}: no agreement filled in, nothing "
                          f"changed ({r.kept} stored for {meeting} kept)", highlight=False)
            continue
        console.print(f"agreements: {escape(r.file_name)}: {len(r.stored)} of {r.rows_in} "
                      f"stored for {meeting}", highlight=False)
        for other, n in r.replaced.items():
            console.print(f"  [yellow]replaces {n} agreement(s) of the same courses stored "
                          f"from {escape(other)}[/yellow]", highlight=False)
        for problem in r.problems:
            console.print(f"  [yellow]{escape(str(problem))}[/yellow]", highlight=False)
    for problem in failed:
        console.print(f"[red]agreements not read: {escape(problem)}[/red]", highlight=False)
    return len(failed)


def load_table(console, rows: list[tuple[str, str, int, int, int, int, int, int]], title: str):
    """The per-file ingest table: (file name, status, in, staged, same, quarantined,
    removed, CPR); removed: records of an earlier version a corrected re-export no
    longer has, removed from staging (a column only when a file removed any).

    One line per file, so it fits an 80-column terminal: the file name gives way
    (ellipsis); a status or a count never does.
    """
    from rich.markup import escape
    from rich.table import Table

    table = Table(
        title=title,
        show_lines=False,
        caption="in = staged + same (already staged) + quarant. (quarantined, see "
        "staging.quarantine); "
        + ("rem. = removed by a corrected re-export; " if any(r[6] for r in rows) else "")
        + "CPR = CPR numbers masked",
    )
    colours = {"loaded": "green", "skipped": "cyan", "failed": "red"}
    names: tuple[str, ...] = ("status", "in", "staged", "same", "quarant.", "rem.", "CPR")
    if not any(row[6] for row in rows):  # no re-export removed anything: no column for it
        rows = [(*row[:6], row[7]) for row in rows]
        names = tuple(n for n in names if n != "rem.")
    cells = [(name, status, *(f"{n:,}" for n in counts)) for name, status, *counts in rows]
    widths = [max(len(name), *(len(r[i]) for r in cells)) for i, name in enumerate(names, 1)]
    # each column takes 3 characters of border and padding, plus the table's last border
    room = console.width - sum(widths) - 3 * (len(widths) + 1) - 1
    table.add_column(
        "file", no_wrap=True, overflow="ellipsis", max_width=max(12, room), min_width=4
    )
    for i, (name, width) in enumerate(zip(names, widths, strict=True)):
        justify = "left" if i == 0 else "right"
        table.add_column(name, justify=justify, no_wrap=True, min_width=width)
    for file_name, status, *counts in cells:
        table.add_row(
            escape(file_name), f"[{colours.get(status, 'white')}]{status}[/]", *counts
        )
    return table


def _print_reports(console, reports) -> None:
    from rich.markup import escape

    rows = [
        (r.file_name, r.status, r.rows_in, r.rows_staged, r.rows_unchanged,
         r.rows_quarantined, r.rows_removed, r.cpr_masked)
        for r in reports
    ]
    table = load_table(console, rows, "Ingest")
    console.print(table)
    for r in reports:
        if r.error:
            console.print(f"[red]error[/red] {escape(r.error)}", highlight=False)
        for rule, parent, sheet in r.missing_parents:
            where = f" (sheet {sheet})" if sheet else ""
            console.print(
                f"[red]quarantined[/red] {escape(r.file_name)}{escape(where)}: every record "
                f"is {rule} (no loaded {parent} table has them): load the {parent} export, "
                f"then this file again: datadialog ingest --reload {escape(str(r.path))}",
                highlight=False, soft_wrap=True)
        if r.note:
            console.print(
                f"[cyan]note[/cyan] {escape(r.file_name)}: {escape(r.note)}", highlight=False
            )
        if r.replaced_load_ids:
            console.print(
                f"[cyan]re-export[/cyan] {escape(r.file_name)}: replaces load "
                f"{escape(', '.join(r.replaced_load_ids))}: "
                + (
                    f"{r.rows_flagged:,} record(s) it no longer has kept and flagged "
                    "(staging.quarantine, rule removed_in_reexport)"
                    if r.rows_flagged
                    else f"{r.rows_removed:,} record(s) it no longer has removed, "
                    f"{r.dependents_quarantined:,} dependent row(s) quarantined"
                ),
                highlight=False,
            )
        if r.previous is not None:
            before, after = r.previous, r.as_dict()
            console.print(
                f"[cyan]re-load[/cyan] {escape(r.file_name)}: before "
                + balance_text(before) + "; after " + balance_text(after),
                highlight=False,
            )
        if r.skipped_lines:
            console.print(
                f"[cyan]left out[/cyan] {escape(r.file_name)}: {r.skipped_lines} (not data)",
                highlight=False,
            )
        if r.citizens_derived:
            console.print(
                f"[cyan]citizens[/cyan] {escape(r.file_name)}: {r.citizens_derived:,} "
                "citizen(s) added from the courses (derive_citizens; gender and birth year "
                "unknown)",
                highlight=False,
            )
        for warning in r.warnings:
            console.print(
                f"[yellow]warning[/yellow] {escape(r.file_name)}: {escape(warning)}",
                highlight=False,
            )
        for fault in r.format_faults:
            colour = "red" if fault.all_quarantined else "yellow"
            console.print(
                f"[{colour}]config[/{colour}] {escape(r.file_name)}: {escape(fault.text)}",
                highlight=False, soft_wrap=True,
            )
    quarantined = sum(r.rows_quarantined for r in reports)
    if quarantined:
        console.print(
            f"{quarantined:,} record(s) quarantined: see table staging.quarantine "
            "(rule, column, value and message per record).",
            highlight=False,
        )


def balance_text(counts: dict) -> str:
    """'17 in = 12 staged + 0 same + 5 quarantined' from a report's counts."""
    return (
        f"{counts['rows_in']:,} in = {counts['rows_staged']:,} staged + "
        f"{counts['rows_unchanged']:,} same + {counts['rows_quarantined']:,} quarantined"
    )


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("ingest")(ingest)
