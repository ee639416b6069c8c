"""A log handler attached to some loggers for the length of a block.

Used by ``datadialog ingest`` (a CPR-masked log file beside the database) and by the
flows (the run's log in Prefect, ``flows/logs.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


@contextmanager
def handler_attached(handler: logging.Handler, names: Iterable[str], level: int) -> Iterator[None]:
    """``handler`` receives the records of the loggers ``names`` (and their children)
    at ``level`` and above while the block runs; each logger's level is lowered to
    ``level`` if it was higher, and put back afterwards, as is the handler list."""
    handler.setLevel(level)
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        if logger.getEffectiveLevel() > level:
            logger.setLevel(level)
    try:
        yield
    finally:
        for logger, before in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(before)
