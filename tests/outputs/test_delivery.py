"""Delivery over a real SMTP conversation (aiosmtpd on loopback): retries, refusals,
never a deck outside the team, nothing sent twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from datadialog.config_load import load_config
from outputs.delivery import (
    DeliveryConfigError,
    DeliverySettings,
    deliver,
    file_sha256,
    outbox_status,
    read_manifest,
    send_message,
    write_manifest,
)
from tests.support.meetings import SmtpInbox, config_copy, smtp_env, start_smtp

MEETING = "borger_familie_nord"
TEAM = ["anne.leder@demo-kommune.dk", "bo.hansen@demo-kommune.dk",
        "cecilie.holm@demo-kommune.dk"]


@pytest.fixture(scope="module")
def config():
    return load_config()


@pytest.fixture
def smtp():
    inbox = SmtpInbox()
    controller = start_smtp(inbox)
    yield inbox, controller
    controller.stop()


def make_folder(tmp_path: Path, recipients: list[str], status: str = "ready") -> Path:
    """An outbox folder as prepare_meeting leaves it: one deck file and the manifest."""
    folder = tmp_path / "outbox" / MEETING / "2026-10-27"
    folder.mkdir(parents=True)
    deck = folder / f"{MEETING}_2026-10-27.pptx"
    deck.write_bytes(b"PK\x03\x04 not really a deck, but bytes to attach")
    write_manifest(folder, {
        "meeting_id": MEETING,
        "meeting_name": "Borgerniveau: Familieteam Nord",
        "language": "da",
        "meeting_date": "2026-10-27",
        "meeting_time": "2026-10-27T09:00:00+01:00",
        "data_cutoff": "2026-10-31T08:15:00",
        "quality": {"status": "warnings", "caveats": ["2 målinger ligger efter forløbets slut."]},
        "recipients": recipients,
        "decks": [{"kind": "citizen_pack", "status": status, "file": deck.name,
                   "sha256": file_sha256(deck), "format": "pptx"}],
    })
    return folder


def settings_for(controller, **env) -> DeliverySettings:
    return DeliverySettings.from_env(smtp_env(controller) | env)


def test_settings_from_environment() -> None:
    s = DeliverySettings.from_env({"DATADIALOG_SMTP_HOST": "mail.example.org",
                                   "DATADIALOG_SMTP_TLS": "ssl",
                                   "DATADIALOG_SMTP_USER": "robot@example.org",
                                   "DATADIALOG_SMTP_PASSWORD": "s3cret"})
    assert (s.host, s.port, s.tls, s.user, s.retries) == (
        "mail.example.org", 465, "ssl", "robot@example.org", 4)
    assert s.from_address == "robot@example.org"
    assert "s3cret" not in repr(s) and "s3cret" not in s.describe()
    assert not DeliverySettings.from_env({}).enabled
    with pytest.raises(DeliveryConfigError, match="TLS must be one of"):
        DeliverySettings.from_env({"DATADIALOG_SMTP_TLS": "maybe"})
    with pytest.raises(DeliveryConfigError, match="RETRIES must be between 1 and 10"):
        DeliverySettings.from_env({"DATADIALOG_SMTP_RETRIES": "50"})


def test_sends_each_member_once_with_the_deck(tmp_path, smtp, config) -> None:
    inbox, controller = smtp
    folder = make_folder(tmp_path, TEAM)
    report = deliver(folder, config, settings_for(controller))
    assert [o.status for o in report.outcomes] == ["sent", "sent", "sent"]
    assert inbox.recipients() == TEAM
    first = inbox.received[0]
    assert first.attachments == [f"{MEETING}_2026-10-27.pptx"]
    assert first.message["Subject"] == (
        "Materiale til Borgerniveau: Familieteam Nord den 2026-10-27")
    body = first.message.get_body(("plain",)).get_content()
    assert "Hej Anne Leder" in body
    assert "den 27.10.2026 kl. 09.00" in body
    assert "2 målinger ligger efter forløbets slut." in body
    manifest = read_manifest(folder)
    assert manifest["delivery"]["recipients"]["bo.hansen@demo-kommune.dk"]["status"] == "sent"
    assert outbox_status(folder) == "sent"
    # a second delivery of the same decks sends nothing
    again = deliver(folder, config, settings_for(controller))
    assert [o.status for o in again.outcomes] == ["already_sent"] * 3
    assert len(inbox.received) == 3


def test_outsider_in_the_manifest_is_refused_and_never_mailed(tmp_path, smtp, config) -> None:
    inbox, controller = smtp
    folder = make_folder(tmp_path, [TEAM[0], "frida.lund@demo-kommune.dk",
                                    "mallory@example.org"])
    report = deliver(folder, config, settings_for(controller))
    assert [(o.recipient, o.status) for o in report.outcomes] == [
        (TEAM[0], "sent"),
        ("frida.lund@demo-kommune.dk", "refused"),  # member of another team (boern_vest)
        ("mallory@example.org", "refused"),
    ]
    assert inbox.recipients() == [TEAM[0]]
    assert not report.ok
    logged = read_manifest(folder)["delivery"]["log"]
    assert [e["status"] for e in logged] == ["sent", "refused", "refused"]
    assert "not a member" in logged[2]["error"]


def test_member_who_left_the_team_is_refused_at_send_time(tmp_path, smtp) -> None:
    """Prepared while Bo was in the team; the config read at send time no longer has him."""
    inbox, controller = smtp

    def drop_bo(folder: Path) -> None:
        org = yaml.safe_load((folder / "organisation.yaml").read_text(encoding="utf-8"))
        team = next(t for t in org["teams"] if t["id"] == "familie_nord")
        team["members"] = [m for m in team["members"] if not m["email"].startswith("bo.")]
        (folder / "organisation.yaml").write_text(yaml.safe_dump(org, allow_unicode=True),
                                                  encoding="utf-8")
        meetings = yaml.safe_load((folder / "meetings.yaml").read_text(encoding="utf-8"))
        for m in meetings["meetings"]:
            m["recipients"] = [r for r in m["recipients"] if not r.startswith("bo.")]
        (folder / "meetings.yaml").write_text(yaml.safe_dump(meetings), encoding="utf-8")

    now_config = load_config(config_copy(tmp_path, drop_bo))
    folder = make_folder(tmp_path, TEAM)
    report = deliver(folder, now_config, settings_for(controller))
    assert [o.status for o in report.outcomes] == ["sent", "refused", "sent"]
    assert "bo.hansen@demo-kommune.dk" not in inbox.recipients()
    assert len(inbox.received) == 2


def test_transient_failure_is_retried_permanent_one_reported(tmp_path, smtp, config) -> None:
    inbox, controller = smtp
    inbox.data_errors = ["451 4.3.0 Mailbox busy, try again"]
    inbox.refuse = {"cecilie.holm@demo-kommune.dk": "550 5.1.1 No such mailbox"}
    waits: list[float] = []
    folder = make_folder(tmp_path, TEAM)
    report = deliver(folder, config, settings_for(controller), sleep=waits.append)
    outcome = {o.recipient: o for o in report.outcomes}
    assert (outcome[TEAM[0]].status, outcome[TEAM[0]].attempts) == ("sent", 2)
    assert (outcome[TEAM[1]].status, outcome[TEAM[1]].attempts) == ("sent", 1)
    assert (outcome[TEAM[2]].status, outcome[TEAM[2]].attempts) == ("failed", 1)
    assert "550" in outcome[TEAM[2]].error
    assert waits == [0.05]  # one wait, before the second attempt to Anne
    assert inbox.recipients() == TEAM[:2]
    assert outbox_status(folder) == "delivery failed"
    assert read_manifest(folder)["delivery"]["summary"] == "delivery (smtp): 2 sent, 1 failed"
    # the next run sends to the one who failed, and to nobody twice
    inbox.refuse = {}
    report = deliver(folder, config, settings_for(controller), sleep=waits.append)
    assert [o.status for o in report.outcomes] == ["already_sent", "already_sent", "sent"]
    assert inbox.recipients() == TEAM


def test_unreachable_server_retries_with_backoff_then_reports(tmp_path, config) -> None:
    from tests.support.meetings import free_port

    port = free_port()  # nothing listens there
    settings = DeliverySettings.from_env({
        "DATADIALOG_SMTP_HOST": "127.0.0.1", "DATADIALOG_SMTP_PORT": str(port),
        "DATADIALOG_SMTP_TLS": "none", "DATADIALOG_SMTP_RETRIES": "3",
        "DATADIALOG_SMTP_BACKOFF": "0.5"})
    waits: list[float] = []
    folder = make_folder(tmp_path, TEAM[:1])
    report = deliver(folder, config, settings, sleep=waits.append)
    [outcome] = report.outcomes
    assert (outcome.status, outcome.attempts) == ("failed", 3)
    assert "ConnectionRefusedError" in outcome.error
    assert waits == [0.5, 1.0]
    assert json.loads((folder / "manifest.json").read_text())["delivery"]["recipients"][
        TEAM[0]]["status"] == "failed"


def test_a_server_that_does_not_answer_is_tried_once_for_all(tmp_path, config) -> None:
    """A refused connection is the server's failure, not the recipient's: the first
    recipient's retries find it, the others are not tried (each would wait through its
    own retries, minutes per recipient at the defaults), and the error says which server
    and which settings to check."""
    from tests.support.meetings import free_port

    port = free_port()
    settings = DeliverySettings.from_env({
        "DATADIALOG_SMTP_HOST": "127.0.0.1", "DATADIALOG_SMTP_PORT": str(port),
        "DATADIALOG_SMTP_TLS": "none", "DATADIALOG_SMTP_RETRIES": "2",
        "DATADIALOG_SMTP_BACKOFF": "0.5"})
    waits: list[float] = []
    folder = make_folder(tmp_path, TEAM[:2])
    report = deliver(folder, config, settings, sleep=waits.append)
    first, second = report.outcomes
    assert (first.status, first.attempts, second.status, second.attempts) == (
        "failed", 2, "failed", 0)
    assert first.error.startswith(
        f"no SMTP server answered at 127.0.0.1:{port}: check DATADIALOG_SMTP_HOST, _PORT "
        "and _TLS, and that the server is up (ConnectionRefusedError")
    assert second.error == f"not tried: {first.error}"
    assert waits == [0.5]  # the first recipient's one backoff, no more


def test_without_smtp_the_decks_wait_in_the_outbox(tmp_path, config) -> None:
    folder = make_folder(tmp_path, TEAM)
    report = deliver(folder, config, DeliverySettings.from_env({}))
    assert report.mode == "outbox"
    assert [o.status for o in report.outcomes] == ["outbox"] * 3
    assert outbox_status(folder) == "ready"


def test_blocked_decks_are_not_sent(tmp_path, smtp, config) -> None:
    inbox, controller = smtp
    folder = make_folder(tmp_path, TEAM, status="blocked")
    report = deliver(folder, config, settings_for(controller))
    assert [o.status for o in report.outcomes] == ["nothing_to_send"] * 3
    assert inbox.received == []
    assert outbox_status(folder) == "blocked"


class StopsAfter:
    """The real SMTP sender, until the process "dies" after ``n`` messages."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __call__(self, settings, message, recipient) -> None:
        if self.n == 0:
            raise KeyboardInterrupt("the worker was stopped")
        self.n -= 1
        send_message(settings, message, recipient)


def test_a_run_stopped_half_way_resumes_with_those_not_sent(tmp_path, smtp, config) -> None:
    inbox, controller = smtp
    folder = make_folder(tmp_path, TEAM)
    with pytest.raises(KeyboardInterrupt):
        deliver(folder, config, settings_for(controller), send=StopsAfter(1))
    # the one mail that went is on record, so the status says so and a rerun skips her
    recorded = read_manifest(folder)["delivery"]["recipients"]
    assert list(recorded) == [TEAM[0]] and recorded[TEAM[0]]["status"] == "sent"
    assert outbox_status(folder) == "partly sent"
    report = deliver(folder, config, settings_for(controller))
    assert [o.status for o in report.outcomes] == ["already_sent", "sent", "sent"]
    assert inbox.recipients() == TEAM  # each exactly once
    assert outbox_status(folder) == "sent"


def test_a_message_that_cannot_be_made_fails_alone(tmp_path, smtp, config) -> None:
    """A recipient whose message cannot be composed is reported failed; the others get
    theirs (here: a display name with a line break, as an unchecked config could hold)."""
    inbox, controller = smtp
    folder = make_folder(tmp_path, TEAM)
    bad = config.model_copy(deep=True)
    member = next(m for t in bad.teams for m in t.members if m.email == TEAM[1])
    object.__setattr__(member, "name", "Bo Hansen\r\nBcc: mallory@example.org")
    report = deliver(folder, bad, settings_for(controller))
    assert [o.status for o in report.outcomes] == ["sent", "failed", "sent"]
    assert "message not composed" in report.outcomes[1].error
    assert inbox.recipients() == [TEAM[0], TEAM[2]]
    assert all("mallory" not in r for m in inbox.received for r in m.rcpt_tos)
    assert read_manifest(folder)["delivery"]["recipients"][TEAM[1]]["status"] == "failed"
