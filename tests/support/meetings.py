"""Shared helpers of the ``tests/test_meetings_*.py`` modules (no tests here).

:func:`demo_database` generates the demo exports once per test session (120 courses,
mixed formats), ingests and builds them into a DuckDB file under the session's base
temp folder; every later call in the session (from any module) reuses that file, and
:func:`copy_database` gives a module its own copy to write to. :class:`SmtpInbox` is a
real SMTP server (aiosmtpd) on loopback that keeps what it receives.
:func:`prefect_server` starts one real ``prefect server start`` per session; modules
call :func:`start_server_early` so that its 10-25 s start overlaps their own tests when
the session also holds tests marked ``prefect_server``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest

PSEUDONYM_KEY = "meetings-test-key-7d1c4e0b9a5f"
DEMO_COURSES = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_database(base: Path) -> Path:
    """The session's demo database (built on first use; ``base`` is the session's
    ``tmp_path_factory.getbasetemp()``)."""
    folder = base / "meetings-demo"
    db = folder / "demo.duckdb"
    if (folder / "built").exists():
        return db
    from datadialog.config_load import load_config
    from datadialog.db import connect
    from demo import generate
    from transforms.ingest import ingest_files
    from transforms.refresh import build_database

    config = load_config()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DATADIALOG_PSEUDONYM_KEY", PSEUDONYM_KEY)
        manifest = generate(folder / "exports", seed=42, courses=DEMO_COURSES, fmt="mixed")
        con = connect(db)
        try:
            reports = ingest_files(con, list(manifest.paths), config)
        finally:
            con.close()
        assert all(r.status == "loaded" for r in reports), [r.as_dict() for r in reports]
        build_database(db, config)
    (folder / "built").touch()
    return db


def copy_database(db: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    out = target / db.name
    shutil.copyfile(db, out)
    wal = db.with_name(db.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, out.with_name(out.name + ".wal"))
    return out


def config_copy(target: Path, edit=None) -> Path:
    """A copy of the demo config folder; ``edit(folder)`` may change its files."""
    from datadialog.config_load import DEFAULT_CONFIG_DIR

    folder = target / "config"
    shutil.copytree(DEFAULT_CONFIG_DIR, folder)
    if edit is not None:
        edit(folder)
    return folder


# ---------------------------------------------------------------- SMTP


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def attachments(self) -> list[str]:
        return [p.get_filename() for p in self.message.iter_attachments()]


@dataclass
class SmtpInbox:
    """aiosmtpd handler: keeps every accepted message; can answer with errors.

    ``refuse`` maps an address to an SMTP reply for RCPT (e.g. ``550 ...``);
    ``data_errors`` is a list of replies given to the next DATA commands in turn
    (e.g. ``451 ...``), after which messages are accepted.
    """

    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    data_errors: list[str] = field(default_factory=list)
    conversations: int = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.conversations += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return self.refuse[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_errors:
            return self.data_errors.pop(0)
        msg = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), msg))
        return "250 Message accepted"

    def recipients(self) -> list[str]:
        return sorted(r.lower() for item in self.received for r in item.rcpt_tos)


def start_smtp(inbox: SmtpInbox):
    """A started aiosmtpd ``Controller`` on 127.0.0.1 (call ``.stop()``)."""
    from aiosmtpd.controller import Controller

    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


def smtp_env(controller, retries: int = 3, backoff: float = 0.05) -> dict[str, str]:
    return {
        "DATADIALOG_SMTP_HOST": "127.0.0.1",
        "DATADIALOG_SMTP_PORT": str(controller.port),
        "DATADIALOG_SMTP_TLS": "none",
        "DATADIALOG_SMTP_FROM": "datadialog@demo-kommune.dk",
        "DATADIALOG_SMTP_RETRIES": str(retries),
        "DATADIALOG_SMTP_BACKOFF": str(backoff),
        "DATADIALOG_SMTP_TIMEOUT": "10",
    }


def clean_env() -> dict[str, str]:
    """The current environment without Prefect API settings and SMTP settings."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("PREFECT_", "DATADIALOG_SMTP_"))}


# ---------------------------------------------------------------- Prefect server

PREFECT = str(Path(sys.executable).parent / "prefect")


class PrefectServer:
    """``prefect server start`` on 127.0.0.1 with its own PREFECT_HOME (SQLite)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.home = folder / "prefect-home"
        self.port = free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.log = folder / "server.log"
        self.env = clean_env() | {
            "PREFECT_HOME": str(self.home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_UI_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "DO_NOT_TRACK": "1",  # no client telemetry from the test processes
        }
        folder.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as out:
            self.proc = subprocess.Popen(
                [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=folder,
                start_new_session=True)
        self.started = time.monotonic()

    def wait_healthy(self, limit: float = 300) -> float:
        """Poll ``/api/health``; seconds since the start (generous: with two test workers
        another Prefect server may be starting on the same two cores)."""
        while time.monotonic() - self.started < limit:
            if self.proc.poll() is not None:
                raise RuntimeError(f"prefect server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.api_url}/health", timeout=10).status_code == 200:
                    return time.monotonic() - self.started
            except httpx.HTTPError:
                pass
            time.sleep(0.25)
        raise RuntimeError(f"prefect server not healthy after {limit} s: "
                           f"{self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        # a throwaway server: no need to wait long for a clean exit
        stop_process_groups([self.proc], grace_seconds=3)


def stop_process_groups(procs: list[subprocess.Popen], grace_seconds: float = 10) -> None:
    """Stop processes started with ``start_new_session=True`` and their children:
    SIGTERM to each group, then SIGKILL to those still running after ``grace_seconds``,
    and reap every one (a Prefect process worker may take longer than 30 s to exit on
    SIGTERM on a loaded machine; one left unreaped is a ResourceWarning in a later test)."""
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    for proc in procs:
        try:
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


_SERVERS: dict[Path, PrefectServer] = {}


def prefect_server(base: Path) -> PrefectServer:
    """The session's server (started on first call; stopped at exit at the latest)."""
    if base not in _SERVERS:
        server = PrefectServer(base / "meetings-prefect")
        _SERVERS[base] = server
        atexit.register(server.stop)
    return _SERVERS[base]


def start_server_early(request: pytest.FixtureRequest) -> None:
    """Start the session's server now when a collected test is marked ``prefect_server``."""
    if any(item.get_closest_marker("prefect_server") for item in request.session.items):
        prefect_server(request.getfixturevalue("tmp_path_factory").getbasetemp())
