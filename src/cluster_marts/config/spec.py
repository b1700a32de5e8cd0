"""Workbench specs: a short YAML file that describes one clustering analysis.

:func:`load_spec` reads a file, :func:`parse_spec` a mapping; both return a
frozen :class:`Spec` or raise :class:`~cluster_marts.errors.SettingsError`
whose message names the spec file, the key path (``preprocessing.scaling``)
and the allowed values.  Unknown keys are rejected with the allowed list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from cluster_marts.config.cluster import SCALINGS
from cluster_marts.config.spec_params import (
    ALGORITHMS, DENSITY_ALGORITHMS, K_ALGORITHMS, check_choice, check_column, check_float, check_int,
    check_mapping, check_params, check_subset, spec_error,
)

__all__ = [
    "Source", "Reduction", "Outliers", "Preprocessing", "Algorithm", "Spec", "load_spec", "parse_spec",
    "FORMATS", "REDUCTIONS", "OUTLIER_METHODS", "METRICS", "FIGURES", "DEFAULT_COMPARE", "DEFAULT_K_RANGE",
]

FORMATS = ("csv", "parquet", "json")
REDUCTIONS = ("pca", "tsne", "none")
OUTLIER_METHODS = ("none", "isolation_forest", "zscore")
METRICS = ("silhouette", "calinski_harabasz", "davies_bouldin", "inertia", "ari", "nmi")
FIGURES = ("scatter", "silhouette", "heatmap", "dendrogram")
DEFAULT_COMPARE = ("kmeans", "gmm", "agglomerative", "dbscan")
DEFAULT_K_RANGE = (2, 8)
_TOP_KEYS = ("name", "source", "id_column", "features", "target", "preprocessing", "algorithm",
             "n_clusters", "k_range", "random_state", "metrics", "figures", "compare")
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Source:
    """Where the rows come from: a file (``path`` + ``format``) or a dbt ``ref``."""

    path: str | None = None
    format: str | None = None
    ref: str | None = None


@dataclass(frozen=True)
class Reduction:
    """Dimensionality reduction before fitting: ``pca``, ``tsne`` or ``none``."""

    method: str = "none"
    n_components: int = 2


@dataclass(frozen=True)
class Outliers:
    """Outlier flags (rows are flagged, never dropped)."""

    method: str = "none"
    contamination: float = 0.05
    z: float = 3.0


@dataclass(frozen=True)
class Preprocessing:
    """Scaling, variance filter (``min_variance`` on raw values), reduction, outliers."""

    scaling: str = "standard"
    min_variance: float = 0.0
    reduction: Reduction = Reduction()
    outliers: Outliers = Outliers()


@dataclass(frozen=True)
class Algorithm:
    """Algorithm name and its validated parameters (defaults filled in, read-only)."""

    name: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Spec:
    """One validated workbench spec; see ``docs`` of :func:`parse_spec` for the keys."""

    name: str
    source: Source
    id_column: str
    features: tuple[str, ...]
    target: str | None
    preprocessing: Preprocessing
    algorithm: Algorithm
    n_clusters: int | None
    k_range: tuple[int, int] | None
    random_state: int
    metrics: tuple[str, ...]
    figures: tuple[str, ...]
    compare: tuple[str, ...]
    file: str = "<inline>"


def _source(raw: Any, file: str) -> Source:
    if raw is None:
        raise spec_error(file, "source", raw, "is required", "{path, format} or {ref}")
    data = check_mapping(raw, file, "source", ("path", "format", "ref"))
    if ("ref" in data) == ("path" in data):
        raise spec_error(file, "source", raw, "must have exactly one of path or ref", "{path, format} or {ref}")
    if "ref" in data:
        if "format" in data:
            raise spec_error(file, "source.format", data["format"], "only goes with source.path", ("path",))
        return Source(ref=check_column(data["ref"], file, "source.ref"))
    path = check_column(data["path"], file, "source.path")
    fmt = data.get("format", Path(path).suffix.lstrip(".").lower())
    return Source(path=path, format=check_choice(fmt, file, "source.format", FORMATS))


def _preprocessing(raw: Any, file: str) -> Preprocessing:
    data = check_mapping(raw, file, "preprocessing", ("scaling", "reduction", "feature_selection", "outliers"))
    scaling = check_choice(data.get("scaling", "standard"), file, "preprocessing.scaling", tuple(sorted(SCALINGS)))
    red = check_mapping(data.get("reduction"), file, "preprocessing.reduction", ("method", "n_components"))
    method = check_choice(red.get("method", "none"), file, "preprocessing.reduction.method", REDUCTIONS)
    n_comp = check_int(red.get("n_components", 2), file, "preprocessing.reduction.n_components", 2)
    if method == "tsne" and n_comp > 3:
        raise spec_error(file, "preprocessing.reduction.n_components", n_comp, "is too large for tsne", "2, 3")
    sel = check_mapping(data.get("feature_selection"), file, "preprocessing.feature_selection", ("min_variance",))
    min_var = check_float(sel.get("min_variance", 0.0), file, "preprocessing.feature_selection.min_variance",
                     0.0, float("inf"), False)
    out = check_mapping(data.get("outliers"), file, "preprocessing.outliers", ("method", "contamination", "z"))
    outliers = Outliers(
        method=check_choice(out.get("method", "none"), file, "preprocessing.outliers.method", OUTLIER_METHODS),
        contamination=check_float(out.get("contamination", 0.05), file, "preprocessing.outliers.contamination",
                             0.0, 0.5, True),
        z=check_float(out.get("z", 3.0), file, "preprocessing.outliers.z", 0.0, float("inf"), True),
    )
    return Preprocessing(scaling, min_var, Reduction(method, n_comp), outliers)


def _k(data: dict[str, Any], algorithm: str, file: str) -> tuple[int | None, tuple[int, int] | None]:
    n_clusters, k_range = data.get("n_clusters"), data.get("k_range")
    if algorithm in DENSITY_ALGORITHMS:
        for key, value in (("n_clusters", n_clusters), ("k_range", k_range)):
            if value is not None:
                raise spec_error(file, key, value, f"is forbidden for {algorithm} (finds k itself)", K_ALGORITHMS)
        return None, None
    if n_clusters is not None and k_range is not None:
        raise spec_error(file, "k_range", k_range, "cannot be combined with n_clusters", "one of n_clusters, k_range")
    if n_clusters is not None:
        return check_int(n_clusters, file, "n_clusters", 2), None
    if k_range is None:
        return None, DEFAULT_K_RANGE
    if not isinstance(k_range, list) or len(k_range) != 2:
        raise spec_error(file, "k_range", k_range, "must be a list [min, max]", "[min, max] with 2 <= min <= max")
    low, high = (check_int(v, file, "k_range", 2) for v in k_range)
    if low > high:
        raise spec_error(file, "k_range", k_range, "has min > max", "[min, max] with 2 <= min <= max")
    return None, (low, high)


def parse_spec(raw: Any, file: str = "<inline>") -> Spec:
    """Validate a spec mapping (as read from YAML).

    Parameters
    ----------
    raw : mapping
        Keys: ``name``, ``source``, ``id_column``, ``features``, ``target``,
        ``preprocessing``, ``algorithm`` ({name, params}), ``n_clusters`` or
        ``k_range``, ``random_state``, ``metrics``, ``figures``, ``compare``.
    file : str, default="<inline>"
        Spec file name, quoted in error messages.

    Returns
    -------
    Spec

    Raises
    ------
    SettingsError
        Naming the file, the key path and the allowed values.
    """
    data = check_mapping(raw, file, "", _TOP_KEYS)
    for key in ("name", "source", "id_column", "features", "algorithm"):
        if key not in data:
            raise spec_error(file, key, None, "is required", _TOP_KEYS)
    name = data["name"]
    if not isinstance(name, str) or not _SNAKE.match(name):
        raise spec_error(file, "name", name, "must be snake_case", "lower-case letters, digits and _")
    features = data["features"]
    if not isinstance(features, list) or not features:
        raise spec_error(file, "features", features, "must be a non-empty list", "column names")
    features = tuple(check_column(f, file, "features") for f in features)
    if len(set(features)) != len(features):
        raise spec_error(file, "features", list(features), "lists a column twice", "distinct column names")
    algo = check_mapping(data["algorithm"], file, "algorithm", ("name", "params"))
    algo_name = check_choice(algo.get("name"), file, "algorithm.name", ALGORITHMS)
    params = MappingProxyType(check_params(algo_name, algo.get("params"), file))
    target = None if data.get("target") is None else check_column(data["target"], file, "target")
    metrics = check_subset(data.get("metrics"), file, "metrics", METRICS,
                      METRICS if target else METRICS[:4])
    if target is None and {"ari", "nmi"} & set(metrics):
        raise spec_error(file, "metrics", list(metrics), "asks for ari/nmi without a target", METRICS[:4])
    default_figures = FIGURES if algo_name == "agglomerative" else FIGURES[:3]
    figures = check_subset(data.get("figures"), file, "figures", FIGURES, default_figures)
    if "dendrogram" in figures and algo_name != "agglomerative":
        raise spec_error(file, "figures", list(figures), "asks for a dendrogram of a non-hierarchical run",
                         FIGURES[:3])
    n_clusters, k_range = _k(data, algo_name, file)
    return Spec(
        name=name, source=_source(data["source"], file), id_column=check_column(data["id_column"], file, "id_column"),
        features=features, target=target, preprocessing=_preprocessing(data.get("preprocessing"), file),
        algorithm=Algorithm(algo_name, params), n_clusters=n_clusters, k_range=k_range,
        random_state=check_int(data.get("random_state", 42), file, "random_state", 0), metrics=metrics,
        figures=figures, compare=check_subset(data.get("compare"), file, "compare", ALGORITHMS, DEFAULT_COMPARE),
        file=file,
    )


def load_spec(path: str | Path) -> Spec:
    """Read and validate a YAML spec file (see :func:`parse_spec`)."""
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return parse_spec(raw, file=str(path))
