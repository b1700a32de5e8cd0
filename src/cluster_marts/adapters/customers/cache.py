"""In-process memo of segmentation fits.

The four customer Python models of one ``dbt build`` read the same fits.  dbt
runs them in one Python process, so the first model's fit of an (axis, method)
is kept here and the others reuse it.  The key is a content hash (settings
relevant to the axis and method, the sorted ids and the raw axis features), so
a hit can only return what a fresh fit would: the cache is invisible for
correctness.  Cached arrays are made read-only so no caller can alter a shared
result.  A per-key lock makes concurrent dbt threads wait for the first fit
instead of repeating it.  Least recently used entries are evicted beyond
:data:`MAXSIZE`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

__all__ = ["MAXSIZE", "cached", "clear_cache", "cache_info"]

MAXSIZE = 64
T = TypeVar("T")

_entries: OrderedDict[str, object] = OrderedDict()
_key_locks: dict[str, threading.Lock] = {}
_lock = threading.Lock()
_stats = {"hits": 0, "misses": 0}


def cached(key: str, compute: Callable[[], T]) -> T:
    """Return the memoised value of ``key``, computing it once with ``compute()``.

    Parameters
    ----------
    key : str
        Content hash identifying the computation completely.
    compute : callable
        Called without arguments on a miss.

    Returns
    -------
    object
        The cached or freshly computed value.
    """
    with _lock:
        key_lock = _key_locks.setdefault(key, threading.Lock())
    with key_lock:
        with _lock:
            if key in _entries:
                _entries.move_to_end(key)
                _stats["hits"] += 1
                return _entries[key]  # type: ignore[return-value]
        value = compute()
        with _lock:
            _stats["misses"] += 1
            _entries[key] = value
            _entries.move_to_end(key)
            while len(_entries) > MAXSIZE:
                old, _ = _entries.popitem(last=False)
                _key_locks.pop(old, None)
        return value


def clear_cache() -> None:
    """Forget every memoised fit (and reset the hit/miss counters)."""
    with _lock:
        _entries.clear()
        _key_locks.clear()
        _stats.update(hits=0, misses=0)


def cache_info() -> dict[str, int]:
    """``{"hits", "misses", "size", "maxsize"}`` of the memo."""
    with _lock:
        return {**_stats, "size": len(_entries), "maxsize": MAXSIZE}
