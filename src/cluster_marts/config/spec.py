"""Workbench specs: a short YAML file that describes one clustering analysis.

:func:`load_spec` reads a file, :func:`parse_spec` a mapping; both return a
frozen :class:`Spec` or raise :class:`~cluster_marts.errors.SettingsError`
whose message names the spec file, the key path (``preprocessing.scaling``)
and the allowed values.  Unknown keys are rejected with the allowed list.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from cluster_marts.config.algorithm_params import (
    ALGORITHMS,
    ALIAS_PAIRS,
    DENSITY_ALGORITHMS,
    K_ALGORITHMS,
    parse_params,
)
from cluster_marts.config.coerce import check
from cluster_marts.config.common import DEFAULT_STABILITY_RESAMPLES, FEATURES, ID_COLUMN, RANDOM_STATE, SCALING
from cluster_marts.config.rules import CHOICE, FLOAT, INT, LIST, MAPPING, STR, Context, Rule
from cluster_marts.config.schema import bind, parse_mapping

__all__ = [
    "Source", "Reduction", "Outliers", "Preprocessing", "Algorithm", "Spec", "load_spec", "parse_spec",
    "FORMATS", "REDUCTIONS", "OUTLIER_METHODS", "METRICS", "FIGURES", "DEFAULT_COMPARE", "DEFAULT_K_RANGE",
    "DEFAULT_FIT_SAMPLE_SIZE", "DEFAULT_STABILITY_RESAMPLES", "RULES",
]

FORMATS = ("csv", "parquet", "json")
REDUCTIONS = ("pca", "tsne", "umap", "none")
OUTLIER_METHODS = ("none", "isolation_forest", "zscore")
METRICS = ("silhouette", "calinski_harabasz", "davies_bouldin", "inertia", "ari", "nmi", "stability")
#: the metrics of a spec that lists none: these four, and ari / nmi when it has a target (stability only when asked)
_DEFAULT_METRICS = METRICS[:4]
FIGURES = ("scatter", "silhouette", "heatmap", "dendrogram")
DEFAULT_COMPARE = ("kmeans", "gmm", "agglomerative", "dbscan")
DEFAULT_K_RANGE = (2, 8)
#: rows the k search, the algorithm comparison and the fit see; every row is then assigned
DEFAULT_FIT_SAMPLE_SIZE = 20_000
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Source:
    """Where the rows come from: a dbt model (``ref``), a dbt source (``source``: source and table name) or a
    file (``path`` + ``format``, read off dbt's lineage)."""

    path: str | None = None
    format: str | None = None
    ref: str | None = None
    source: tuple[str, str] | None = None

    def describe(self) -> str:
        """``ref customer_features``, ``source raw.wine`` or ``file data/x.csv``: what the spec reads, in words.

        >>> Source(source=("raw", "wine")).describe()
        'source raw.wine'
        """
        if self.ref is not None:
            return f"ref {self.ref}"
        if self.source is not None:
            return f"source {'.'.join(self.source)}"
        return f"file {self.path}"


@dataclass(frozen=True)
class Reduction:
    """Dimensionality reduction before fitting: ``pca``, ``tsne``, ``umap`` (the ``umap`` extra) or ``none``."""

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
    fit_sample_size: int = DEFAULT_FIT_SAMPLE_SIZE
    stability_resamples: int = DEFAULT_STABILITY_RESAMPLES
    file: str = "<inline>"


_FORMAT = Rule("format", CHOICE, allowed=FORMATS)
_SOURCE = Rule("source", MAPPING, doc="{ref: model}, {source: [source, table]} or {path, format}",
               fields=(Rule("ref", STR), Rule("source", LIST, doc="[source name, table name]"), Rule("path", STR),
                       _FORMAT))
_REDUCTION = Rule("reduction", MAPPING, into=Reduction, fields=bind(
    Reduction, Rule("method", CHOICE, allowed=REDUCTIONS), Rule("n_components", INT, low=2)))
_OUTLIERS = Rule("outliers", MAPPING, into=Outliers, fields=bind(
    Outliers, Rule("method", CHOICE, allowed=OUTLIER_METHODS),
    Rule("contamination", FLOAT, low=0.0, high=0.5, open_low=True, open_high=True),
    Rule("z", FLOAT, low=0.0, open_low=True)))


def _preprocessing(
    scaling: str, reduction: Reduction, feature_selection: dict[str, float], outliers: Outliers
) -> Preprocessing:
    """Build :class:`Preprocessing` (``feature_selection.min_variance`` is stored flat)."""
    return Preprocessing(scaling, feature_selection["min_variance"], reduction, outliers)


#: the keys of a spec, in the order they are documented and listed in messages
RULES = (
    Rule("name", STR, required=True, doc="snake_case: lower-case letters, digits and _"),
    _SOURCE.replace(required=True),
    ID_COLUMN.replace(required=True),
    FEATURES.replace(required=True),
    Rule("target", STR, nullable=True),
    Rule("preprocessing", MAPPING, into=_preprocessing, fields=(
        SCALING.replace(default=Preprocessing.scaling), _REDUCTION,
        Rule("feature_selection", MAPPING, fields=(Rule("min_variance", FLOAT, default=Preprocessing.min_variance,
                                                         low=0.0),)),
        _OUTLIERS,
    )),
    Rule("algorithm", MAPPING, required=True, fields=(
        Rule("name", CHOICE, allowed=ALGORITHMS, aliases=ALIAS_PAIRS, required=True),
        Rule("params", MAPPING, allow_empty=True))),
    Rule("n_clusters", INT, low=2, nullable=True),
    Rule("k_range", LIST, values=Rule("k", INT, low=2), nullable=True, doc="[min, max] with 2 <= min <= max"),
    RANDOM_STATE.replace(default=42),
    Rule("metrics", LIST, allowed=METRICS, allow_empty=True),
    Rule("figures", LIST, allowed=FIGURES, allow_empty=True),
    Rule("compare", LIST, allowed=ALGORITHMS, aliases=ALIAS_PAIRS, allow_empty=True, default=DEFAULT_COMPARE),
    Rule("fit_sample_size", INT, low=100, default=DEFAULT_FIT_SAMPLE_SIZE,
         doc="an int >= 100: the k search, the comparison and the fit see a seeded sample of this many rows "
             "(all rows when the table is not larger); every row is assigned"),
    Rule("stability_resamples", INT, low=1, high=1000, default=DEFAULT_STABILITY_RESAMPLES,
         doc="an int in 1..1000: bootstrap refits of the stability metric (read when metrics lists stability)"),
)
_RULE = {rule.name: rule for rule in RULES}


def _source(data: dict[str, Any], ctx: Context) -> Source:
    given = {key: value for key, value in data.items() if value is not None}
    if sum(data[key] is not None for key in ("ref", "source", "path")) != 1:
        raise ctx.error("source", given, "must have exactly one of ref, source or path", _SOURCE.describe())
    if data["path"] is None and data["format"] is not None:
        raise ctx.error("source.format", data["format"], "only goes with source.path", "path")
    if data["ref"] is not None:
        return Source(ref=data["ref"])
    if data["source"] is not None:
        if len(data["source"]) != 2:
            raise ctx.error("source.source", list(data["source"]), "must be [source name, table name]",
                            "a list of two names, e.g. [raw, wine]")
        return Source(source=(data["source"][0], data["source"][1]))
    fmt = data["format"] or check(_FORMAT, Path(data["path"]).suffix.lstrip("."), ctx, "source.format")
    return Source(path=data["path"], format=fmt)


def _k(values: dict[str, Any], algorithm: str, ctx: Context) -> tuple[int | None, tuple[int, int] | None]:
    n_clusters, k_range = values["n_clusters"], values["k_range"]
    shown = None if k_range is None else list(k_range)
    if algorithm in DENSITY_ALGORITHMS:
        for key, value in (("n_clusters", n_clusters), ("k_range", shown)):
            if value is not None:
                raise ctx.error(key, value, f"is forbidden for {algorithm} (finds k itself)", ", ".join(K_ALGORITHMS))
        return None, None
    if n_clusters is not None and k_range is not None:
        raise ctx.error("k_range", shown, "cannot be combined with n_clusters", "one of n_clusters, k_range")
    if n_clusters is not None:
        return n_clusters, None
    if k_range is None:
        return None, DEFAULT_K_RANGE
    if len(k_range) != 2:
        raise ctx.error("k_range", shown, "must be a list [min, max]", _RULE["k_range"].describe())
    if k_range[0] > k_range[1]:
        raise ctx.error("k_range", shown, "has min > max", _RULE["k_range"].describe())
    return None, (k_range[0], k_range[1])


def _check_reduction(reduction: Reduction, ctx: Context) -> None:
    """t-SNE embeds in at most 3 dimensions; UMAP needs the ``umap`` extra (umap-learn)."""
    if reduction.method == "tsne" and reduction.n_components > 3:
        raise ctx.error("preprocessing.reduction.n_components", reduction.n_components, "is too large for tsne",
                        "2, 3")
    if reduction.method == "umap" and importlib.util.find_spec("umap") is None:
        raise ctx.error("preprocessing.reduction.method", "umap",
                        "needs the umap-learn package, which is not installed: install the umap extra "
                        "(pip install 'cluster_marts[umap]') or choose another reduction",
                        ", ".join(r for r in REDUCTIONS if r != "umap"))


def parse_spec(raw: Any, file: str = "<inline>") -> Spec:
    """Validate a spec mapping (as read from YAML).

    Parameters
    ----------
    raw : mapping
        Keys (:data:`RULES`): ``name``, ``source``, ``id_column``, ``features``,
        ``target``, ``preprocessing``, ``algorithm`` ({name, params}; params
        checked against :data:`~cluster_marts.config.algorithm_params.PARAM_RULES`),
        ``n_clusters`` or ``k_range``, ``random_state``, ``metrics``,
        ``figures``, ``compare``, ``stability_resamples`` (bootstrap refits
        of the ``stability`` metric, default :data:`DEFAULT_STABILITY_RESAMPLES`),
        ``fit_sample_size`` (default
        :data:`DEFAULT_FIT_SAMPLE_SIZE`: on a larger table the k search, the
        algorithm comparison and the fit see a seeded sample stratified by
        outlyingness, :func:`~cluster_marts.preprocessing.sampling.fit_sample`,
        and every row is then assigned by the fitted estimator).
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
    ctx = Context.for_spec(file)
    values = parse_mapping(raw, RULES, ctx)
    name = values["name"]
    if not _SNAKE.match(name):
        raise ctx.error("name", name, "must be snake_case", _RULE["name"].describe())
    algo_name = values["algorithm"]["name"]
    params = MappingProxyType(parse_params(algo_name, values["algorithm"]["params"], ctx))
    preprocessing = values["preprocessing"]
    _check_reduction(preprocessing.reduction, ctx)
    target = values["target"]
    default_metrics = (*_DEFAULT_METRICS, "ari", "nmi") if target else _DEFAULT_METRICS
    metrics = values["metrics"] if values["metrics"] is not None else default_metrics
    if target is None and {"ari", "nmi"} & set(metrics):
        raise ctx.error("metrics", list(metrics), "asks for ari/nmi without a target", ", ".join(METRICS[:4]))
    figures = values["figures"]
    if figures is None:
        figures = FIGURES if algo_name == "agglomerative" else FIGURES[:3]
    if "dendrogram" in figures and algo_name != "agglomerative":
        raise ctx.error("figures", list(figures), "asks for a dendrogram of a non-hierarchical run",
                        ", ".join(FIGURES[:3]))
    n_clusters, k_range = _k(values, algo_name, ctx)
    return Spec(
        name=name, source=_source(values["source"], ctx), id_column=values["id_column"],
        features=values["features"], target=target, preprocessing=preprocessing,
        algorithm=Algorithm(algo_name, params), n_clusters=n_clusters, k_range=k_range,
        random_state=values["random_state"], metrics=metrics, figures=figures, compare=values["compare"],
        fit_sample_size=values["fit_sample_size"], stability_resamples=values["stability_resamples"], file=file,
    )


def load_spec(path: str | Path) -> Spec:
    """Read and validate a YAML spec file (see :func:`parse_spec`)."""
    path = Path(path)
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    return parse_spec(raw, file=str(path))
