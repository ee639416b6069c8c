"""A real Prefect server on loopback, the demo schedules deployed, a process worker running
one meeting's deployment, the decks in the outbox and the mail in a local SMTP server."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest

from datadialog.config_load import load_config
from flows.meeting import meeting_flow
from outputs.delivery import file_sha256, read_manifest
from pipeline.inputs import CODE_GLOBS, code_sha256
from pipeline.meeting import prepare_meeting
from tests.support.meetings import (
    PREFECT,
    PSEUDONYM_KEY,
    SmtpInbox,
    copy_database,
    demo_database,
    prefect_server,
    smtp_env,
    start_smtp,
)

pytestmark = [pytest.mark.prefect_server, pytest.mark.slow]

POOL = "meetings-test"
CPH = ZoneInfo("Europe/Copenhagen")
MEETING, DAY = "borger_unge_syd", date(2026, 10, 28)
TEAM = ["dorthe.kjaer@demo-kommune.dk", "emil.berg@demo-kommune.dk"]


@dataclass
class Stack:
    api_url: str
    home: Path
    base: Path
    db: Path
    outbox: Path
    inbox: Path
    archive: Path
    env: dict[str, str]  # for Prefect CLI subprocesses
    smtp: SmtpInbox
    smtp_env: dict[str, str]

    def settings(self) -> dict:
        from prefect.settings import (
            PREFECT_API_URL,
            PREFECT_HOME,
            PREFECT_LOCAL_STORAGE_PATH,
            PREFECT_LOGGING_TO_API_ENABLED,
        )

        return {PREFECT_API_URL: self.api_url, PREFECT_HOME: str(self.home),
                PREFECT_LOCAL_STORAGE_PATH: str(self.home / "storage"),
                PREFECT_LOGGING_TO_API_ENABLED: False}


@pytest.fixture(scope="session")
def stack(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("meetings-stack")
    server = prefect_server(tmp_path_factory.getbasetemp())  # may already be starting
    smtp = SmtpInbox()
    controller = start_smtp(smtp)
    try:
        # the demo database is built (or copied) while the server starts
        db = copy_database(demo_database(tmp_path_factory.getbasetemp()), base / "db")
        server.wait_healthy()
        env = server.env | {"PREFECT_API_URL": server.api_url,
                            "PREFECT_LOCAL_STORAGE_PATH": str(server.home / "storage"),
                            "DATADIALOG_PSEUDONYM_KEY": PSEUDONYM_KEY}
        yield Stack(server.api_url, server.home, base, db, base / "outbox", base / "inbox",
                    base / "archive", env, smtp, smtp_env(controller, retries=2, backoff=0.1))
    finally:
        controller.stop()
        server.stop()


@pytest.fixture(scope="session")
def deployed(stack):
    """The demo schedules registered on the server, with a process work pool."""
    from prefect.settings import temporary_settings

    from flows.schedule import Paths, deploy_all

    paths = Paths.resolve(None, stack.db, stack.outbox, stack.inbox, stack.archive)
    with temporary_settings(updates=stack.settings()):
        ids, rules = deploy_all(POOL, load_config(), paths, today=date(2026, 11, 23))
    return ids, rules


@pytest.fixture(scope="session")
def worker_run(stack, deployed, tmp_path_factory):
    """One meeting's deployment run by a process worker (``--run-once``)."""
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import temporary_settings

    # a re-delivered export in the inbox: the run ingests (skips) it and archives it
    stack.inbox.mkdir(parents=True)
    exports = tmp_path_factory.getbasetemp() / "meetings-demo" / "exports"
    export = next(exports.glob("a_kalibrering_*.csv"))
    shutil.copy(export, stack.inbox / export.name)
    code = {step: code_sha256(step) for step in CODE_GLOBS}
    with temporary_settings(updates=stack.settings()):
        flow_run = run_deployment(f"meeting/meeting-{MEETING}",
                                  parameters={"meeting_date": DAY.isoformat()}, timeout=0)
    started = time.monotonic()
    proc = subprocess.run(
        [PREFECT, "worker", "start", "--pool", POOL, "--type", "process", "--run-once"],
        env=stack.env | stack.smtp_env, cwd=stack.base, capture_output=True, text=True,
        timeout=240)
    seconds = time.monotonic() - started
    with temporary_settings(updates=stack.settings()), get_client(sync_client=True) as client:
        state = client.read_flow_run(flow_run.id).state
    return {"state": state, "output": proc.stdout + proc.stderr, "seconds": seconds,
            "export": export.name, "code": code}


def test_deployments_carry_the_demo_schedules(stack, deployed) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.schedules import RRuleSchedule
    from prefect.settings import temporary_settings

    ids, rules = deployed
    config = load_config()
    assert len(ids) == len(config.meetings) == 6
    assert all(rule.exact for rule in rules)
    q3 = (datetime(2026, 7, 1, tzinfo=CPH), datetime(2026, 9, 30, 23, 59, tzinfo=CPH))
    runs = {}
    with temporary_settings(updates=stack.settings()), get_client(sync_client=True) as client:
        for meeting in config.meetings:
            dep = client.read_deployment_by_name(f"meeting/meeting-{meeting.id}")
            assert dep.work_pool_name == POOL
            assert dep.parameters["meeting_id"] == meeting.id
            assert dep.parameters["db_path"] == str(stack.db)
            [sched] = dep.schedules
            assert sched.active and isinstance(sched.schedule, RRuleSchedule)
            assert sched.schedule.timezone == "Europe/Copenhagen"
            # move the clock over Q3 2026: the occurrences the server's schedule gives
            runs[meeting.id] = [d.astimezone(CPH).strftime("%d.%m %H:%M")
                                for d in sched.schedule.to_rrule().between(*q3, inc=True)]
    assert runs["indsats_ungepraktik"] == ["09.07 12:00"]  # meeting Tue 14.07 12:00
    assert runs["indsats_voksenstoette"] == ["16.07 12:00"]  # meeting Tue 21.07 12:00
    assert runs["ledelse_kvartal"] == ["08.08 10:00"]  # meeting Sat 15.08 10:00
    assert runs["borger_unge_syd"] == ["06.07 13:00", "20.07 13:00", "03.08 13:00",
                                       "17.08 13:00", "31.08 13:00", "14.09 13:00",
                                       "28.09 13:00"]


def test_serve_refuses_the_deployments_a_worker_runs(stack, deployed) -> None:
    """serve takes deployments over by name and pauses them when it stops: tried on the
    server where deploy registered them, it would stop every scheduled deck. It is
    refused, naming the pool and the worker to run, and the schedules stay active."""
    from prefect.client.orchestration import get_client
    from prefect.settings import temporary_settings

    from flows.schedule import Paths, ServeRefused, serve_all

    paths = Paths.resolve(None, stack.db, stack.outbox, stack.inbox, stack.archive)
    with temporary_settings(updates=stack.settings()):
        with pytest.raises(ServeRefused) as refused:
            serve_all(load_config(), paths)
        with get_client(sync_client=True) as client:
            dep = client.read_deployment_by_name("meeting/meeting-borger_familie_nord")
    assert str(refused.value).startswith(
        f"6 meeting deployment(s) are registered on work pool {POOL} (datadialog deploy)")
    assert f"prefect worker start --pool {POOL}" in str(refused.value)
    assert not dep.paused and all(s.active for s in dep.schedules)


def test_worker_runs_one_meeting_to_outbox_and_mail(stack, worker_run) -> None:
    assert worker_run["state"].is_completed(), worker_run["output"][-3000:]
    folder = stack.outbox / MEETING / DAY.isoformat()
    deck = folder / f"{MEETING}_{DAY.isoformat()}.pptx"
    manifest = read_manifest(folder)
    [entry] = manifest["decks"]
    assert entry["status"] == "ready" and entry["sha256"] == file_sha256(deck)
    assert manifest["quality"]["status"] in ("ok", "warnings")  # unge_syd has no errors
    assert manifest["quality"]["run_id"]
    # the mail: one message per team member, the deck attached, nobody else
    assert stack.smtp.recipients() == TEAM
    assert all(r.attachments == [deck.name] for r in stack.smtp.received)
    assert {r.mail_from for r in stack.smtp.received} == {"datadialog@demo-kommune.dk"}
    assert manifest["delivery"]["summary"] == "delivery (smtp): 2 sent"
    # the inbox file was ingested (an unchanged re-delivery) and archived
    assert list(stack.inbox.iterdir()) == []
    assert list(stack.archive.rglob(worker_run["export"]))


def test_run_summary_artifact(stack, worker_run) -> None:
    response = httpx.post(f"{stack.api_url}/artifacts/filter", json={
        "artifacts": {"key": {"any_": ["meeting-borger-unge-syd"]}}}, timeout=10)
    response.raise_for_status()
    [artifact] = response.json()
    text = artifact["data"]
    assert text.startswith("# Meeting borger_unge_syd on 2026-10-28: ready")
    assert "- **Rows**: 1 inbox files (0 failed)" in text
    assert "models built" in text and "- **Checks**:" in text
    assert "dorthe.kjaer@demo-kommune.dk: sent" in text
    assert "- **Time**:" in text


def test_unchanged_inputs_are_not_recomputed_nor_resent(stack, worker_run, monkeypatch) -> None:
    from prefect.settings import temporary_settings

    folder = stack.outbox / MEETING / DAY.isoformat()
    deck = folder / f"{MEETING}_{DAY.isoformat()}.pptx"
    before = (deck.stat().st_mtime_ns, len(stack.smtp.received))
    for key, value in stack.smtp_env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("DATADIALOG_PSEUDONYM_KEY", PSEUDONYM_KEY)
    with temporary_settings(updates=stack.settings()):
        summary = meeting_flow(meeting_id=MEETING, meeting_date=DAY, db_path=str(stack.db),
                               outbox_dir=str(stack.outbox), inbox=str(stack.inbox),
                               archive=str(stack.archive))
    code_now = {step: code_sha256(step) for step in CODE_GLOBS}
    changed = [step for step in CODE_GLOBS if code_now[step] != worker_run["code"][step]]
    assert summary["cached"] == {"build": True, "check": True, "decks": True}, (
        f"code edited during the test session: {changed}" if changed else summary)
    assert (deck.stat().st_mtime_ns, len(stack.smtp.received)) == before
    assert [o["status"] for o in summary["delivery"]["outcomes"]] == ["already_sent"] * 2


def test_stored_checks_block_a_team_with_errors(stack, worker_run, tmp_path) -> None:
    """The worker's check run is stored; familie_nord has rows failing error rules."""
    result = prepare_meeting(stack.db, load_config(), "borger_familie_nord",
                             date(2026, 10, 27), tmp_path)
    assert result.status == "blocked"
    assert result.quality.run_id == read_manifest(
        stack.outbox / MEETING / DAY.isoformat())["quality"]["run_id"]
    assert any("measurement_before_start" in r for r in result.quality.reasons)
    assert not list(Path(result.folder).glob("*.pptx"))
