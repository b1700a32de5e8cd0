"""Clustering settings read from a dbt model's ``config.meta``.

Analysts change behaviour in YAML; this module turns that mapping into a
validated, immutable :class:`ClusterSettings`.  Each key's rule is in
:data:`RULES` (defaults from the dataclass); values set through dbt vars often
arrive as strings (``"8"``, ``"0.01"``) and are coerced
(:mod:`cluster_marts.config.coerce`).  Categorical columns are one-hot encoded
at run time (:mod:`cluster_marts.preprocessing.encoding`); which columns may
be categorical is checked here, with the other settings.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from cluster_marts.config.algorithm_params import ALIAS_PAIRS, PARAMETERS
from cluster_marts.config.common import (
    DEFAULT_STABILITY_RESAMPLES,
    FEATURES,
    ID_COLUMN,
    IGNORED_META_KEYS,
    K_MAX,
    K_MIN,
    RANDOM_STATE,
    SCALING,
    SCALINGS,
    SILHOUETTE_SAMPLE_SIZE,
)
from cluster_marts.config.rules import CHOICE, FLOAT, INT, LIST, STR, Context, Rule
from cluster_marts.config.schema import bind, parse_mapping

__all__ = [
    "ClusterSettings",
    "settings_from_meta",
    "SCALINGS",
    "ALGORITHM_NAMES",
    "SELECTION_RULES",
    "IGNORED_META_KEYS",
    "RULES",
]

ALGORITHM_NAMES = ("agglomerative", "gmm", "kmeans")
SELECTION_RULES = (
    "calinski_harabasz", "davies_bouldin", "elbow", "fixed", "gap", "silhouette", "stability", "vote",
)
_GAP_RULES = ("gap", "vote")


@dataclass(frozen=True)
class ClusterSettings:
    """Validated settings of one clustering run.

    Build it with :func:`settings_from_meta`, which checks every value; the
    constructor itself only stores them.

    Parameters
    ----------
    id_column : str
        Column holding the entity id (unique, non-null).
    features : tuple of str
        Numeric feature columns, in the order used for scaling and centres.
        In the effective settings of a run (``Prepared.settings``) the
        one-hot columns of ``categorical_features`` are appended.
    scaling : {"standard", "minmax", "robust", "none"}, default="standard"
    clip_quantile : float in [0, 0.5), default=0.0
        Before scaling, clip (winsorise) every feature to its
        ``[clip_quantile, 1 - clip_quantile]`` quantiles, so a few extreme
        rows can neither stretch a feature's scale nor form a cluster of
        their own; 0 does not clip.  The bounds are fit artifacts (scaler
        parameters).  Choose it at most ``min_cluster_share``: rows in a
        feature's tail smaller than that share are pulled in rather than
        split off into a cluster that share would rule out.
    algorithm : {"kmeans", "gmm", "agglomerative"}, default="kmeans"
        ``hierarchical`` (agglomerative) and ``gaussian_mixture`` (gmm) are
        accepted aliases, stored as the canonical name
        (:data:`~cluster_marts.config.algorithm_params.ALGORITHM_ALIASES`).
    k_min, k_max : int, default=2, 8
        Inclusive k grid; ``k_max`` is capped at ``n_samples - 1`` at run time.
    selection_rule : str, default="silhouette"
        One of silhouette, elbow, calinski_harabasz, davies_bouldin, gap,
        vote, stability, fixed.  ``gap`` and ``vote`` need
        ``gap_references >= 1``; ``stability`` picks the most stable eligible
        k (ties to the smaller k).
    n_clusters : int or None, default=None
        The k to use; required when ``selection_rule == "fixed"``.
    random_state : int, default=42
    n_init : int, default=10
    silhouette_sample_size : int, default=2000
        Silhouette is computed on a seeded sample of this many rows when the
        data has more rows.
    fit_sample_size : int, default=20000
        The k grid and the fit at the chosen k run on a seeded sample of this
        many rows, stratified by outlyingness
        (:func:`~cluster_marts.preprocessing.sampling.fit_sample`); every row
        is then assigned with ``predict``.  Tables with at most this many rows
        are fitted on every row.
    canonical_order : str or None, default=None
        Feature whose (scaled) centroid orders cluster ids; ``None`` means
        the first feature kept by preprocessing.
    gap_references : int, default=0
        Number B of uniform reference sets of the gap statistic; 0 skips the
        gap (its columns are NaN).
    stability_resamples : int or None, default=None
        Bootstrap refits of the ``stability`` column of the k grid (mean ARI
        of refits on seeded resamples,
        :func:`~cluster_marts.selection.stability.bootstrap_stability`).
        ``None``: 10 with ``selection_rule: stability``, else not computed
        (the column is null); 0 never computes it; ``n >= 1`` computes it
        with ``n`` resamples whatever the rule.
    min_cluster_share : float in [0, 0.5), default=0.0
        A k is eligible only when its smallest cluster holds at least this
        share of the rows; every rule chooses among eligible k.
    min_variance : float >= 0, default=0.0
        Features whose raw (unscaled) variance, ``ddof=0``, is below this are
        dropped before clustering.
    pca_components : int or None, default=None
        Cluster on this many principal components of the scaled, kept
        features; ``None`` clusters on the features themselves.
    categorical_features : tuple of str, default=()
        Columns one-hot encoded into float 0/1 features ``"<column>=<value>"``
        (:mod:`cluster_marts.preprocessing.encoding`); empty changes nothing.
    max_categories : int >= 1, default=50
        Most distinct values a categorical column may have.
    """

    id_column: str
    features: tuple[str, ...]
    scaling: str = "standard"
    clip_quantile: float = 0.0
    algorithm: str = "kmeans"
    k_min: int = 2
    k_max: int = 8
    selection_rule: str = "silhouette"
    n_clusters: int | None = None
    random_state: int = 42
    n_init: int = 10
    silhouette_sample_size: int = 2000
    fit_sample_size: int = 20_000
    canonical_order: str | None = None
    gap_references: int = 0
    stability_resamples: int | None = None
    min_cluster_share: float = 0.0
    min_variance: float = 0.0
    pca_components: int | None = None
    categorical_features: tuple[str, ...] = ()
    max_categories: int = 50

    @property
    def order_feature(self) -> str:
        """Feature that orders cluster ids (``canonical_order`` or the first feature).

        Preprocessing may drop the first feature; :mod:`cluster_marts.adapters.fitting`
        then falls back to the first kept one.
        """
        return self.canonical_order or self.features[0]

    @property
    def resamples(self) -> int:
        """Bootstrap refits of the k grid's ``stability`` (0: not computed); see ``stability_resamples``."""
        if self.stability_resamples is not None:
            return self.stability_resamples
        return DEFAULT_STABILITY_RESAMPLES if self.selection_rule == "stability" else 0


RULES = bind(
    ClusterSettings,
    ID_COLUMN, FEATURES, SCALING, Rule("clip_quantile", FLOAT, low=0.0, high=0.5, open_high=True),
    Rule("algorithm", CHOICE, allowed=ALGORITHM_NAMES, aliases=ALIAS_PAIRS), K_MIN, K_MAX,
    Rule("selection_rule", CHOICE, allowed=SELECTION_RULES), Rule("n_clusters", INT, nullable=True),
    RANDOM_STATE, PARAMETERS["n_init"], SILHOUETTE_SAMPLE_SIZE, Rule("fit_sample_size", INT, low=100),
    Rule("canonical_order", STR, nullable=True),
    Rule("gap_references", INT, low=0), Rule("stability_resamples", INT, low=0, high=1000, nullable=True),
    Rule("min_cluster_share", FLOAT, low=0.0, high=0.5, open_high=True),
    Rule("min_variance", FLOAT, low=0.0), Rule("pca_components", INT, low=1, nullable=True),
    Rule("categorical_features", LIST, allow_empty=True), Rule("max_categories", INT, low=1),
)


def _check_fixed(s: ClusterSettings, ctx: Context, model: str) -> None:
    if s.selection_rule == "fixed":
        if s.n_clusters is None:
            raise ctx.error("n_clusters", None, "is required when selection_rule='fixed'")
        if not s.k_min <= s.n_clusters <= s.k_max:
            raise ctx.error("n_clusters", s.n_clusters, f"must lie in the k grid k_min={s.k_min}..k_max={s.k_max}")
    elif s.n_clusters is not None:
        warnings.warn(
            f"model {model}: setting 'n_clusters' is ignored because "
            f"selection_rule={s.selection_rule!r}; set selection_rule: fixed to use it", RuntimeWarning, stacklevel=4,
        )


def _check_categorical(s: ClusterSettings, ctx: Context) -> None:
    """Reject a categorical column that is also a numeric feature or the id column."""
    categorical = list(s.categorical_features)
    both = [c for c in categorical if c in s.features]
    if both:
        raise ctx.error(
            "categorical_features", categorical,
            f"repeats {', '.join(map(repr, both))} from features; list each column once: in features when it "
            "is numeric, in categorical_features to one-hot encode it",
        )
    if s.id_column in categorical:
        raise ctx.error("categorical_features", categorical, f"must not contain the id column {s.id_column!r}")


def _check_consistency(s: ClusterSettings, model: str) -> None:
    """Cross-field checks (k range, fixed rule, gap rules, PCA size, id/categorical/canonical columns)."""
    ctx = Context.for_model(model)
    if s.k_max < s.k_min:
        raise ctx.error("k_max", s.k_max, f"must be >= k_min={s.k_min}")
    _check_fixed(s, ctx, model)
    if s.selection_rule in _GAP_RULES and s.gap_references < 1:
        raise ctx.error(
            "gap_references", s.gap_references,
            f"is too low: selection_rule {s.selection_rule!r} needs gap_references >= 1; set gap_references: 10 "
            "or choose another selection_rule",
        )
    if s.selection_rule == "stability" and s.resamples < 1:
        raise ctx.error(
            "stability_resamples", s.stability_resamples,
            "is too low: selection_rule 'stability' needs stability_resamples >= 1; set it to 10 (or leave it unset) "
            "or choose another selection_rule",
        )
    # one-hot columns are only known at run time, where preprocessing checks pca_components again
    if s.pca_components is not None and not s.categorical_features and s.pca_components > len(s.features):
        raise ctx.error(
            "pca_components", s.pca_components,
            f"exceeds the {len(s.features)} configured feature(s); lower it or set it to null",
        )
    if s.id_column in s.features:
        raise ctx.error("features", list(s.features), f"must not contain the id column {s.id_column!r}")
    _check_categorical(s, ctx)
    if s.canonical_order is not None and s.canonical_order not in s.features:
        raise ctx.error("canonical_order", s.canonical_order, "must be one of the features", ", ".join(s.features))


def settings_from_meta(
    meta: Mapping[str, Any] | None,
    *,
    model: str,
    extra_keys: Collection[str] = (),
) -> ClusterSettings:
    """Validate a model's ``config.meta`` and build :class:`ClusterSettings`.

    Parameters
    ----------
    meta : mapping or None
        The ``config: meta:`` block of the dbt model (``dbt.config.get("meta")``).
    model : str
        Name of the dbt model, used in every error message.
    extra_keys : collection of str, default=()
        Further keys a domain adapter reads itself; they are allowed and
        ignored here (``description`` and ``owner`` always are).

    Returns
    -------
    ClusterSettings

    Raises
    ------
    SettingsError
        Unknown key, missing ``id_column``/``features``, value of the wrong
        type, value outside its allowed set or range (see :data:`RULES`),
        inconsistent settings.

    Examples
    --------
    >>> s = settings_from_meta({"id_column": "id", "features": ["x", "y"], "k_max": "5"}, model="m")
    >>> s.k_max, s.features
    (5, ('x', 'y'))
    """
    ignored = (*IGNORED_META_KEYS, *extra_keys)
    settings = ClusterSettings(**parse_mapping(meta, RULES, Context.for_model(model), ignored=ignored))
    _check_consistency(settings, model)
    return settings
