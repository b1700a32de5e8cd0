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
(:func:`previous_fits`), so published cluster ids hold from one build to the
next (:mod:`cluster_marts.identity.lineage`); ``--full-refresh`` starts
clean, and every cluster's lineage event then says ``reset``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from cluster_marts.adapters.fitting import fit_clustering
from cluster_marts.adapters.frames import to_frame
from cluster_marts.adapters.long_table import RECORD, RECORD_TYPE, pack_records
from cluster_marts.adapters.partition import assignment_frame, centroid_frame, k_selection_frame, scaler_frame
from cluster_marts.config.cluster import settings_from_meta
from cluster_marts.fitting.pipeline import Partition
from cluster_marts.identity.lineage import PreviousFit, lineage_events
from cluster_marts.progress import LOGGER

__all__ = [
    "clustering_table", "memory_records", "lineage_records", "previous_fits", "read_previous",
    "MEMORY_COLUMNS", "LINEAGE_COLUMNS", "FIT_KEY",
]

#: a column holding the domain on every row: the incremental model's unique key, so each build replaces every row
FIT_KEY = "fit_key"
MEMORY_COLUMNS = ["scope", "method", "run_id", "cluster_id", "features", "means", "radius", "size", "next_id"]
LINEAGE_COLUMNS = ["domain", "scope", "method", "run_id", "previous_run_id", "cluster_id", "previous_cluster_id",
                   "event", "distance", "reason"]


def memory_records(scope: str, method: str, run_id: str, part: Partition) -> pd.DataFrame:
    """One row per cluster of ``part``: what the next build's fit of ``(scope, method)`` is matched against.

    ``features`` and ``means`` (members' means in original units) are JSON
    lists; ``radius`` the members' RMS distance to their mean (scaled space);
    ``next_id`` the first id never issued in the scope.
    """
    means, radius = part.means(scaled=False), part.radius()
    sizes = np.bincount(part.labels[part.labels >= 0], minlength=part.k)
    features = json.dumps(list(part.data.features))
    return pd.DataFrame({
        "scope": scope, "method": method, "run_id": run_id,
        "cluster_id": part.ids.ids.astype("int64"),
        "features": features,
        "means": [json.dumps([None if np.isnan(v) else float(v) for v in row]) for row in means],
        "radius": [None if np.isnan(r) else float(r) for r in radius],
        "size": sizes.astype("int64"),
        "next_id": int(part.ids.next_id),
    }, columns=MEMORY_COLUMNS)


def previous_fits(records: pd.DataFrame | None) -> dict[tuple[str, str], PreviousFit]:
    """The previous build's fits by ``(scope, method)``, from its ``cluster_memory`` records."""
    if records is None or records.empty:
        return {}
    out = {}
    for (scope, method), rows in records.groupby(["scope", "method"], sort=True):
        rows = rows.sort_values("cluster_id")
        means = np.array([[np.nan if v is None else v for v in json.loads(m)] for m in rows["means"]], dtype=float)
        out[(str(scope), str(method))] = PreviousFit(
            run_id=str(rows["run_id"].iat[0]), features=tuple(json.loads(rows["features"].iat[0])),
            cluster_ids=rows["cluster_id"].astype("int64").to_numpy(), means=means,
            radius=pd.to_numeric(rows["radius"]).astype(float).to_numpy(), next_id=int(rows["next_id"].max()),
        )
    return out


def lineage_records(domain: str, scope: str, method: str, run_id: str, part: Partition) -> pd.DataFrame:
    """The lineage events of one fit (:func:`~cluster_marts.identity.lineage.lineage_events`).

    Columns :data:`LINEAGE_COLUMNS`.
    """
    rows = [{"domain": domain, "scope": scope, "method": method, "run_id": run_id,
             "previous_run_id": part.ids.previous_run_id, **event}
            for event in lineage_events(part.ids, run_id)]
    return pd.DataFrame(rows, columns=LINEAGE_COLUMNS)


def read_previous(dbt: Any, session: Any, record_type: str = "cluster_memory") -> pd.DataFrame | None:
    """The ``record_type`` rows a model's previous build left in its own table, decoded; None on a fresh build.

    For an incremental dbt Python model: reads ``dbt.this`` when
    ``dbt.is_incremental`` (DuckDB and the Spark runner alike).
    """
    if not getattr(dbt, "is_incremental", False):
        return None
    frame = to_frame(session.sql(f"select {RECORD} from {dbt.this} where {RECORD_TYPE} = '{record_type}'"))
    return pd.DataFrame([json.loads(text) for text in frame[RECORD]])


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
        The previous build's ``cluster_memory`` records (:func:`read_previous`).
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
        "cluster_memory": memory_records("all", method, run_id, fit.partition),
        "lineage": lineage_records(domain, "all", method, run_id, fit.partition),
    }
    long = pack_records("assignment", pa.Table.from_pandas(assignments, preserve_index=False), packed)
    return long.append_column(FIT_KEY, pa.array([domain] * long.num_rows, pa.string()))

