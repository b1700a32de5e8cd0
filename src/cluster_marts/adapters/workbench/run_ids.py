"""The run id of a workbench spec's analysis: which spec fields and rows it hashes.

:func:`spec_run_id` hashes the spec's settings (every field but
:data:`RUN_ID_IGNORES`; fields and algorithm parameters added later only when
set away from their default, so existing specs keep their run ids), the ids
sorted as text with the target, and the raw features
(:func:`cluster_marts.identity.run_id.run_id`); :func:`spec_json` is the
spec as the ``settings_json`` of its k selection.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from cluster_marts.config.spec import DEFAULT_FIT_SAMPLE_SIZE, DEFAULT_STABILITY_RESAMPLES, Spec
from cluster_marts.identity.run_id import run_id

__all__ = ["spec_json", "spec_run_id", "RUN_ID_IGNORES"]

# Spec fields that do not change the tables: where the spec and its rows are read
# from (the rows themselves are hashed), its name (a column of its own) and its figures.
RUN_ID_IGNORES = ("name", "file", "source", "figures")
# Spec fields hashed (and written to settings_json) only when set away from their
# default, so the run ids of specs written before they existed are unchanged; the
# same for algorithm parameters added later (k-means tol).
_OPTIONAL = {"fit_sample_size": DEFAULT_FIT_SAMPLE_SIZE, "stability_resamples": DEFAULT_STABILITY_RESAMPLES}
_OPTIONAL_PARAMS = {"kmeans": {"tol": 1e-4}}


def _plain(value: Any) -> Any:
    """Dataclasses, mappings and tuples as JSON-ready dicts and lists."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _at_default(spec: Spec, name: str) -> bool:
    return name in _OPTIONAL and getattr(spec, name) == _OPTIONAL[name]


def _hashed(spec: Spec) -> Spec:
    """``spec`` with the algorithm parameters of :data:`_OPTIONAL_PARAMS` left out where at their default."""
    late = _OPTIONAL_PARAMS.get(spec.algorithm.name, {})
    params = {k: v for k, v in spec.algorithm.params.items() if k not in late or v != late[k]}
    return dataclasses.replace(spec, algorithm=dataclasses.replace(spec.algorithm, params=MappingProxyType(params)))


def spec_json(spec: Spec) -> str:
    """Every field of the spec but its file path (and optional fields at their default), as JSON (sorted keys)."""
    fields = {k: v for k, v in _plain(_hashed(spec)).items() if k != "file" and not _at_default(spec, k)}
    return json.dumps(fields, sort_keys=True, default=str)


def spec_run_id(spec: Spec, frame: pd.DataFrame) -> str:
    """:func:`cluster_marts.identity.run_id.run_id` of one spec's analysis.

    Hashes the spec's settings (every field but :data:`RUN_ID_IGNORES`;
    ``fit_sample_size`` only when it is not the default), the
    ids sorted as text together with the target (if any), and the raw
    features in that order, so every table of a spec's analysis carries the
    same ``run_id`` and a rerun on the same rows and spec reproduces it.
    ``frame`` must already have passed :func:`run_spec`'s checks.
    """
    hashed = _hashed(spec)
    settings = {f.name: getattr(hashed, f.name) for f in dataclasses.fields(spec)
                if f.name not in RUN_ID_IGNORES and not _at_default(spec, f.name)}
    rows = frame.assign(**{spec.id_column: frame[spec.id_column].astype(str)})
    rows = rows.sort_values(spec.id_column, kind="stable").reset_index(drop=True)
    keys = rows[[spec.id_column, *([spec.target] if spec.target else [])]]
    X = rows[list(spec.features)].apply(pd.to_numeric).to_numpy(dtype=np.float64)
    return run_id(settings, keys, X)
