"""The national registry: which organisations take part in a national roll-up, and where.

An organisation is its own data controller; for the national run it is four places on
the machines that run it: its config folder, its inbox, its DuckDB file and its outbox.
The registry (one YAML file, ``national.yaml``) lists them, and says where each
organisation's run writes its exported Parquet (``exchange``: a shared folder or a
mounted object store) and where the roll-up writes the national marts and deck::

    exchange: /srv/national/exchange      # one folder per organisation and quarter
    out_dir: /srv/national/rollup         # national.duckdb and the national deck
    small_cell_k: 5                       # hide national cells with fewer citizens
    organisations:
      - id: kommune_101
        name: Eksempel Kommune
        config_dir: /srv/kommune_101/config
        inbox: /srv/kommune_101/inbox
        database: /srv/kommune_101/datadialog.duckdb
        outbox: /srv/kommune_101/outbox

Each organisation's pseudonym key is its own: the key file its config names
(``privacy.pseudonym_key_file``) on the worker that runs it. Relative paths are taken
from the registry file's folder. Errors name the file and key
(:class:`datadialog.config_load.ConfigError`).
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import Field, ValidationError, model_validator

from datadialog.config_load import ConfigError, ConfigProblem, format_key
from datadialog.config_model import ID_PATTERN, Strict


class Organisation(Strict):
    id: str = Field(
        pattern=ID_PATTERN, description="Organisation id (its folder name in the exchange)."
    )
    name: str = Field(description="Name shown in the national deck.")
    config_dir: str = Field(description="The organisation's config folder.")
    inbox: str = Field(description="Folder its data steward drops exports into.")
    database: str = Field(description="Its DuckDB file (one writer: its own run).")
    outbox: str = Field(description="Its outbox (quality report of its run).")
    archive: str | None = Field(
        None, description="Processed exports (default: 'archive' beside the inbox)."
    )



class NationalRegistry(Strict):
    exchange: str = Field(description="Folder (shared storage) the runs export Parquet to.")
    out_dir: str = Field(description="Folder the roll-up writes national.duckdb and the deck to.")
    small_cell_k: int = Field(
        5, ge=2, le=20, description="Hide national cells with fewer citizens than this."
    )
    language: str = Field("da", pattern=r"^(da|en)$", description="Language of the deck.")
    organisations: list[Organisation] = Field(min_length=1, description="The organisations.")

    @model_validator(mode="after")
    def _unique_ids(self) -> NationalRegistry:
        ids = [o.id for o in self.organisations]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"organisation id listed twice: {', '.join(twice)}")
        return self

    def organisation(self, organisation_id: str) -> Organisation:
        for org in self.organisations:
            if org.id == organisation_id:
                return org
        raise KeyError(f"no organisation {organisation_id!r} in the registry")


def _absolute(base: Path, value: str | None) -> str | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (base / path).resolve())


def load_registry(path: str | Path) -> NationalRegistry:
    """Read and validate ``national.yaml``; paths made absolute from its folder."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError([ConfigProblem(str(path), "(file)", "registry file not found")])
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError([ConfigProblem(str(path), "(file)", f"not valid YAML: {exc}")]) from None
    try:
        registry = NationalRegistry.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError([ConfigProblem(str(path), format_key(tuple(e["loc"])) or "(top)",
                                         e["msg"]) for e in exc.errors()]) from None
    base = path.resolve().parent
    orgs = [
        org.model_copy(update={
            name: _absolute(base, getattr(org, name))
            for name in ("config_dir", "inbox", "database", "outbox", "archive")
        })
        for org in registry.organisations
    ]
    return registry.model_copy(update={
        "exchange": _absolute(base, registry.exchange),
        "out_dir": _absolute(base, registry.out_dir),
        "organisations": orgs,
    })


def write_registry(registry: NationalRegistry, path: str | Path) -> Path:
    """Write ``registry`` as YAML (the bench and tests make registries this way)."""
    path = Path(path)
    path.write_text(yaml.safe_dump(registry.model_dump(exclude_none=True), sort_keys=False,
                                   allow_unicode=True), encoding="utf-8")
    return path
