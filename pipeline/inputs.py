"""What a meeting run's results depend on, as cache keys: the loaded files, the config,
the code of each step. A run on unchanged inputs recomputes nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from datadialog.config_model import DatadialogConfig
from datadialog.db import connect

ROOT = Path(__file__).resolve().parent.parent
#: Code whose change invalidates cached steps (the step's own files).
CODE_GLOBS: dict[str, tuple[str, ...]] = {
    "build": ("transforms/**/*.py", "transforms/sql/**/*.sql"),
    "checks": ("checks/**/*.py", "checks/sql/**/*.sql", "pipeline/quality.py"),
    "decks": ("outputs/**/*.py", "outputs/queries/*.sql", "outputs/templates/*",
              "pipeline/*.py", "flows/*.py"),
}


@dataclass(frozen=True)
class Inputs:
    """What a run's results depend on: the loaded files, the config, the code."""

    files: tuple[tuple[str, str], ...]  # (load_id, sha256) of every loaded file
    data_cutoff: datetime | None  # latest load time in staging.loads
    config_sha256: str
    code: tuple[tuple[str, str], ...]  # (step, sha256 of its code)

    def key(self, step: str, *extra: object) -> str:
        """Cache key of ``step``: its code, the files, the config, and ``extra``."""
        code = dict(self.code).get(step, "")
        text = repr((step, code, self.files, self.config_sha256, extra))
        return f"datadialog-{step}-{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def config_sha256(config: DatadialogConfig) -> str:
    return hashlib.sha256(config.model_dump_json().encode("utf-8")).hexdigest()


def code_sha256(step: str, root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for pattern in CODE_GLOBS[step]:
        for path in sorted(root.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def loaded_files(con) -> tuple[list[tuple[str, str]], datetime | None]:
    """(load_id, sha256) of the files in staging (failed loads left out), then
    ("agreements:<file>", sha256) of every returned deck or register whose agreements are
    stored (so a returned file makes the next build and decks run again), and the latest
    export load time (the data cut-off)."""
    try:
        rel = con.table("staging.loads").filter("status <> 'failed'")
        files = rel.select("load_id, sha256").order("load_id").fetchall()
        cutoff = rel.aggregate("max(coalesce(finished_at, started_at))").fetchall()[0][0]
    except duckdb.CatalogException:
        return [], None
    try:
        returned = (con.table("staging.agreements").filter("source_sha256 is not null")
                    .select("'agreements:' || source_file as f, source_sha256").distinct()
                    .order("f").fetchall())
    except (duckdb.CatalogException, duckdb.BinderException):  # before issue 15's columns
        returned = []
    return [(a, b) for a, b in files] + [(a, b) for a, b in returned], cutoff


def read_inputs(db_path: str, config: DatadialogConfig) -> Inputs:
    con = connect(db_path, read_only=True)
    try:
        files, cutoff = loaded_files(con)
    finally:
        con.close()
    return Inputs(tuple(files), cutoff, config_sha256(config),
                  tuple((step, code_sha256(step)) for step in CODE_GLOBS))
