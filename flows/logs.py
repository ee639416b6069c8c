"""The project's own log records in the Prefect run log.

Ingest writes one line per file (records in, staged, quarantined, CPR numbers
masked), the checks and deliveries write theirs; in a flow run those lines belong
in the run's log in Prefect, where a data steward looks. Prefect sends only its own
loggers to its API, so a flow body runs inside :func:`project_logs_in_prefect`,
which adds the API handler to the project's loggers, at Prefect's own log level
(INFO unless set otherwise), and takes it away afterwards. (A decorator would hide
the flow's own globals from Prefect, which resolves the parameters' annotations
there.) Every message is CPR-masked before it is logged
(``datadialog.privacy.mask_text``), so nothing new reaches the log store.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from datadialog.logs import handler_attached

#: Loggers of the project's own code (children included).
PROJECT_LOGGERS = ("transforms", "checks", "outputs", "datadialog")


def prefect_level() -> int:
    """Prefect's own log level (setting ``PREFECT_LOGGING_LEVEL``, INFO by default)."""
    from prefect.settings import PREFECT_LOGGING_LEVEL

    level = logging.getLevelName(str(PREFECT_LOGGING_LEVEL.value()).upper())
    return level if isinstance(level, int) else logging.INFO


@contextmanager
def project_logs_in_prefect(level: int | None = None) -> Iterator[None]:
    """While the block runs (inside a flow run), project records at ``level`` and
    above (default: Prefect's own level, so ``datadialog demo`` stays as quiet as
    Prefect) also go to the run's log in Prefect."""
    from prefect.logging.handlers import APILogHandler

    level = prefect_level() if level is None else level
    if any(isinstance(h, APILogHandler) for h in logging.getLogger(PROJECT_LOGGERS[0]).handlers):
        yield  # a subflow: the outer flow's handler sends its records already
        return
    with handler_attached(APILogHandler(), PROJECT_LOGGERS, level):
        yield
