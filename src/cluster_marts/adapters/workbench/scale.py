"""The workbench at warehouse scale: which rows each fit sees, and the notes that say so.

Fit on a sample, score every row.  The k search, the algorithm comparison and
the spec's fit see the fit sample of
:func:`~cluster_marts.preprocessing.prepare.prepare` (``fit_sample_size``
rows, seeded, stratified by outlyingness; every row on a table that is not
larger); every row is then assigned by the fitted estimator's ``predict``
(:func:`~cluster_marts.adapters.workbench.fit.fit_spec`).

The methods whose cost grows with the square of the rows
(:data:`QUADRATIC_ALGORITHMS`: agglomerative and spectral need every pairwise
distance or affinity, OPTICS every reachability) fit on at most
:data:`QUADRATIC_SAMPLE_SIZE` rows: a seeded, stratified sample of the fit
sample (:func:`quadratic_rows`); the other rows take their ``predict``.

:func:`scale_notes` writes one ``suggestions`` row per sampled step
(``fit_sample``, ``sample_<algorithm>``, ``sample_tsne``, ``sample_umap``,
``sample_silhouette``), so a user sees what was sampled and how the other rows
were labelled.  Nothing is written when every fit saw every row.

`algorithms.threads.fit_threads` limits native thread pools (OpenMP, BLAS) to one thread
while the fits see fewer than :data:`~cluster_marts.algorithms.threads.SINGLE_THREAD_BELOW` rows, the rule of
the customer domain: on such samples k-means and silhouettes gain nothing from
threads, and on a machine shared with other builds OpenMP spin-waiting made
them several times slower (a 1,000,000-row k-means spec took 80 s with the
default pools, 42 s with one thread).  Results do not depend on the thread
count beyond float rounding.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from cluster_marts.config.spec import Spec
from cluster_marts.config.spec_params import DENSITY_ALGORITHMS
from cluster_marts.preprocessing.prepare import TSNE_NEIGHBOURS, Prepared
from cluster_marts.preprocessing.sampling import fit_sample
from cluster_marts.profiling.cluster_stats import SILHOUETTE_SAMPLE

__all__ = [
    "QUADRATIC_ALGORITHMS", "QUADRATIC_SAMPLE_SIZE", "PREDICT_RULES", "quadratic_rows",
    "scale_notes",
]

QUADRATIC_ALGORITHMS = ("agglomerative", "spectral", "optics")
#: most rows a quadratic method is fitted on (5,000 rows: 200 MB of pairwise distances)
QUADRATIC_SAMPLE_SIZE = 5_000

#: fits on fewer rows run with one native thread (see the module docstring)

#: how each algorithm's ``predict`` labels a row it was not fitted on (:mod:`cluster_marts.algorithms`)
PREDICT_RULES = {
    "kmeans": "nearest centre",
    "minibatch_kmeans": "nearest centre",
    "gmm": "largest posterior",
    "fcm": "largest membership",
    "agglomerative": "nearest cluster mean",
    "spectral": "nearest cluster mean",
    "dbscan": "nearest core sample when within eps, else noise",
    "hdbscan": "nearest clustered sample row when within its core distance, else noise",
    "optics": "nearest clustered sample row when within its core distance, else noise",
}


def quadratic_rows(X_fit: np.ndarray, name: str, random_state: int) -> np.ndarray | None:
    """Rows of ``X_fit`` a quadratic method is fitted on; None for every row.

    Examples
    --------
    >>> quadratic_rows(np.zeros((10, 2)), "agglomerative", 0) is None
    True
    >>> quadratic_rows(np.arange(12000.0).reshape(-1, 2), "spectral", 0).size
    5000
    """
    if name not in QUADRATIC_ALGORITHMS or X_fit.shape[0] <= QUADRATIC_SAMPLE_SIZE:
        return None
    return fit_sample(X_fit, QUADRATIC_SAMPLE_SIZE, random_state)


def scale_notes(spec: Spec, prep: Prepared, algorithms: Iterable[str]) -> list[tuple[str, float, str]]:
    """``suggestions`` rows (name, value, note) for every step that saw a sample of the rows.

    Parameters
    ----------
    spec : Spec
    prep : Prepared
    algorithms : iterable of str
        Every algorithm fitted: the spec's, then the compared ones.

    Returns
    -------
    list of (str, float, str)
        Empty when every fit saw every row.
    """
    n, m = prep.X.shape[0], prep.sample.size
    rows: list[tuple[str, float, str]] = []
    if prep.sampled:
        rows.append(("fit_sample", float(m), (
            f"the k search, the algorithm comparison and the {spec.algorithm.name} fit saw a seeded sample of "
            f"{m:,} of the {n:,} rows (fit_sample_size, stratified by distance to the median); every row is "
            f"assigned by the fitted {spec.algorithm.name} ({PREDICT_RULES[spec.algorithm.name]}), and the "
            "clusters, centres, metrics and representatives cover every row")))
    for name in dict.fromkeys(algorithms):
        own = name == spec.algorithm.name
        if name in QUADRATIC_ALGORITHMS and m > QUADRATIC_SAMPLE_SIZE:
            rest = "every other row takes" if own else "in the comparison, the other sampled rows take"
            rows.append((f"sample_{name}", float(QUADRATIC_SAMPLE_SIZE), (
                f"{name} is quadratic in rows: fitted on a seeded sample of {QUADRATIC_SAMPLE_SIZE:,} of the "
                f"{m:,} sampled rows; {rest} its {PREDICT_RULES[name]}")))
        elif own and name in DENSITY_ALGORITHMS and prep.sampled:
            rows.append((f"sample_{name}", float(m), (
                f"{name} labels only the rows it was fitted on: fitted on the {m:,} sampled rows; every other "
                f"row takes the {PREDICT_RULES[name]}")))
    if prep.sampled and spec.preprocessing.reduction.method == "tsne":
        rows.append(("sample_tsne", float(m), (
            f"t-SNE cannot embed new rows: it embedded the {m:,} sampled rows; every other row is placed at the "
            f"mean embedding of its {TSNE_NEIGHBOURS} nearest sampled rows")))
    if prep.sampled and spec.preprocessing.reduction.method == "umap":
        rows.append(("sample_umap", float(m), (
            f"UMAP was fitted on the {m:,} sampled rows; every other row is placed by the fitted UMAP's "
            "transform")))
    if n > SILHOUETTE_SAMPLE:
        scope = f"the {m:,} sampled rows have a per-row silhouette (NaN for the others)" if prep.sampled else \
            "each row's silhouette is computed"
        rows.append(("sample_silhouette", float(SILHOUETTE_SAMPLE), (
            f"exact silhouette is quadratic in rows: the silhouette metric is computed on a seeded sample of "
            f"{SILHOUETTE_SAMPLE:,} rows; {scope} against a seeded reference of {SILHOUETTE_SAMPLE:,} rows")))
    return rows
