"""Clustering settings read from a dbt model's ``config.meta``.

Analysts change behaviour in YAML; this module turns that mapping into a
validated, immutable :class:`ClusterSettings`.  Values set through dbt vars
often arrive as strings (``"8"``, ``"0.01"``), so integers and floats are
coerced (see :mod:`cluster_marts.config.coerce`).  Categorical columns are one-hot
encoded at run time (:mod:`cluster_marts.preprocessing.encoding`).
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields
from typing import Any

from cluster_marts.config.coerce import FIX, as_choice, as_features, as_float_in, as_int, bad_setting, is_unset
from cluster_marts.preprocessing.encoding import check_categorical_settings
from cluster_marts.errors import SettingsError

__all__ = [
    "ClusterSettings",
    "settings_from_meta",
    "SCALINGS",
    "ALGORITHM_NAMES",
    "SELECTION_RULES",
    "IGNORED_META_KEYS",
]

SCALINGS = ("minmax", "none", "robust", "standard")
ALGORITHM_NAMES = ("agglomerative", "gmm", "kmeans")
SELECTION_RULES = (
    "calinski_harabasz", "davies_bouldin", "elbow", "fixed", "gap", "silhouette", "vote",
)
IGNORED_META_KEYS = ("description", "owner")
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
    algorithm : {"kmeans", "gmm", "agglomerative"}, default="kmeans"
    k_min, k_max : int, default=2, 8
        Inclusive k grid; ``k_max`` is capped at ``n_samples - 1`` at run time.
    selection_rule : {"silhouette", "elbow", "calinski_harabasz", "davies_bouldin", "gap", "vote", "fixed"}
        ``gap`` and ``vote`` need ``gap_references >= 1``.
    n_clusters : int or None, default=None
        The k to use; required when ``selection_rule == "fixed"``.
    random_state : int, default=42
    n_init : int, default=10
    silhouette_sample_size : int, default=2000
        Silhouette is computed on a seeded sample of this many rows when the
        data has more rows.
    canonical_order : str or None, default=None
        Feature whose (scaled) centroid orders cluster ids; ``None`` means
        the first feature kept by preprocessing.
    gap_references : int, default=0
        Number B of uniform reference sets of the gap statistic; 0 skips the
        gap (its columns are NaN).
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
    algorithm: str = "kmeans"
    k_min: int = 2
    k_max: int = 8
    selection_rule: str = "silhouette"
    n_clusters: int | None = None
    random_state: int = 42
    n_init: int = 10
    silhouette_sample_size: int = 2000
    canonical_order: str | None = None
    gap_references: int = 0
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


_INT_MIN = {
    "k_min": 2, "k_max": 2, "random_state": 0, "n_init": 1, "silhouette_sample_size": 10, "gap_references": 0,
    "max_categories": 1,
}
_OPTIONAL_INT_MIN = {"n_clusters": None, "pca_components": 1}
# key -> (low, high, high is inclusive)
_FLOAT_RANGE = {"min_cluster_share": (0.0, 0.5, False), "min_variance": (0.0, float("inf"), True)}
_CHOICES = {"scaling": SCALINGS, "algorithm": ALGORITHM_NAMES, "selection_rule": SELECTION_RULES}


def _coerce_one(key: str, value: Any, model: str) -> Any:
    """Coerce one present key to its type and check its own range."""
    if key in ("features", "categorical_features"):
        return as_features(value, model, key=key, allow_empty=key == "categorical_features")
    if key in _CHOICES:
        return as_choice(value, key, _CHOICES[key], model)
    if key in _INT_MIN:
        number = as_int(value, key, model)
        if number < _INT_MIN[key]:
            raise bad_setting(model, key, value, f"must be >= {_INT_MIN[key]};")
        return number
    if key in _OPTIONAL_INT_MIN:
        if is_unset(value):
            return None
        number, low = as_int(value, key, model), _OPTIONAL_INT_MIN[key]
        if low is not None and number < low:
            raise bad_setting(model, key, value, f"must be >= {low} (or null to switch it off);")
        return number
    if key in _FLOAT_RANGE:
        return as_float_in(value, key, model, *_FLOAT_RANGE[key])
    if key == "canonical_order":
        return None if is_unset(value) else str(value).strip()
    # id_column
    if is_unset(value):
        raise bad_setting(model, key, value, "must name the entity id column;")
    return str(value).strip()


def _check_fixed(s: ClusterSettings, model: str) -> None:
    if s.selection_rule == "fixed":
        if s.n_clusters is None:
            raise bad_setting(model, "n_clusters", None, "is required when selection_rule='fixed';")
        if not s.k_min <= s.n_clusters <= s.k_max:
            raise bad_setting(
                model, "n_clusters", s.n_clusters, f"must lie in the k grid k_min={s.k_min}..k_max={s.k_max};"
            )
    elif s.n_clusters is not None:
        warnings.warn(
            f"model {model}: setting 'n_clusters' is ignored because "
            f"selection_rule={s.selection_rule!r}; set selection_rule: fixed to use it", RuntimeWarning, stacklevel=4,
        )


def _check_consistency(s: ClusterSettings, model: str) -> None:
    """Cross-field checks (k range, fixed rule, gap rules, PCA size, id/categorical/canonical columns)."""
    if s.k_max < s.k_min:
        raise bad_setting(model, "k_max", s.k_max, f"must be >= k_min={s.k_min};")
    _check_fixed(s, model)
    if s.selection_rule in _GAP_RULES and s.gap_references < 1:
        raise SettingsError(
            f"model {model}: selection_rule {s.selection_rule!r} needs gap_references >= 1 "
            f"(got {s.gap_references}); set gap_references: 10 or choose another selection_rule {FIX}"
        )
    # one-hot columns are only known at run time, where preprocessing checks pca_components again
    if s.pca_components is not None and not s.categorical_features and s.pca_components > len(s.features):
        raise bad_setting(
            model, "pca_components", s.pca_components,
            f"exceeds the {len(s.features)} configured feature(s); lower it or set it to null;",
        )
    if s.id_column in s.features:
        raise bad_setting(model, "features", list(s.features), f"must not contain the id column {s.id_column!r};")
    check_categorical_settings(s.features, s.categorical_features, s.id_column, model)
    if s.canonical_order is not None and s.canonical_order not in s.features:
        raise bad_setting(
            model, "canonical_order", s.canonical_order, f"must be one of the features: {', '.join(s.features)};"
        )


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
        type, value outside its allowed set or range, inconsistent settings.

    Examples
    --------
    >>> s = settings_from_meta({"id_column": "id", "features": ["x", "y"], "k_max": "5"}, model="m")
    >>> s.k_max, s.features
    (5, ('x', 'y'))
    """
    raw = dict(meta or {})
    allowed = {f.name for f in fields(ClusterSettings)} | set(IGNORED_META_KEYS) | set(extra_keys)
    unknown = sorted(str(key) for key in raw if key not in allowed)
    if unknown:
        raise SettingsError(
            f"model {model}: unknown config.meta key(s) {', '.join(unknown)}; "
            f"allowed keys are: {', '.join(sorted(allowed))} {FIX}"
        )
    for key in [*extra_keys, *IGNORED_META_KEYS]:
        raw.pop(key, None)
    missing = [key for key in ("id_column", "features") if key not in raw]
    if missing:
        raise SettingsError(
            f"model {model}: required setting(s) {', '.join(missing)} missing from config.meta; "
            f"add e.g. id_column: customer_id and features: [recency, frequency] {FIX}"
        )
    settings = ClusterSettings(**{key: _coerce_one(key, value, model) for key, value in raw.items()})
    _check_consistency(settings, model)
    return settings
