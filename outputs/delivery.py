"""Delivery of a meeting's decks: the outbox folder, its manifest, and e-mail over SMTP.

Every prepared meeting gets a folder ``<outbox>/<meeting_id>/<meeting_date>/`` with its
decks and ``manifest.json`` (written by ``pipeline.meeting.prepare_meeting``: decks with
SHA-256, data cut-off time, quality status, recipients). :func:`deliver` then sends the
ready decks to the recipients and records every attempt in the manifest's
``delivery`` section. Nothing is dropped silently: a recipient is either ``sent``,
``already_sent`` (same decks earlier), ``outbox`` (no SMTP configured: the decks wait in
the outbox), ``refused`` (not a member of the meeting's team(s) in the config read at send
time: never sent) or ``failed`` (after bounded retries with backoff, with the error).

SMTP settings come from the environment only (:class:`DeliverySettings`)::

    DATADIALOG_SMTP_HOST      server name; unset = no e-mail, decks stay in the outbox
    DATADIALOG_SMTP_PORT      port (default 587 with starttls, 465 with ssl, 25 with none)
    DATADIALOG_SMTP_TLS       starttls | ssl | none (default starttls)
    DATADIALOG_SMTP_USER      login name (no login when unset)
    DATADIALOG_SMTP_PASSWORD  password (read from the environment only, never stored)
    DATADIALOG_SMTP_FROM      sender address (default: the user, else datadialog@<host>)
    DATADIALOG_SMTP_RETRIES   attempts per recipient (1-10, default 4)
    DATADIALOG_SMTP_BACKOFF   seconds before the 2nd attempt, doubled after each (default 5)
    DATADIALOG_SMTP_TIMEOUT   seconds per SMTP connection (default 30)
"""

from __future__ import annotations

import hashlib
import json
import os
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path
from typing import Any, Literal

from datadialog.config_model import DatadialogConfig, MeetingSeries
from datadialog.privacy import mask_text

#: Outbox folder used when none is given (relative to the working folder).
DEFAULT_OUTBOX = Path("data") / "outbox"
MANIFEST_NAME = "manifest.json"
#: Version of the manifest layout (raise when a key changes meaning).
MANIFEST_VERSION = 1

ENV_PREFIX = "DATADIALOG_SMTP_"
PASSWORD_ENV = "DATADIALOG_SMTP_PASSWORD"
TLS_MODES = ("starttls", "ssl", "none")
_DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}

Tls = Literal["starttls", "ssl", "none"]


class DeliveryConfigError(ValueError):
    """An SMTP environment variable has a value that cannot be used."""


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class DeliverySettings:
    """How decks are e-mailed; read from ``DATADIALOG_SMTP_*`` (see the module doc)."""

    host: str | None = None
    port: int = 587
    tls: Tls = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str | None = None
    #: Attempts per recipient, the first included (1-10).
    retries: int = 4
    #: Seconds before the second attempt; doubled before each further one (0-600).
    backoff_seconds: float = 5.0
    #: Seconds an SMTP connection may take per step (1-300).
    timeout_seconds: float = 30.0

    @property
    def enabled(self) -> bool:
        return bool(self.host)

    @property
    def from_address(self) -> str:
        if self.sender:
            return self.sender
        if self.user and "@" in self.user:
            return self.user
        return f"datadialog@{self.host or 'localhost'}"

    def describe(self) -> str:
        """One line for logs (never the password)."""
        if not self.enabled:
            return "e-mail off (DATADIALOG_SMTP_HOST unset): decks stay in the outbox"
        login = f", login {self.user}" if self.user else ""
        return f"e-mail via {self.host}:{self.port} ({self.tls}{login}) from {self.from_address}"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> DeliverySettings:
        env = os.environ if env is None else env

        def get(name: str) -> str | None:
            value = env.get(ENV_PREFIX + name, "").strip()
            return value or None

        def number(name: str, default: float, low: float, high: float) -> float:
            raw = get(name)
            if raw is None:
                return default
            try:
                value = float(raw)
            except ValueError:
                raise DeliveryConfigError(
                    f"{ENV_PREFIX}{name} must be a number, not {raw!r}"
                ) from None
            if not low <= value <= high:
                raise DeliveryConfigError(
                    f"{ENV_PREFIX}{name} must be between {low:g} and {high:g}, not {raw}"
                )
            return value

        tls = (get("TLS") or "starttls").lower()
        if tls not in TLS_MODES:
            raise DeliveryConfigError(
                f"{ENV_PREFIX}TLS must be one of {', '.join(TLS_MODES)}, not {tls!r}"
            )
        return cls(
            host=get("HOST"),
            port=int(number("PORT", _DEFAULT_PORTS[tls], 1, 65535)),
            tls=tls,  # type: ignore[arg-type]
            user=get("USER"),
            password=env.get(PASSWORD_ENV) or None,
            sender=get("FROM"),
            retries=int(number("RETRIES", 4, 1, 10)),
            backoff_seconds=number("BACKOFF", 5.0, 0, 600),
            timeout_seconds=number("TIMEOUT", 30.0, 1, 300),
        )


# ---------------------------------------------------------------- outbox and manifest


def meeting_folder(outbox: str | Path, meeting_id: str, meeting_date) -> Path:
    """``<outbox>/<meeting_id>/<yyyy-mm-dd>``."""
    return Path(outbox) / meeting_id / f"{meeting_date:%Y-%m-%d}"


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_manifest(folder: str | Path) -> dict[str, Any] | None:
    """The folder's manifest, or None when it has none (or it cannot be read)."""
    path = Path(folder) / MANIFEST_NAME
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_manifest(folder: str | Path, manifest: Mapping[str, Any]) -> Path:
    """Write ``manifest.json`` atomically (a reader never sees half a file)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / MANIFEST_NAME
    tmp = folder / f".{MANIFEST_NAME}.tmp"
    tmp.write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
    )
    os.replace(tmp, path)
    return path


def ready_decks(manifest: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Deck files of the manifest that were made and may be sent."""
    return [d for d in manifest.get("decks", []) if d.get("status") == "ready" and d.get("file")]


def outbox_intact(folder: str | Path) -> bool:
    """True when the folder's manifest exists and every ready deck is there unchanged."""
    manifest = read_manifest(folder)
    if manifest is None:
        return False
    for deck in ready_decks(manifest):
        path = Path(folder) / deck["file"]
        if not path.exists() or file_sha256(path) != deck.get("sha256"):
            return False
    return True


def since_text(stamp: str | None) -> str:
    """An ISO time as ``yyyy-mm-dd hh:mm`` (its own clock), for "unchanged since ..."."""
    if not stamp:
        return "an earlier run"
    try:
        return f"{datetime.fromisoformat(stamp):%Y-%m-%d %H:%M}"
    except ValueError:
        return stamp


def outbox_status(folder: str | Path) -> str:
    """One word for ``datadialog meetings``: not prepared, ready, blocked, failed, sent,
    partly sent, delivery failed, skipped; a ready or sent meeting whose last preparation
    kept every deck (same content as before) adds "unchanged since <time>"."""
    manifest = read_manifest(folder)
    if manifest is None:
        return "not prepared"
    status = _delivery_status(manifest)
    decks = ready_decks(manifest)
    if decks and all(d.get("unchanged") for d in decks):
        latest = max((d.get("rendered_at") or "" for d in decks), default="")
        status += f", unchanged since {since_text(latest)}"
    return status


def _delivery_status(manifest: Mapping[str, Any]) -> str:
    decks = manifest.get("decks", [])
    statuses = {d.get("status") for d in decks}
    if "failed" in statuses:
        return "failed"
    if "blocked" in statuses:
        return "blocked"
    if not ready_decks(manifest):
        return "skipped"
    latest = manifest.get("delivery", {}).get("recipients", {})
    outcomes = [r.get("status") for r in latest.values()]
    if outcomes and any(o == "failed" for o in outcomes):
        return "delivery failed"
    sent = [o for o in outcomes if o in ("sent", "already_sent")]
    if sent and len(sent) == len(manifest.get("recipients", [])):
        return "sent"
    if sent:
        return "partly sent"
    return "ready"


# ---------------------------------------------------------------- who may receive


def meeting_teams(config: DatadialogConfig, meeting: MeetingSeries) -> list[str]:
    """Team ids a meeting's decks may go to: its team; else every team delivering its
    intervention; else (organisation level) every team. The same rule the config
    check applies to ``recipients`` (``DatadialogConfig.check_references``)."""
    if meeting.team is not None:
        return [t.id for t in config.teams if t.id == meeting.team]
    if meeting.intervention is not None:
        return [t.id for t in config.teams if meeting.intervention in t.interventions]
    return [t.id for t in config.teams]


def allowed_recipients(config: DatadialogConfig, meeting_id: str) -> dict[str, str]:
    """Lower-cased address -> name of everyone in the meeting's team(s) (empty when the
    series is no longer in the config)."""
    meeting = next((m for m in config.meetings if m.id == meeting_id), None)
    if meeting is None:
        return {}
    teams = set(meeting_teams(config, meeting))
    return {
        member.email.lower(): member.name
        for team in config.teams
        if team.id in teams
        for member in team.members
    }


# ---------------------------------------------------------------- the message

_SUBJECT = {
    "da": "Materiale til {meeting} den {date}",
    "en": "Material for {meeting} on {date}",
}
_BODY = {
    "da": (
        "Hej {name}\n\n"
        "Her er materialet til mødet {meeting} {when}.\n"
        "Data er opgjort til og med {cutoff}. Datakvalitet: {quality}.\n"
        "{caveats}"
        "\nVedhæftet: {files}\n\n"
        "Husk inden mødet at notere dine tre vigtigste iagttagelser, hvad der undrer dig "
        "mest, og hvad du ville handle på.\n\n"
        "Sendt automatisk af datadialog. Svar ikke på denne mail; kontakt "
        "datakoordinatoren, hvis noget ser forkert ud.\n"
    ),
    "en": (
        "Hello {name}\n\n"
        "Here is the material for the meeting {meeting} {when}.\n"
        "The data run up to {cutoff}. Data quality: {quality}.\n"
        "{caveats}"
        "\nAttached: {files}\n\n"
        "Before the meeting, please note your three most important observations, what "
        "puzzles you most, and what you would act on.\n\n"
        "Sent automatically by datadialog. Please do not reply; contact the data steward "
        "if something looks wrong.\n"
    ),
}
_QUALITY_WORDS = {
    "da": {"ok": "ingen fund", "warnings": "se forbehold", "no quality run": "ikke kontrolleret",
           "stale": "kontrolleret før de seneste data", "blocked": "blokeret"},
    "en": {"ok": "no findings", "warnings": "see caveats", "no quality run": "not checked",
           "stale": "checked before the latest data", "blocked": "blocked"},
}
_CAVEATS_HEAD = {"da": "Forbehold:\n", "en": "Caveats:\n"}
_MIME = {
    ".pptx": ("application", "vnd.openxmlformats-officedocument.presentationml.presentation"),
    ".pdf": ("application", "pdf"),
}


def _when(manifest: Mapping[str, Any], lang: str) -> str:
    raw = manifest.get("meeting_time")
    if not raw:
        return manifest.get("meeting_date", "")
    moment = datetime.fromisoformat(raw)
    if lang == "da":
        return f"den {moment:%d.%m.%Y} kl. {moment:%H.%M}"
    return f"on {moment:%d %b %Y} at {moment:%H:%M}"


def _cutoff(manifest: Mapping[str, Any], lang: str) -> str:
    raw = manifest.get("data_cutoff")
    if not raw:
        return "?"
    moment = datetime.fromisoformat(raw)
    return f"{moment:%d.%m.%Y %H.%M}" if lang == "da" else f"{moment:%d %b %Y %H:%M}"


def compose_message(
    manifest: Mapping[str, Any],
    folder: str | Path,
    recipient: str,
    name: str | None,
    sender: str,
) -> EmailMessage:
    """One message to one recipient with the ready decks attached."""
    lang = manifest.get("language", "da")
    lang = lang if lang in _BODY else "en"
    meeting = manifest.get("meeting_name") or manifest["meeting_id"]
    date_text = manifest.get("meeting_date", "")
    decks = ready_decks(manifest)
    quality = manifest.get("quality", {})
    caveats = quality.get("caveats") or []
    caveat_text = (
        _CAVEATS_HEAD[lang] + "".join(f"- {c}\n" for c in caveats) if caveats else ""
    )
    body = _BODY[lang].format(
        name=name or recipient,
        meeting=meeting,
        when=_when(manifest, lang),
        cutoff=_cutoff(manifest, lang),
        quality=_QUALITY_WORDS[lang].get(quality.get("status", ""), quality.get("status", "?")),
        caveats=caveat_text,
        files=", ".join(d["file"] for d in decks),
    )
    msg = EmailMessage()
    msg["Subject"] = mask_text(_SUBJECT[lang].format(meeting=meeting, date=date_text))
    msg["From"] = sender
    msg["To"] = formataddr((name or "", recipient))
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1] or None)
    msg["X-Datadialog-Meeting"] = f"{manifest['meeting_id']} {date_text}"
    msg.set_content(mask_text(body))
    for deck in decks:
        path = Path(folder) / deck["file"]
        maintype, subtype = _MIME.get(path.suffix.lower(), ("application", "octet-stream"))
        msg.add_attachment(
            path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name
        )
    return msg


# ---------------------------------------------------------------- sending


def _is_permanent(exc: BaseException) -> bool:
    """A 5xx answer for this recipient or message: trying again will not help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600 and not isinstance(
            exc, smtplib.SMTPServerDisconnected
        )
    return False


def send_message(settings: DeliverySettings, message: EmailMessage, recipient: str) -> None:
    """One SMTP conversation: connect, TLS as configured, log in, send, quit."""
    context = ssl.create_default_context()
    if settings.tls == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host or "", settings.port, timeout=settings.timeout_seconds,
            context=context,
        )
    else:
        client = smtplib.SMTP(settings.host or "", settings.port,
                              timeout=settings.timeout_seconds)
    try:
        client.ehlo()
        if settings.tls == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if settings.user:
            client.login(settings.user, settings.password or "")
        client.send_message(message, from_addr=settings.from_address, to_addrs=[recipient])
    finally:
        try:
            client.quit()
        except (smtplib.SMTPException, OSError):
            client.close()


@dataclass
class RecipientOutcome:
    recipient: str
    status: str  # sent | already_sent | outbox | refused | failed | nothing_to_send
    attempts: int = 0
    error: str | None = None
    at: str | None = None
    decks: list[str] = field(default_factory=list)  # sha256 of the decks sent


@dataclass
class DeliveryReport:
    folder: str
    mode: str  # smtp | outbox
    outcomes: list[RecipientOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[RecipientOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def refused(self) -> list[RecipientOutcome]:
        return [o for o in self.outcomes if o.status == "refused"]

    @property
    def ok(self) -> bool:
        return not self.failed and not self.refused

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s.replace('_', ' ')}"
                 for s in ("sent", "already_sent", "outbox", "refused", "failed",
                           "nothing_to_send") if self.count(s)]
        return f"delivery ({self.mode}): " + (", ".join(parts) or "no recipients")

    def as_dict(self) -> dict[str, Any]:
        return {"folder": self.folder, "mode": self.mode, "seconds": round(self.seconds, 3),
                "outcomes": [asdict(o) for o in self.outcomes]}


Sender = Callable[[DeliverySettings, EmailMessage, str], None]


#: Failures of the server, not of a recipient: after the retries, the other recipients
#: are not tried (each would wait through its own retries, minutes per recipient).
SERVER_ERRORS = (ConnectionError, socket.gaierror, TimeoutError, smtplib.SMTPConnectError,
                 smtplib.SMTPServerDisconnected, smtplib.SMTPAuthenticationError,
                 smtplib.SMTPNotSupportedError, ssl.SSLError)


def _server_hint(settings: DeliverySettings, exc: BaseException) -> str:
    """What to check for a server failure, naming the server and the settings."""
    where = f"{settings.host}:{settings.port}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"{where} refused the login: check DATADIALOG_SMTP_USER and _PASSWORD"
    if isinstance(exc, ssl.SSLError | smtplib.SMTPNotSupportedError):
        return f"{where}: TLS failed: check DATADIALOG_SMTP_TLS (starttls, ssl or none)"
    return (f"no SMTP server answered at {where}: check DATADIALOG_SMTP_HOST, _PORT and "
            "_TLS, and that the server is up")


def send_with_retry(
    settings: DeliverySettings,
    message: EmailMessage,
    recipient: str,
    *,
    send: Sender = send_message,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[bool, int, str | None]:
    """Send, retrying transient failures (connection errors, 4xx answers) up to
    ``settings.retries`` attempts with doubling backoff; (sent, attempts, last error)."""
    error: str | None = None
    for attempt in range(1, settings.retries + 1):
        try:
            send(settings, message, recipient)
            return True, attempt, None
        except (smtplib.SMTPException, OSError) as exc:
            error = mask_text(f"{type(exc).__name__}: {exc}".splitlines()[0])[:300]
            if isinstance(exc, SERVER_ERRORS):
                error = f"{_server_hint(settings, exc)} ({error})"
            if isinstance(exc, smtplib.SMTPAuthenticationError):
                return False, attempt, error  # the same password fails again
            if _is_permanent(exc) or attempt == settings.retries:
                return False, attempt, error
            sleep(settings.backoff_seconds * 2 ** (attempt - 1))
    return False, settings.retries, error


def _send_one(manifest: Mapping[str, Any], folder: Path, recipient: str, name: str | None,
              settings: DeliverySettings, shas: list[str], stamp: str, send: Sender,
              sleep: Callable[[float], None]) -> RecipientOutcome:
    """Compose and send to one recipient. Any failure of this one message (a header the
    mail library refuses, an attachment that cannot be read, the SMTP conversation) is
    this recipient's ``failed`` outcome, never the end of the delivery run."""
    try:
        message = compose_message(manifest, folder, recipient, name, settings.from_address)
    except (ValueError, OSError) as exc:
        error = mask_text(f"{type(exc).__name__}: {exc}".splitlines()[0])[:300]
        return RecipientOutcome(recipient, "failed", 0, f"message not composed: {error}", stamp)
    ok, attempts, error = send_with_retry(settings, message, recipient, send=send, sleep=sleep)
    return RecipientOutcome(recipient, "sent" if ok else "failed", attempts, error, stamp,
                            shas if ok else [])


def deliver(
    folder: str | Path,
    config: DatadialogConfig,
    settings: DeliverySettings | None = None,
    *,
    send: Sender = send_message,
    sleep: Callable[[float], None] = time.sleep,
    now: datetime | None = None,
) -> DeliveryReport:
    """Send the folder's ready decks to the manifest's recipients; record the outcome.

    ``config`` is the configuration as it is *now* (read at send time): a recipient who
    is not a member of the meeting's team(s) in it is refused and reported, whatever
    the manifest says. A recipient who already received exactly these decks is not sent
    them again. Returns the report; the manifest's ``delivery`` section keeps the latest
    outcome per recipient and a log of every attempt, written after each recipient, so a
    run that stops half-way (or is run again after a failure) sends only to those who
    have not got these decks.
    """
    started = time.perf_counter()
    settings = settings or DeliverySettings.from_env()
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest is None:
        raise FileNotFoundError(f"no {MANIFEST_NAME} in {folder}")
    report = DeliveryReport(str(folder), "smtp" if settings.enabled else "outbox")
    decks = ready_decks(manifest)
    shas = sorted(d["sha256"] for d in decks)
    allowed = allowed_recipients(config, manifest["meeting_id"])
    delivery = manifest.setdefault("delivery", {})
    latest: dict[str, Any] = delivery.setdefault("recipients", {})
    log: list[dict[str, Any]] = delivery.setdefault("log", [])
    stamp = (now or datetime.now().astimezone()).isoformat(timespec="seconds")
    server_failed: str | None = None  # the server's own failure: the rest are not tried
    for recipient in manifest.get("recipients", []):
        key = recipient.lower()
        previous = latest.get(key, {})
        if key not in allowed:
            outcome = RecipientOutcome(
                recipient, "refused", error="not a member of the meeting's team(s) in the "
                "current config; nothing was sent", at=stamp)
        elif not decks:
            outcome = RecipientOutcome(recipient, "nothing_to_send", at=stamp)
        elif previous.get("status") in ("sent", "already_sent") and previous.get(
            "decks") == shas:
            outcome = RecipientOutcome(recipient, "already_sent", previous.get("attempts", 0),
                                       at=previous.get("at"), decks=shas)
        elif not settings.enabled:
            outcome = RecipientOutcome(recipient, "outbox", at=stamp)
        elif server_failed is not None:
            outcome = RecipientOutcome(
                recipient, "failed", 0, f"not tried: {server_failed}", stamp)
        else:
            outcome = _send_one(manifest, folder, recipient, allowed.get(key), settings,
                                shas, stamp, send, sleep)
            if outcome.status == "failed" and outcome.error and outcome.error.startswith(
                    ("no SMTP server answered", f"{settings.host}:{settings.port}")):
                server_failed = outcome.error
        report.outcomes.append(outcome)
        if outcome.status != "already_sent":
            latest[key] = asdict(outcome)
            log.append(asdict(outcome))
            # recorded as each mail goes: a run stopped half-way knows who has them
            delivery["summary"] = report.summary()
            write_manifest(folder, manifest)
    delivery["mode"] = report.mode
    delivery["last_run"] = stamp
    delivery["summary"] = report.summary()
    write_manifest(folder, manifest)
    report.seconds = time.perf_counter() - started
    return report
