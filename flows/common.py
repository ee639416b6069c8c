"""Tasks more than one flow starts with."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from datadialog.config_load import load_config
from datadialog.config_model import DatadialogConfig


@task(name="load-config", cache_policy=NO_CACHE)
def load_config_task(config_dir: str | None) -> DatadialogConfig:
    return load_config(config_dir)
