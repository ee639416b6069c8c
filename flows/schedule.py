"""Meeting series -> Prefect deployments that prepare each meeting's decks in time.

One deployment of flow ``meeting`` per meeting series, scheduled at its deck-run times
(:func:`pipeline.calendar.deck_run_rule`: the meeting times moved ``lead_days``
earlier). ``datadialog serve`` runs them in one process; ``datadialog deploy`` registers
them on a Prefect server with a process work pool.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from prefect import serve
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import WorkPoolCreate
from prefect.client.schemas.schedules import RRuleSchedule
from prefect.deployments.runner import EntrypointType
from prefect.exceptions import ObjectNotFound

from datadialog.config_load import DEFAULT_CONFIG_DIR
from datadialog.config_model import DatadialogConfig
from datadialog.db import database_path
from flows.meeting import meeting_flow
from outputs.delivery import DEFAULT_OUTBOX
from pipeline.calendar import DeckRunRule, deck_run_rule
from transforms.ingest import DEFAULT_ARCHIVE, DEFAULT_INBOX

#: Work pool ``datadialog deploy`` registers on when none is named.
DEFAULT_WORK_POOL = "datadialog"
#: Prefix of every deployment name (``meeting-<series id>``).
DEPLOYMENT_PREFIX = "meeting-"


# ---------------------------------------------------------------- Prefect deployments

def deck_runs(rule: DeckRunRule, start: datetime, end: datetime) -> list[datetime]:
    """Occurrences of a deck-run rule between two aware datetimes, as Prefect computes them
    (Prefect's own ``RRuleSchedule`` reads the rule in its time zone)."""
    schedule = RRuleSchedule(rrule=rule.text, timezone=rule.timezone)
    return list(schedule.to_rrule().between(start, end, inc=True))






def deployment_name(meeting_id: str) -> str:
    return f"{DEPLOYMENT_PREFIX}{meeting_id}"


@dataclass(frozen=True)
class Paths:
    """Where a deployed run reads and writes (absolute, so any worker folder works)."""

    config_dir: str
    db_path: str
    outbox_dir: str
    inbox: str
    archive: str

    @classmethod
    def resolve(
        cls,
        config_dir: str | Path | None = None,
        db_path: str | Path | None = None,
        outbox_dir: str | Path | None = None,
        inbox: str | Path | None = None,
        archive: str | Path | None = None,
    ) -> Paths:
        def absolute(value: str | Path | None, default: str | Path) -> str:
            return str(Path(value or default).expanduser().resolve())

        return cls(
            config_dir=absolute(config_dir, DEFAULT_CONFIG_DIR),
            db_path=absolute(database_path(db_path), database_path(None)),
            outbox_dir=absolute(outbox_dir, DEFAULT_OUTBOX),
            inbox=absolute(inbox, DEFAULT_INBOX),
            archive=absolute(archive, DEFAULT_ARCHIVE),
        )


def meeting_deployments(
    config: DatadialogConfig,
    paths: Paths,
    *,
    only: list[str] | None = None,
    pdf: bool = False,
    today: date | None = None,
) -> tuple[list, list[DeckRunRule]]:
    """One Prefect ``RunnerDeployment`` of flow ``meeting`` per meeting series (or the
    series named in ``only``), scheduled at its deck-run times; and the rules used."""
    tz = config.organisation.timezone
    wanted = set(only) if only else None
    unknown = (wanted or set()) - {m.id for m in config.meetings}
    if unknown:
        raise KeyError(f"no meeting series {', '.join(sorted(unknown))} in the config")
    deployments, rules = [], []
    for meeting in config.meetings:
        if wanted is not None and meeting.id not in wanted:
            continue
        rule = deck_run_rule(meeting, tz, today)
        rules.append(rule)
        deployments.append(
            meeting_flow.to_deployment(
                name=deployment_name(meeting.id),
                schedule=RRuleSchedule(rrule=rule.text, timezone=tz),
                parameters={
                    "meeting_id": meeting.id,
                    "config_dir": paths.config_dir,
                    "db_path": paths.db_path,
                    "outbox_dir": paths.outbox_dir,
                    "inbox": paths.inbox,
                    "archive": paths.archive,
                    "pdf": pdf,
                },
                description=(
                    f"Decks for {meeting.level}-level meeting {meeting.id}, "
                    f"{meeting.lead_days} days before each meeting ({meeting.rrule} "
                    f"at {meeting.time}, {tz})."
                ),
                tags=["datadialog", f"level:{meeting.level}"],
                entrypoint_type=EntrypointType.MODULE_PATH,
            )
        )
    return deployments, rules


class ServeRefused(RuntimeError):
    """serve would take over (and, when it stops, pause) deployments a worker runs."""


def deployed_on_pools(names: list[str]) -> dict[str, str]:
    """Deployment name -> work pool, for the meeting deployments of ``names`` that the
    Prefect server holds on a work pool (registered by ``datadialog deploy``)."""
    found = {}
    with get_client(sync_client=True) as client:
        for name in names:
            try:
                deployment = client.read_deployment_by_name(f"{meeting_flow.name}/{name}")
            except ObjectNotFound:
                continue
            if deployment.work_pool_name:
                found[name] = deployment.work_pool_name
    return found


def serve_all(config: DatadialogConfig, paths: Paths, *, pdf: bool = False) -> None:
    """Run every meeting schedule in this process (``prefect.serve``) until stopped.

    Refused (:class:`ServeRefused`) when the server already holds these deployments on
    a work pool: ``serve`` takes deployments over by name and pauses them when it stops,
    so a trial run would stop the decks a worker delivers."""
    deployments, _ = meeting_deployments(config, paths, pdf=pdf)
    on_pools = deployed_on_pools([d.name for d in deployments])
    if on_pools:
        pools = sorted(set(on_pools.values()))
        raise ServeRefused(
            f"{len(on_pools)} meeting deployment(s) are registered on work pool "
            f"{', '.join(pools)} (datadialog deploy), e.g. {meeting_flow.name}/"
            f"{sorted(on_pools)[0]}: a worker runs them (prefect worker start --pool "
            f"{pools[0]}). serve would take them over and pause them when it stops; use "
            "another Prefect server (PREFECT_API_URL) to try serve"
        )
    serve(*deployments)


def ensure_work_pool(name: str) -> bool:
    """Create the process work pool ``name`` when the server lacks it; True when created."""
    with get_client(sync_client=True) as client:
        try:
            client.read_work_pool(name)
            return False
        except ObjectNotFound:
            client.create_work_pool(WorkPoolCreate(name=name, type="process"))
            return True


def deploy_all(
    work_pool: str,
    config: DatadialogConfig,
    paths: Paths,
    *,
    only: list[str] | None = None,
    pdf: bool = False,
    today: date | None = None,
) -> tuple[list, list[DeckRunRule]]:
    """Register the meeting deployments on the Prefect server (``PREFECT_API_URL``) with
    the process work pool ``work_pool`` (created when missing); returns their ids and
    the rules. A process worker on that pool runs them:
    ``prefect worker start --pool <work_pool>``."""
    ensure_work_pool(work_pool)
    deployments, rules = meeting_deployments(config, paths, only=only, pdf=pdf, today=today)
    ids = [d.apply(work_pool_name=work_pool) for d in deployments]
    return ids, rules
