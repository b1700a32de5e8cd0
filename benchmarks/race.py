"""The single-axis race of ``make bench``: one axis, one method, k = 2..10, engine vs plain k-means.

On the customer features of the bench DuckDB (table ``customer_features``,
written by the dbt stages), for the main axis :data:`AXIS` (``engagement``):

* the engine: :func:`cluster_marts.adapters.customers.core.segment_axis` with
  method :data:`METHOD` (``fcm``) and the settings of
  ``python_models/customers/_customers__models.yml`` validated by
  :func:`cluster_marts.config.segmentation.segmentation_settings_from_meta`,
  with k = 2..10 and one method (:func:`race_meta`; every other key as in the
  YAML, Jinja var defaults rendered, so the fit sample size and the
  subdivision are the product's);
* the baseline: :func:`benchmarks.customers_baseline.kmeans_sweep` (k-means
  k = 2..10, silhouette on a seeded 10 000-row sample) on the same rows,
  standardised.

Both are timed in this process, one after the other. Then, outside the timing:
the exact silhouette of the engine's labels on a seeded :data:`EXACT_SAMPLE`-row
sample (scikit-learn, standardised features; silhouette is unchanged by a
common scale factor, so any standard scaling gives the same value) against the
silhouette the engine reports at its chosen k, and the ARI against the planted
personas of the k-means labels, of the engine's top-level segments and of its
segment paths (top level + subdivision: what ``customer_segments`` publishes). Run it as its own process::

    python -m benchmarks.race <bench.duckdb> <raw dir>

It prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from benchmarks.customers_baseline import RANDOM_STATE, kmeans_sweep, settings
from benchmarks.quality import ari, read_truth

AXIS, METHOD = "engagement", "fcm"
K_MIN, K_MAX = 2, 10
EXACT_SAMPLE = 20_000
MODEL = "int_customer_segmentation"


_VAR_DEFAULT = re.compile(r"^\{\{\s*var\('\w+',\s*(?P<default>[^)]+?)\s*\)\s*\}\}$")


def _default(text: str) -> Any:
    """A var default as dbt renders it into the YAML: a quoted string without its quotes, else the text."""
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"" else text


def race_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """The customer ``config.meta`` for the race: k 2..10, :data:`METHOD` only.

    Every Jinja string ``{{ var('name', default) }}`` of the YAML is replaced by
    its default; every other key is kept as it is.
    """
    rendered = {key: (_default(_VAR_DEFAULT.match(value)["default"]) if isinstance(value, str)
                      and _VAR_DEFAULT.match(value) else value) for key, value in meta.items()}
    return {**rendered, "k_min": K_MIN, "k_max": K_MAX, "random_state": RANDOM_STATE, "methods": [METHOD]}


def read_features(database: Path, columns: Sequence[str]) -> pd.DataFrame:
    """``columns`` of ``customer_features`` indexed by customer id, sorted by it (read-only)."""
    import duckdb

    select = ", ".join(columns)
    with duckdb.connect(str(database), read_only=True) as con:
        table = con.sql(f"select customer_id, {select} from customer_features order by customer_id").to_arrow_table()
    return table.to_pandas().set_index("customer_id")


def exact_silhouette(X: np.ndarray, labels: np.ndarray, size: int = EXACT_SAMPLE) -> float:
    """Silhouette of ``labels`` on a seeded sample of ``size`` rows of standardised ``X``."""
    rng = np.random.default_rng(RANDOM_STATE)
    rows = np.sort(rng.choice(len(X), min(size, len(X)), replace=False))
    Xs = StandardScaler().fit_transform(X)
    return float(silhouette_score(Xs[rows], labels[rows]))


def run(database: Path, raw_dir: Path) -> dict[str, Any]:
    """Race the engine against the k-means sweep on :data:`AXIS`; timings, silhouettes and ARIs."""
    from cluster_marts.adapters.customers.core import segment_axis
    from cluster_marts.config.segmentation import segmentation_settings_from_meta

    s = segmentation_settings_from_meta(race_meta(settings()), model=MODEL)
    table = read_features(database, s.features_of(AXIS))
    X = table.to_numpy(dtype=float)

    start = time.perf_counter()
    result = segment_axis(X, s, AXIS, METHOD, "bench-race", MODEL)
    engine_seconds = time.perf_counter() - start
    start = time.perf_counter()
    base_k, base_labels, _ = kmeans_sweep(StandardScaler().fit_transform(X))
    baseline_seconds = time.perf_counter() - start

    labels = np.asarray(result.labels)
    reported = float(result.metrics["silhouette"])
    exact = exact_silhouette(X, labels)
    personas = read_truth(raw_dir, "customers", "customer_id", "persona")

    def persona_ari(found: np.ndarray) -> float | None:
        return None if personas is None else ari(personas, pd.Series(found, index=table.index))

    return {
        "axis": AXIS, "method": METHOD, "k_range": [K_MIN, K_MAX], "n_rows": int(len(X)),
        "engine_seconds": round(engine_seconds, 3), "baseline_seconds": round(baseline_seconds, 3),
        "speedup": round(baseline_seconds / engine_seconds, 3),
        "engine_k": int(result.k), "baseline_k": int(base_k),
        "engine_silhouette_reported": round(reported, 4), "engine_silhouette_exact": round(exact, 4),
        "exact_sample": int(min(EXACT_SAMPLE, len(X))),
        "silhouette_gap": round(abs(reported - exact), 4),
        "engine_ari": persona_ari(np.asarray(result.subdivision.paths)), "engine_ari_top_level": persona_ari(labels),
        "baseline_ari": persona_ari(base_labels), "engine_fit_rows": int(result.metrics["n_fit_samples"]),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print :func:`run`'s result as JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.race")
    parser.add_argument("database", help="the bench DuckDB, after the dbt stages")
    parser.add_argument("raw_dir", help="the demo files (for demo_truth_customers.parquet)")
    args = parser.parse_args(argv)
    print(json.dumps(run(Path(args.database), Path(args.raw_dir))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
