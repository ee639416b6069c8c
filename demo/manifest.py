"""``manifest.json``: what was written, and where the planted effects and defects are.

Layout (all keys always present)::

    {
      "generator": "demo", "manifest_version": 1,
      "seed": 42, "as_of": "2026-10-31", "n_courses": 400, "format": "mixed",
      "files": [{"name", "source_id", "format", "sha256", "bytes",
                 "tables": {canonical: {"sheet": str|null, "rows": int}}}],
      "canonical_rows": {canonical: int},      # rows a correct ingest stages
      "effects": [{"kind", "intervention", "parameters", "course_refs", ...}],
      "defects": [{"id", "kind", "stage", "table", "source_id", "file", "sheet",
                   "rows", ...identifying keys}],
      "returned_agreements": [{"name", "meeting", "date", "agreements", "statuses"}]
    }

``rows`` follow docs/canonical.md (1-based data records; XLSX: Excel row - 1).
In fagsystem A a measurement defect on a whole form lists every item line of
the form; in fagsystem B it is the form's one row (item defects add
``column``: ``Q<n>``). ``missing_measurement`` has ``rows: []`` and names the
file the form would have been in. Defects on a duplicated form also give
``original_rows``. CPR numbers are never written here: CPR defects carry the
SHA-256 of the planted text instead (``citizen_ref_sha256`` / ``cpr_sha256``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_NAME = "manifest.json"


@dataclass
class FileEntry:
    name: str
    path: Path
    source_id: str
    format: str
    tables: dict[str, dict] = field(default_factory=dict)
    sha256: str = ""
    bytes: int = 0

    def finish(self) -> None:
        h = hashlib.sha256()
        with open(self.path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        self.sha256 = h.hexdigest()
        self.bytes = self.path.stat().st_size

    def to_dict(self) -> dict:
        return {"name": self.name, "source_id": self.source_id, "format": self.format,
                "sha256": self.sha256, "bytes": self.bytes, "tables": self.tables}


@dataclass
class Manifest:
    """What :func:`demo.generate` wrote (paths included)."""

    out_dir: Path
    seed: int
    as_of: str
    n_courses: int
    format: str
    files: list[FileEntry]
    canonical_rows: dict[str, int]
    effects: list[dict]
    defects: list[dict]
    returned_agreements: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def path(self) -> Path:
        return self.out_dir / MANIFEST_NAME

    @property
    def paths(self) -> list[Path]:
        return [f.path for f in self.files]

    @property
    def returned_paths(self) -> list[Path]:
        """The returned agreement registers written beside the exports."""
        return [self.out_dir / r["name"] for r in self.returned_agreements]

    def file(self, name: str) -> Path:
        return next(f.path for f in self.files if f.name == name)

    def defects_of(self, kind: str) -> list[dict]:
        return [d for d in self.defects if d["kind"] == kind]

    def to_dict(self) -> dict:
        return {
            "generator": "demo",
            "manifest_version": 1,
            "seed": self.seed,
            "as_of": self.as_of,
            "n_courses": self.n_courses,
            "format": self.format,
            "files": [f.to_dict() for f in self.files],
            "canonical_rows": self.canonical_rows,
            "effects": self.effects,
            "defects": self.defects,
            "returned_agreements": self.returned_agreements,
        }

    def write(self) -> Path:
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        self.path.write_text(text, encoding="utf-8")
        return self.path


def load_manifest(out_dir: str | Path) -> dict:
    """Read ``manifest.json`` from an output folder (as a plain dict)."""
    return json.loads((Path(out_dir) / MANIFEST_NAME).read_text(encoding="utf-8"))
