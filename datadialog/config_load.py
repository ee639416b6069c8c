"""Load the YAML config tree and turn every problem into file + key + reason.

A config folder holds ``*.yaml`` files; each file contributes one or more
top-level sections (``instruments:``, ``sources:`` ...). A section may appear in
only one file. Validation errors are reported as::

    config/instruments.yaml: instruments[2].item_max: Input should be a valid number
"""

from __future__ import annotations

import difflib
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from types import UnionType
from typing import Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from datadialog.config_model import RETIRED_INGEST_KEYS, DatadialogConfig

log = logging.getLogger(__name__)

DEFAULT_CONFIG_DIR = Path(__file__).resolve().parent.parent / "config"
#: Environment variable naming the config folder the commands use without --config.
CONFIG_ENV = "DATADIALOG_CONFIG"
#: The --config option's help, the same for every command.
CONFIG_HELP = (
    "Config folder (default: $DATADIALOG_CONFIG, else ./config, else the bundled demo config)."
)


def user_config_dir() -> Path:
    """The config folder a command uses without ``--config``: ``$DATADIALOG_CONFIG``,
    else ``config/`` in the working folder (where ``datadialog init config`` puts it),
    else the bundled demo organisation's config (:data:`DEFAULT_CONFIG_DIR`)."""
    named = os.environ.get(CONFIG_ENV)
    if named:
        return Path(named).expanduser()
    here = Path.cwd() / "config"
    return here if here.is_dir() else DEFAULT_CONFIG_DIR


@dataclass(frozen=True)
class ConfigProblem:
    file: str
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.message}"


class ConfigError(Exception):
    """Raised with every problem found; ``str()`` lists one per line."""

    def __init__(self, problems: list[ConfigProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _model_at(loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The config model that holds the last key of ``loc`` (None when the path leads
    through something that is not a model)."""
    model: object = DatadialogConfig
    for part in loc[:-1]:
        while get_origin(model) in (list, dict, Union, UnionType) or model is None:
            args = [a for a in get_args(model) if a is not type(None)]
            model = args[-1] if args else None
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        if isinstance(part, int):
            continue  # an item of a list: the model is the list's item type
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = field.annotation
        if get_origin(model) is dict:  # e.g. value_codes: the next part is a key
            continue
    while get_origin(model) in (list, Union, UnionType):
        args = [a for a in get_args(model) if a is not type(None)]
        model = args[-1] if args else None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _did_you_mean(loc: tuple[str | int, ...]) -> str:
    """' (did you mean 'timezone'?)' for a misspelt key, else ' (known keys: ...)'."""
    model = _model_at(loc)
    if model is None or not loc or not isinstance(loc[-1], str):
        return ""
    known = sorted(model.model_fields)
    close = difflib.get_close_matches(loc[-1], known, n=1, cutoff=0.6)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (known keys: {', '.join(known)})"


def _names_along(loc: tuple[str | int, ...], data: object) -> str:
    """' (sources[0] = fagsystem_a, tables[1] = courses)': the id (or canonical table) of
    each list item the path goes through, so a key by index names what it points at."""
    named: list[str] = []
    node, key = data, ""
    for part in loc:
        key = format_key((key, part)) if key else format_key((part,))
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
            name = node.get("id") or node.get("canonical") if isinstance(node, dict) else None
            if isinstance(name, str):
                named.append(f"{key.rsplit('.', 1)[-1]} = {name}")
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            break
    return f" ({', '.join(named)})" if named else ""


def _message(err: dict) -> str:
    """pydantic's message without its 'Value error, ' prefix; a hint for a YAML key that
    is not text (value_codes: {1: male} gives the number 1, not the code '1')."""
    message = err["msg"].removeprefix("Value error, ")
    loc = err["loc"]
    if loc and loc[-1] == "[key]" and err["type"] == "string_type":
        message += (" (YAML reads an unquoted number as a number: write the code in quotes, "
                    "e.g. '1': male)")
    return message


def format_key(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


#: PyYAML's safe loader on libyaml's parser where the wheel has it (the same values and
#: error marks; a load of the config's 18 files takes about 20 ms instead of 0.35 s).
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_sections(config_dir: Path) -> tuple[dict, dict[str, str]]:
    files = sorted(config_dir.glob("*.yaml")) + sorted(config_dir.glob("*.yml"))
    if not files:
        raise ConfigError([ConfigProblem(str(config_dir), "(folder)", "no .yaml files found")])
    merged: dict = {}
    origin: dict[str, str] = {}
    problems: list[ConfigProblem] = []
    for path in files:
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(unknown line)"
            problems.append(ConfigProblem(str(path), where, f"YAML syntax: {exc.problem}"))
            continue
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            problems.append(ConfigProblem(str(path), "(file)", f"cannot read: {exc}"))
            continue
        if data is None:
            continue
        if not isinstance(data, dict):
            problems.append(
                ConfigProblem(str(path), "(top level)", "must be a mapping of sections")
            )
            continue
        for section, value in data.items():
            if section in origin:
                problems.append(
                    ConfigProblem(
                        str(path), str(section), f"section already defined in {origin[section]}"
                    )
                )
                continue
            origin[str(section)] = str(path)
            merged[section] = value
    if problems:
        raise ConfigError(problems)
    return merged, origin


def _drop_retired_keys(merged: dict, file_name: str) -> None:
    """Take out the ``ingest`` settings that are gone (RETIRED_INGEST_KEYS), each with a
    WARNING naming the file and key, so a config that still sets one loads as before."""
    ingest = merged.get("ingest")
    if not isinstance(ingest, dict):
        return
    for key, why in RETIRED_INGEST_KEYS.items():
        if key in ingest:
            del ingest[key]
            log.warning("%s: ingest.%s is no longer used and is ignored: %s", file_name, key, why)


def load_config(config_dir: str | Path | None = None) -> DatadialogConfig:
    """Read and validate the config folder (default :func:`user_config_dir`); raise
    :class:`ConfigError` on any problem."""
    config_dir = Path(config_dir) if config_dir else user_config_dir()
    if not config_dir.is_dir():
        raise ConfigError([ConfigProblem(str(config_dir), "(folder)", "config folder not found")])
    merged, origin = _read_sections(config_dir)
    fallback = str(config_dir)

    def file_of(section: object) -> str:
        return origin.get(str(section), fallback)

    _drop_retired_keys(merged, file_of("ingest"))
    try:
        config = DatadialogConfig.model_validate(merged)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            section = loc[0] if loc else ""
            message = _message(err)
            if err["type"] == "missing" and len(loc) == 1:
                message = f"section {section!r} is missing (add it to a .yaml file in {fallback})"
            elif err["type"] == "extra_forbidden":
                message = f"unknown key{_did_you_mean(loc)}"
            message += _names_along(loc, merged)
            problems.append(ConfigProblem(file_of(section), format_key(loc), message))
        raise ConfigError(problems) from None
    problems = [
        ConfigProblem(file_of(path[0]), format_key(path), message)
        for path, message in config.check_references()
    ]
    if problems:
        raise ConfigError(problems)
    return config
