"""The one clustering model of providers and demand: one fit, every table, ids kept from the previous build.

:func:`clustering_table` fits once (:func:`cluster_marts.adapters.fitting.fit_clustering`)
and returns one long table (:func:`cluster_marts.adapters.long_table.pack_records`):
the assignments typed (``record_type = 'assignment'``), and packed as JSON the
k selection (``k_selection``), the centres (``centroid``), the scaler
(``scaler_param``), the clusters' memory (``cluster_memory``: what the next
build matches against) and the lineage events of this build (``lineage``).
A ``fit_key`` column holds the domain on every row: the incremental model's
unique key, so each build replaces every row.  SQL views split it (macros
``record_rows`` and ``typed_rows``).

The model is incremental: it reads its own previous ``cluster_memory`` rows
(:mod:`cluster_marts.adapters.memory`), so published cluster ids hold from one build to the
next (:mod:`cluster_marts.identity.lineage`); ``--full-refresh`` starts
clean, and every cluster's lineage event then says ``reset``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import pyarrow as pa

from cluster_marts.adapters.fitting import fit_clustering
from cluster_marts.adapters.long_table import pack_records
from cluster_marts.adapters.memory import FIT_KEY, lineage_records, memory_records, previous_fits
from cluster_marts.adapters.partition import assignment_frame, centroid_frame, k_selection_frame, scaler_frame
from cluster_marts.config.cluster import settings_from_meta
from cluster_marts.progress import LOGGER

__all__ = ["clustering_table"]


def clustering_table(
    features: pd.DataFrame, meta: Mapping[str, Any] | None, previous: pd.DataFrame | None, *,
    model: str, domain: str,
) -> pa.Table:
    """Fit once and return every table of the fit as one long table; see the module docstring.

    Parameters
    ----------
    features : DataFrame
        One row per entity: the id column and the feature columns.
    meta : mapping or None
        The model's ``config.meta`` (:func:`~cluster_marts.config.cluster.settings_from_meta`).
    previous : DataFrame or None
        The previous build's ``cluster_memory`` and ``lineage`` records
        (:func:`~cluster_marts.adapters.memory.read_previous`).
    model : str
        dbt model name, used in error messages.
    domain : str
        Written in the lineage rows (``providers``, ``demand``).
    """
    method = settings_from_meta(meta, model=model).algorithm
    fit = fit_clustering(features, meta, model=model, previous=previous_fits(previous).get(("all", method)))
    ids = fit.partition.ids
    LOGGER.info("%s: k=%d; cluster ids %s: %s", model, fit.k, ", ".join(map(str, ids.ids.tolist())), ids.reason)
    run_id = fit.prep.run_id
    assignments = assignment_frame(features, fit, model=model)
    packed = {
        "k_selection": k_selection_frame(fit),
        "centroid": centroid_frame(fit),
        "scaler_param": scaler_frame(fit.prep, model=model),
        "cluster_memory": memory_records("all", method, run_id, fit.partition.memory()),
        "lineage": lineage_records(domain, "all", method, run_id, fit.partition.ids, previous),
    }
    long = pack_records("assignment", pa.Table.from_pandas(assignments, preserve_index=False), packed)
    return long.append_column(FIT_KEY, pa.array([domain] * long.num_rows, pa.string()))

