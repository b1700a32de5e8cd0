"""Progress of long runs: one logger for the package, forwarded to dbt's log inside dbt.

The engine logs what it is doing (axis, method, chosen k, elapsed seconds) at
INFO on the ``cluster_marts`` logger; it never prints.  Outside dbt nothing is
shown unless the caller configures logging.  A dbt Python model calls
:func:`log_to_dbt` first, so a user watching ``dbt build`` sees each step as
it finishes, as lines of dbt's own log (``cluster_marts: ...``).

:func:`run_each` runs independent calls (e.g. one per axis and method), in
``n_jobs`` worker processes when asked, yields their results in call order
and logs each one as it finishes.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

__all__ = ["LOGGER", "log_to_dbt", "run_each"]

LOGGER = logging.getLogger("cluster_marts")


class _DbtHandler(logging.Handler):
    """Sends records to dbt's event log (an adapter log line, shown on the console at INFO)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        from dbt.adapters.events.logging import AdapterLogger

        self._dbt = AdapterLogger("cluster_marts")

    def emit(self, record: logging.LogRecord) -> None:
        try:
            (self._dbt.warning if record.levelno >= logging.WARNING else self._dbt.info)(self.format(record))
        except Exception:  # noqa: BLE001 - a log line must never fail a model
            self.handleError(record)


def log_to_dbt() -> bool:
    """Forward the package's INFO log to dbt's log; idempotent.  False when dbt is not importable."""
    if any(isinstance(h, _DbtHandler) for h in LOGGER.handlers):
        return True
    try:
        handler = _DbtHandler()
    except ImportError:
        return False
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False  # one line per step: not again through handlers a library put on the root logger
    return True


def _timed(fn: Callable[..., Any], args: tuple) -> tuple[Any, float]:
    start = time.perf_counter()
    return fn(*args), time.perf_counter() - start


def run_each(fn: Callable[..., Any], calls: Sequence[tuple], *, n_jobs: int = 1,
             describe: Callable[[tuple, Any], str] = lambda args, result: "done") -> Iterator[Any]:
    """``fn(*args)`` for every ``args`` of ``calls``, in call order; each logged with its time as it finishes.

    Parameters
    ----------
    fn : callable
        A module-level function (it is sent to worker processes when ``n_jobs > 1``).
    calls : sequence of tuple
        Positional arguments of each call.
    n_jobs : int, default=1
        Worker processes (joblib, ``loky``); 1 runs in this process.  Each
        call must be deterministic on its own: results do not depend on
        ``n_jobs``.
    describe : callable, optional
        ``describe(args, result) -> str``: the log line's text.

    Yields
    ------
    The results, in the order of ``calls``.
    """
    started = time.perf_counter()
    if n_jobs > 1 and len(calls) > 1:
        from joblib import Parallel, delayed

        timed = Parallel(n_jobs=min(n_jobs, len(calls)), return_as="generator")(
            delayed(_timed)(fn, args) for args in calls)
    else:
        timed = (_timed(fn, args) for args in calls)
    for i, (args, (result, seconds)) in enumerate(zip(calls, timed), start=1):
        LOGGER.info("%s in %.1f s [%d/%d, %.0f s elapsed]", describe(args, result), seconds, i, len(calls),
                    time.perf_counter() - started)
        yield result
