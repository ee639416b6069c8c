"""CLI commands: meetings (``meetings``, ``prepare``, ``serve``, ``deploy``).

- ``datadialog meetings`` lists the coming meetings, when their decks are made, which
  decks are due, and their status in the outbox;
- ``datadialog prepare MEETING_ID`` prepares one meeting's decks now and delivers them;
- ``datadialog serve`` runs every meeting schedule in this process (Prefect serve);
- ``datadialog deploy`` registers the schedules on a Prefect server for process workers.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from cli.faults import config_or_exit
from datadialog.config_load import CONFIG_HELP, load_config, user_config_dir
from datadialog.db import DB_ENV, DEFAULT_DB

_DB_HELP = f"DuckDB database file (default: ${DB_ENV} or {DEFAULT_DB})."
_OUTBOX_HELP = "Outbox folder (default: data/outbox)."


def _config(config_dir: Path | None):
    return config_or_exit(config_dir)


def _parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        typer.secho(f"{option} must be a date YYYY-MM-DD, not {value!r}", fg=typer.colors.RED,
                    err=True)
        raise typer.Exit(code=2) from None


def meetings_command(
    weeks: int = typer.Option(8, "--weeks", min=1, max=104, help="How many weeks ahead."),
    as_of: str = typer.Option(None, "--as-of", help="List from this date (YYYY-MM-DD; "
                              "default today)."),
    config_dir: Path = typer.Option(user_config_dir(), "--config", help=CONFIG_HELP),
    outbox: Path = typer.Option(None, "--outbox", help=_OUTBOX_HELP),
) -> None:
    """List the coming meetings: deck run time, due decks and status in the outbox."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from outputs.delivery import DEFAULT_OUTBOX, meeting_folder, outbox_status
    from pipeline.calendar import upcoming_meetings
    from pipeline.decks import DECKS_BY_LEVEL

    config = _config(config_dir)
    tz = ZoneInfo(config.organisation.timezone)
    start_day = _parse_day(as_of, "--as-of") or datetime.now(tz).date()
    start = datetime.combine(start_day, time()).replace(tzinfo=tz)
    end = start + timedelta(weeks=weeks)
    now = datetime.now(tz) if as_of is None else start
    table = Table(title=f"Meetings {start_day:%d.%m.%Y} to {end:%d.%m.%Y} "
                        f"({config.organisation.timezone})", box=box.SIMPLE, pad_edge=False)
    table.add_column("meeting", no_wrap=True)
    table.add_column("meets", no_wrap=True)
    table.add_column("decks made", no_wrap=True)
    table.add_column("pack")
    table.add_column("status", no_wrap=True)
    rows = upcoming_meetings(config, start, end)
    for item in rows:
        m = item.meeting
        folder = meeting_folder(outbox or DEFAULT_OUTBOX, m.id, item.meeting_date)
        status = outbox_status(folder)
        if status == "not prepared":
            status = "due now" if item.deck_run_time <= now else "scheduled"
        table.add_row(
            m.id,
            f"{item.meeting_time:%d.%m %H:%M}",
            f"{item.deck_run_time:%a %d.%m %H:%M}",
            ", ".join(k.removesuffix("_pack").removeprefix("leaders_")
                      for k in DECKS_BY_LEVEL.get(m.level, ())) or "-",
            status,
        )
    Console().print(table)
    typer.echo(f"{len(rows)} meetings in {weeks} weeks")


def prepare_command(
    meeting_id: str = typer.Argument(..., help="Meeting series id (config/meetings.yaml)."),
    meeting_date: str = typer.Option(None, "--date", help="Meeting date YYYY-MM-DD "
                                     "(default: the series' next meeting)."),
    db: Path = typer.Option(None, "--db", help=_DB_HELP),
    config_dir: Path = typer.Option(user_config_dir(), "--config", help=CONFIG_HELP),
    outbox: Path = typer.Option(None, "--outbox", help=_OUTBOX_HELP),
    check: bool = typer.Option(False, "--check/--no-check", help="Run the data-quality "
                               "checks first (default: use the latest stored run)."),
    pdf: bool = typer.Option(False, "--pdf", help="Also make a PDF of each deck."),
    send: bool = typer.Option(True, "--send/--no-send", help="E-mail the decks when SMTP is "
                              "configured (DATADIALOG_SMTP_HOST)."),
    force: bool = typer.Option(False, "--force", help="Render every deck, also those whose "
                               "content is unchanged since the last preparation."),
) -> None:
    """Prepare one meeting's decks now (no Prefect) and deliver them.

    A deck whose content (data, caveats, options, code) is the same as at the folder's last
    preparation, and whose file is untouched, is kept ("unchanged since ...") unless
    ``--force`` is given; recipients who have it are not sent it again.

    Uses the database as it is (run ``datadialog ingest`` and ``datadialog build``
    first), then refreshes the data steward's site beside the outbox (``site/``). Exit
    code 1 when a deck failed or a delivery failed or was refused.
    """
    from cli.faults import one_line_console_log, output_folder_or_exit
    from outputs.delivery import DEFAULT_OUTBOX, DeliveryConfigError, DeliverySettings, deliver
    from pipeline.calendar import is_meeting_day, meeting_for_run
    from pipeline.meeting import find_meeting, meeting_scope, prepare_meeting
    from pipeline.quality import run_quality_checks

    config = _config(config_dir)
    output_folder_or_exit(outbox or DEFAULT_OUTBOX, "--outbox")
    try:
        meeting = find_meeting(config, meeting_id)
    except KeyError as exc:
        typer.secho(str(exc.args[0]), fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from None
    try:
        settings = DeliverySettings.from_env()
    except DeliveryConfigError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from None
    tz = config.organisation.timezone
    asked = _parse_day(meeting_date, "--date")
    if asked is not None and not is_meeting_day(meeting, asked):
        typer.secho(f"{asked:%Y-%m-%d} is not a meeting day of {meeting_id} "
                    f"({meeting.rrule}): the decks are made for that date all the same",
                    fg=typer.colors.YELLOW, err=True)
    day = asked or meeting_for_run(
        meeting, datetime.now(ZoneInfo(tz)), tz)
    db_path = _database_with_data(db, meeting.team, config)
    with one_line_console_log():  # a deck's failure: its one line, no traceback
        quality = (run_quality_checks(db_path, config, meeting_scope(meeting)) if check
                   else None)
        result = prepare_meeting(db_path, config, meeting_id, day, outbox, quality=quality,
                                 pdf=pdf, force=force)
    typer.echo(result.line())
    typer.echo(f"quality: {result.quality.status}")
    for reason in result.quality.reasons:
        typer.echo(f"  blocked: {reason}")
    for deck in result.decks:
        where = f" {Path(result.folder) / deck.file}" if deck.file else ""
        typer.echo(f"  {deck.kind} {deck.format or ''}: {deck.state()}{where}"
                   + (f" ({deck.error})" if deck.error and deck.status != "blocked" else ""))
    failed = result.status == "failed"
    if send:
        report = deliver(result.folder, load_config(config_dir), settings)
        typer.echo(report.summary())
        for outcome in report.outcomes:
            if outcome.status in ("failed", "refused"):
                typer.secho(f"  {outcome.recipient}: {outcome.status} ({outcome.error})",
                            fg=typer.colors.RED, err=True)
        failed = failed or not report.ok
    typer.echo(f"manifest: {result.manifest_path}")
    _refresh_site(db_path, config, Path(result.folder).parent.parent)
    if failed:
        raise typer.Exit(code=1)


def _database_with_data(db: Path | None, team: str | None = None, config=None) -> str:
    """The database a meeting's decks are made from; a missing file, or one with no
    staged course or measurement, ends the command (exit code 2): decks of no data must
    not be rendered, nor sent. A team meeting whose team has no course is warned about
    (its deck would show no citizen), and so is a database whose models were built with
    another config or other model SQL (after an upgrade a figure may read a column the
    old build lacks)."""
    import duckdb

    from cli.faults import end_with
    from datadialog.db import DatabaseUnavailable, connect, database_path
    from pipeline.quality import loaded_since_build
    from transforms.build_state import fingerprint, last_build, nothing_staged

    path = database_path(db)
    try:
        con = connect(path, read_only=True, must_exist=True)
        try:
            empty = nothing_staged(con)
            team_courses = con.execute(
                "select count(*) from staging.courses where team_id = ?", [team]
            ).fetchone()[0] if team and not empty else None
            last = last_build(con)
            newer = last is not None and loaded_since_build(con)
        except duckdb.CatalogException:  # a file with no staging tables at all
            empty, team_courses, last, newer = True, None, None, False
        finally:
            con.close()
    except DatabaseUnavailable as exc:
        end_with(exc)
    if empty:
        end_with(RuntimeError(
            f"{path} holds no staged courses or measurements: load the exports first "
            f"(datadialog ingest PATH... --db {path}), then prepare the meeting again"))
    if team_courses == 0:
        typer.secho(f"team {team} has no course in {path}: its deck shows no citizen. Do "
                    "the courses get a team? (datadialog config check names a courses "
                    "export without team_id)", fg=typer.colors.YELLOW, err=True)
    if config is not None and (last is None or last[0] != fingerprint(config)):
        why = ("has never been built" if last is None else
               "was built with another config or other model SQL than this datadialog has")
        typer.secho(f"{path} {why}: a figure may fail or show the numbers of that build. "
                    f"Run datadialog build --db {path} first.", fg=typer.colors.YELLOW,
                    err=True)
    elif newer:
        typer.secho(f"{path}: exports or returned agreements were loaded after the last "
                    "build, so the decks show the data of that build (without them). Run "
                    f"datadialog build --db {path} first.", fg=typer.colors.YELLOW, err=True)
    return path


def _refresh_site(db_path, config, outbox: Path) -> None:
    """Refresh the data steward's site beside the outbox (``<outbox>/../site``); a
    database the site cannot be made from is named, not fatal (the decks are made)."""
    import duckdb

    from checks.run import CheckError
    from datadialog.db import DatabaseUnavailable
    from pipeline.site import refresh_site

    try:
        index = refresh_site(db_path, config, outbox.parent / "site", outbox=outbox)
    except (CheckError, DatabaseUnavailable, duckdb.Error) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        typer.secho(f"site not refreshed: {message}", fg=typer.colors.YELLOW, err=True)
    else:
        typer.echo(f"site: {index}")


def _paths(config_dir, db, outbox, inbox, archive):
    from flows.schedule import Paths

    return Paths.resolve(config_dir, db, outbox, inbox, archive)


def serve_command(
    db: Path = typer.Option(None, "--db", help=_DB_HELP),
    config_dir: Path = typer.Option(user_config_dir(), "--config", help=CONFIG_HELP),
    outbox: Path = typer.Option(None, "--outbox", help=_OUTBOX_HELP),
    inbox: Path = typer.Option(None, "--inbox", help="Inbox folder (default data/inbox)."),
    archive: Path = typer.Option(None, "--archive", help="Archive (default data/archive)."),
    pdf: bool = typer.Option(False, "--pdf", help="Also make a PDF of each deck."),
) -> None:
    """Run every meeting schedule in this process until stopped (Ctrl+C).

    Needs a Prefect API: a server (PREFECT_API_URL) or Prefect's local ephemeral one.
    """
    from flows.schedule import ServeRefused, serve_all

    config = _config(config_dir)
    try:
        serve_all(config, _paths(config_dir, db, outbox, inbox, archive), pdf=pdf)
    except ServeRefused as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from None
    except RuntimeError as exc:
        if "ephemeral" not in str(exc):
            raise
        typer.secho(
            f"{exc} Start a Prefect server (prefect server start) and set PREFECT_API_URL, "
            "or allow the local one more time (PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_"
            "SECONDS, e.g. 90) on a busy machine", fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from None


def deploy_command(
    work_pool: str = typer.Option(None, "--work-pool", help="Process work pool (created "
                                  "when missing; default 'datadialog')."),
    meeting: list[str] = typer.Option(None, "--meeting", help="Only this series (repeat)."),
    db: Path = typer.Option(None, "--db", help=_DB_HELP),
    config_dir: Path = typer.Option(user_config_dir(), "--config", help=CONFIG_HELP),
    outbox: Path = typer.Option(None, "--outbox", help=_OUTBOX_HELP),
    inbox: Path = typer.Option(None, "--inbox", help="Inbox folder (default data/inbox)."),
    archive: Path = typer.Option(None, "--archive", help="Archive (default data/archive)."),
    pdf: bool = typer.Option(False, "--pdf", help="Also make a PDF of each deck."),
) -> None:
    """Register one deployment per meeting series on the Prefect server (PREFECT_API_URL)."""
    from cli.faults import require_prefect_server

    config = _config(config_dir)
    require_prefect_server("datadialog deploy")  # before Prefect is imported (it logs)
    from flows.schedule import DEFAULT_WORK_POOL, deploy_all, deployment_name

    pool = work_pool or DEFAULT_WORK_POOL
    try:
        ids, rules = deploy_all(pool, config, _paths(config_dir, db, outbox, inbox, archive),
                                only=meeting or None, pdf=pdf)
    except KeyError as exc:
        typer.secho(str(exc.args[0]), fg=typer.colors.RED, err=True)
        raise typer.Exit(code=2) from None
    for rule, dep_id in zip(rules, ids, strict=True):
        kind = "rule" if rule.exact else f"dates until {rule.horizon_end:%Y-%m-%d}"
        typer.echo(f"meeting/{deployment_name(rule.meeting_id)} ({kind}) {dep_id}")
    renew = [r for r in rules if not r.exact]
    if renew:
        first = min(r.horizon_end for r in renew)
        typer.echo(f"deploy again before {first:%Y-%m-%d}: some schedules are explicit dates")
    typer.echo(f"{len(ids)} deployments on work pool {pool!r}; start a worker with:\n"
               f"  prefect worker start --pool {pool}")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("meetings")(meetings_command)
    app.command("prepare")(prepare_command)
    app.command("serve")(serve_command)
    app.command("deploy")(deploy_command)
