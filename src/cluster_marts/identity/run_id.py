"""Run ids: one content hash naming a fit, for every domain and the workbench.

A run id is the first 16 hex characters of the SHA-1 of three things, in this
order:

1. the fit-relevant settings, as JSON with sorted keys (each domain decides
   which settings are relevant: those that change the fit, not those that only
   choose among its outputs);
2. the row ids, sorted as the fit sees them (pandas' stable row hash, so the
   dtype counts: ``"7"`` and ``7`` differ);
3. the raw feature matrix rounded to single precision (float32 bytes), rows in the same order: two
   engines that compute a feature to within a few units in the last place (DuckDB and Spark average and
   take logarithms that differently) give the same id, while any change of the data beyond about 1e-7
   relative gives a new one.

Same settings, ids and values give the same id in any process, on any run, so
every table of one build carries the same ``run_id`` for one fit and a rerun on
unchanged data reproduces it; a change to any of the three gives a new id.  It
names a fit; it is not a security hash.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["run_id", "RUN_ID_LENGTH"]

RUN_ID_LENGTH = 16


def _jsonable(value: Any) -> Any:
    """JSON form of the setting values ``json`` does not know (called by ``json.dumps``)."""
    if isinstance(value, Mapping):
        return dict(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"run_id: setting value {value!r} of type {type(value).__name__} has no JSON form")


def run_id(settings: Mapping[str, Any], ids: pd.Series | pd.DataFrame, X: np.ndarray) -> str:
    """Content hash of a fit: settings, sorted ids and raw features.

    Parameters
    ----------
    settings : mapping
        The settings that determine the fit (str keys; values JSON-able, or
        mappings, dataclasses, sets, numpy scalars or arrays).
    ids : Series or DataFrame
        Row ids in the order the fit sees them (sorted).  A DataFrame hashes
        each row across its columns: use it to add per-row values that are not
        features, e.g. a workbench spec's target.
    X : array-like of shape (n_samples, n_features)
        Raw feature values, rows in the order of ``ids``.

    Returns
    -------
    str
        :data:`RUN_ID_LENGTH` lowercase hex characters.

    Examples
    --------
    >>> a = run_id({"k_max": 8}, pd.Series([1, 2]), np.array([[0.5], [1.5]]))
    >>> len(a), a == run_id({"k_max": 8}, pd.Series([1, 2]), np.array([[0.5], [1.5]]))
    (16, True)
    >>> a == run_id({"k_max": 9}, pd.Series([1, 2]), np.array([[0.5], [1.5]]))
    False
    """
    digest = hashlib.sha1(json.dumps(dict(settings), sort_keys=True, default=_jsonable).encode())
    digest.update(pd.util.hash_pandas_object(ids, index=False).to_numpy().tobytes())
    digest.update(np.ascontiguousarray(X, dtype=np.float64).astype(np.float32).tobytes())
    return digest.hexdigest()[:RUN_ID_LENGTH]
