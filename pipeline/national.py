"""The national roll-up's runs: an organisation's export, the scan of the exchange, the
roll-up into national marts and the national deck.

The exchange (``registry.exchange``, shared storage) holds one folder per organisation
and quarter, written whole or not at all::

    <exchange>/<organisation_id>/<YYYY-Qn>/
        progression_cells.parquet   collection_cells.parquet   manifest.json

``manifest.json`` names the organisation, the quarter, the export date and, per file,
its rows and SHA-256. The roll-up includes an organisation only when the folder of the
quarter is there and every checksum matches; otherwise the organisation is reported
``stale`` (only an older quarter), ``missing`` or ``invalid``.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from datadialog import __version__
from datadialog.atomic_write import replacing, write_text
from datadialog.config_load import ConfigError, load_config
from datadialog.db import connect
from datadialog.names import Names, display_names
from datadialog.national_config import NationalRegistry
from outputs.delivery import file_sha256
from outputs.national_pack import build_national_deck, gather_national
from outputs.render import render_deck
from pipeline.demo_run import last_quarter_end
from transforms.national import EXPORTS, build_national, export_cells, write_coverage

MANIFEST = "manifest.json"
DATABASE = "national.duckdb"


class NationalError(Exception):
    """A national step cannot go on (no organisation in the quarter, a failed load)."""


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def reporting_quarter(as_of: date) -> str:
    """The quarter a run on ``as_of`` reports: the last one that ended before it."""
    return quarter_of(last_quarter_end(as_of))


def require_loaded(reports: list[dict]) -> int:
    """Raise :class:`NationalError` naming every inbox file that failed; files loaded."""
    failed = [r for r in reports if r.get("status") == "failed"]
    if failed:
        lines = "; ".join(f"{Path(r['file']).name}: {r.get('error') or 'failed'}"
                          for r in failed)
        raise NationalError(f"{len(failed)} export file(s) failed to load: {lines}")
    return sum(1 for r in reports if r.get("status") == "loaded")


# ---------------------------------------------------------------- organisation side


def export_organisation(db_path: str | Path, organisation_id: str, exchange: str | Path,
                        quarter: str, as_of: date) -> dict:
    """Export the organisation's cells of ``quarter`` into the exchange; the manifest.

    The database is opened read-only. The folder is written under a temporary name and
    renamed into place, so a reader sees the previous export or the new one, whole.
    """
    target = Path(exchange) / organisation_id / quarter
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{quarter}.partial-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        con = connect(db_path, read_only=True)
        try:
            rows = export_cells(con, staging)
        finally:
            con.close()
        manifest = {
            "organisation_id": organisation_id,
            "quarter": quarter,
            "as_of": as_of.isoformat(),
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "datadialog_version": __version__,
            "files": [{"name": f"{name}.parquet", "rows": rows[name],
                       "sha256": file_sha256(staging / f"{name}.parquet")}
                      for name in EXPORTS],
        }
        write_text(staging / MANIFEST, json.dumps(manifest, indent=2) + "\n")
        old = target.with_name(f".{quarter}.old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        staging.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest | {"folder": str(target)}


# ---------------------------------------------------------------- national side


@dataclass(frozen=True)
class Coverage:
    organisation_id: str
    organisation_name: str
    status: str  # included | stale | missing | invalid
    quarter: str | None = None
    exported_at: str | None = None
    detail: str = ""
    folder: str | None = None

    def row(self) -> tuple:
        return (self.organisation_id, self.organisation_name, self.status, self.quarter,
                self.exported_at, self.detail)


def _check_folder(folder: Path, organisation_id: str, quarter: str) -> str:
    """'' when the folder's manifest and checksums hold, else what is wrong."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"{MANIFEST} unreadable: {exc}"
    if manifest.get("organisation_id") != organisation_id or manifest.get("quarter") != quarter:
        return f"{MANIFEST} names {manifest.get('organisation_id')} {manifest.get('quarter')}"
    names = {f.get("name") for f in manifest.get("files", [])}
    wanted = {f"{name}.parquet" for name in EXPORTS}
    if names != wanted:
        return f"{MANIFEST} lists {sorted(names)}, expected {sorted(wanted)}"
    for entry in manifest["files"]:
        path = folder / entry["name"]
        if not path.is_file():
            return f"{entry['name']} missing"
        if file_sha256(path) != entry.get("sha256"):
            return f"{entry['name']}: checksum differs from {MANIFEST}"
    return ""


def scan_exchange(registry: NationalRegistry, quarter: str) -> list[Coverage]:
    """Each registered organisation's export of ``quarter`` (or why there is none)."""
    found = []
    for org in registry.organisations:
        base = Path(registry.exchange) / org.id
        quarters = sorted(p.name for p in base.glob("*-Q*") if p.is_dir()) if base.is_dir() else []
        if quarter not in quarters:
            older = [q for q in quarters if q < quarter]
            if older:
                found.append(Coverage(org.id, org.name, "stale", older[-1],
                                      detail=f"latest export {older[-1]}"))
            else:
                found.append(Coverage(org.id, org.name, "missing", detail="no export"))
            continue
        folder = base / quarter
        problem = _check_folder(folder, org.id, quarter)
        if problem:
            found.append(Coverage(org.id, org.name, "invalid", quarter, detail=problem))
            continue
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        found.append(Coverage(org.id, org.name, "included", quarter,
                              manifest.get("exported_at"), folder=str(folder)))
    return found


@dataclass
class RollupResult:
    quarter: str
    database: str
    deck: str | None
    coverage: list[Coverage]
    models: dict[str, int] = field(default_factory=dict)

    def by_status(self, status: str) -> list[str]:
        return [c.organisation_id for c in self.coverage if c.status == status]

    def as_dict(self) -> dict:
        return {"quarter": self.quarter, "database": self.database, "deck": self.deck,
                "models": self.models, "coverage": [asdict(c) for c in self.coverage],
                "included": self.by_status("included"), "stale": self.by_status("stale"),
                "missing": self.by_status("missing"), "invalid": self.by_status("invalid")}


def rollup(registry: NationalRegistry, quarter: str, *, deck: bool = True) -> RollupResult:
    """Build ``national.duckdb`` (and the national deck) for ``quarter`` in
    ``registry.out_dir`` from the organisations' Parquet; the exchange is only read.

    The database is written under a temporary name and replaces the previous one only
    when complete. Raises :class:`NationalError` when no organisation's export of the
    quarter is usable.
    """
    coverage = scan_exchange(registry, quarter)
    included = [c for c in coverage if c.status == "included"]
    if not included:
        raise NationalError(f"no organisation has a usable export of {quarter} in "
                            f"{registry.exchange}")
    out = Path(registry.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    parts = {name: [str(Path(c.folder) / f"{name}.parquet") for c in included]  # type: ignore[arg-type]
             for name in EXPORTS}
    database = out / DATABASE
    with replacing(database) as tmp:
        con = connect(tmp)
        try:
            models = build_national(con, parts, registry.small_cell_k)
            write_coverage(con, [c.row() for c in coverage])
            con.execute("checkpoint")
        finally:
            con.close()
    result = RollupResult(quarter, str(database), None, coverage, models)
    if deck:
        result.deck = str(write_national_deck(registry, quarter, database))
    return result


def registry_names(registry: NationalRegistry) -> Names:
    """Interventions' and instruments' configured names from the organisations' config
    folders (the first that names an id wins). A folder this machine cannot read is
    skipped: its ids then show as ids."""
    names: Names = {}
    for config_dir in dict.fromkeys(org.config_dir for org in registry.organisations):
        try:
            config = load_config(config_dir)
        except ConfigError:
            continue
        names = display_names(config) | names
    return names


def write_national_deck(registry: NationalRegistry, quarter: str, database: Path) -> Path:
    """The national quarterly deck from ``national.duckdb`` (read-only)."""
    con = connect(database, read_only=True)
    try:
        data = gather_national(con, quarter)
    finally:
        con.close()
    spec = build_national_deck(data, registry.language, registry.small_cell_k,
                               registry_names(registry))
    return render_deck(spec, Path(registry.out_dir) / f"national_{quarter}.pptx",
                       k=registry.small_cell_k)
