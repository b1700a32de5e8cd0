"""Clustering settings read from a dbt model's ``config.meta``.

Analysts change behaviour in YAML; this module turns that mapping into a
validated, immutable :class:`ClusterSettings`.  Values set through dbt vars
often arrive as strings (``"8"``), so integers are coerced.
"""

from __future__ import annotations

import warnings
from collections.abc import Collection, Mapping
from dataclasses import dataclass, fields
from typing import Any

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
SELECTION_RULES = ("calinski_harabasz", "davies_bouldin", "elbow", "fixed", "silhouette")
IGNORED_META_KEYS = ("description", "owner")
_FIX = "(edit config.meta in the model's YAML)"


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
    scaling : {"standard", "minmax", "robust", "none"}, default="standard"
    algorithm : {"kmeans", "gmm", "agglomerative"}, default="kmeans"
    k_min, k_max : int, default=2, 8
        Inclusive k grid; ``k_max`` is capped at ``n_samples - 1`` at run time.
    selection_rule : {"silhouette", "elbow", "calinski_harabasz", "davies_bouldin", "fixed"}
    n_clusters : int or None, default=None
        The k to use; required when ``selection_rule == "fixed"``.
    random_state : int, default=42
    n_init : int, default=10
    silhouette_sample_size : int, default=2000
        Silhouette is computed on a seeded sample of this many rows when the
        data has more rows.
    canonical_order : str or None, default=None
        Feature whose (scaled) centroid orders cluster ids; ``None`` means
        the first feature.
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

    @property
    def order_feature(self) -> str:
        """Feature that orders cluster ids (``canonical_order`` or the first feature)."""
        return self.canonical_order or self.features[0]


_INT_MIN = {"k_min": 2, "k_max": 2, "random_state": 0, "n_init": 1, "silhouette_sample_size": 10}
_CHOICES = {"scaling": SCALINGS, "algorithm": ALGORITHM_NAMES, "selection_rule": SELECTION_RULES}


def _bad(model: str, key: str, value: Any, why: str) -> SettingsError:
    return SettingsError(f"model {model}: setting {key!r}={value!r} {why} {_FIX}")


def _as_int(value: Any, key: str, model: str) -> int:
    """Coerce ``8``, ``"8"``, ``8.0`` to ``8``; reject bools and non-integers."""
    if isinstance(value, bool):
        raise _bad(model, key, value, "must be an integer, not a boolean;")
    if isinstance(value, str):
        value = value.strip()
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _bad(model, key, value, "must be an integer;") from None
    if not number.is_integer():
        raise _bad(model, key, value, "must be a whole number;")
    return int(number)


def _as_features(value: Any, model: str) -> tuple[str, ...]:
    """Accept a YAML list or a comma-separated string (as set through a dbt var)."""
    if isinstance(value, str):
        items = [part.strip() for part in value.split(",")]
    elif isinstance(value, (list, tuple)):
        items = [str(part).strip() for part in value]
    else:
        raise _bad(model, "features", value, "must be a list of column names;")
    items = [item for item in items if item]
    if not items:
        raise _bad(model, "features", value, "must name at least one column;")
    duplicated = sorted({item for item in items if items.count(item) > 1})
    if duplicated:
        raise _bad(model, "features", value, f"lists {', '.join(duplicated)} twice;")
    return tuple(items)


def _as_choice(value: Any, key: str, model: str) -> str:
    text = str(value).strip().lower()
    if text not in _CHOICES[key]:
        raise SettingsError(
            f"model {model}: setting {key!r}={value!r} is not allowed; "
            f"use one of: {', '.join(_CHOICES[key])} {_FIX}"
        )
    return text


def _is_unset(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in ("", "none", "null"))


def _coerce(raw: Mapping[str, Any], model: str) -> dict[str, Any]:
    """Coerce each present key to its type; missing keys keep their defaults."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in IGNORED_META_KEYS:
            continue
        if key == "features":
            out[key] = _as_features(value, model)
        elif key in _CHOICES:
            out[key] = _as_choice(value, key, model)
        elif key in _INT_MIN:
            out[key] = _as_int(value, key, model)
            if out[key] < _INT_MIN[key]:
                raise _bad(model, key, value, f"must be >= {_INT_MIN[key]};")
        elif key == "n_clusters":
            out[key] = None if _is_unset(value) else _as_int(value, key, model)
        elif key == "canonical_order":
            out[key] = None if _is_unset(value) else str(value).strip()
        else:  # id_column
            if _is_unset(value):
                raise _bad(model, key, value, "must name the entity id column;")
            out[key] = str(value).strip()
    return out


def _check_consistency(s: ClusterSettings, model: str) -> None:
    """Cross-field checks (k range, fixed rule, canonical feature)."""
    if s.k_max < s.k_min:
        raise _bad(model, "k_max", s.k_max, f"must be >= k_min={s.k_min};")
    if s.selection_rule == "fixed":
        if s.n_clusters is None:
            raise _bad(model, "n_clusters", None, "is required when selection_rule='fixed';")
        if not s.k_min <= s.n_clusters <= s.k_max:
            raise _bad(
                model, "n_clusters", s.n_clusters,
                f"must lie in the k grid k_min={s.k_min}..k_max={s.k_max};",
            )
    elif s.n_clusters is not None:
        warnings.warn(
            f"model {model}: setting 'n_clusters' is ignored because "
            f"selection_rule={s.selection_rule!r}; set selection_rule: fixed to use it",
            RuntimeWarning,
            stacklevel=3,
        )
    if s.id_column in s.features:
        raise _bad(model, "features", list(s.features), f"must not contain the id column {s.id_column!r};")
    if s.canonical_order is not None and s.canonical_order not in s.features:
        raise _bad(
            model, "canonical_order", s.canonical_order,
            f"must be one of the features: {', '.join(s.features)};",
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
        type, value outside its allowed set or range, inconsistent k range.

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
            f"allowed keys are: {', '.join(sorted(allowed))} {_FIX}"
        )
    for key in extra_keys:
        raw.pop(key, None)
    missing = [key for key in ("id_column", "features") if key not in raw]
    if missing:
        raise SettingsError(
            f"model {model}: required setting(s) {', '.join(missing)} missing from config.meta; "
            f"add e.g. id_column: customer_id and features: [recency, frequency] {_FIX}"
        )
    settings = ClusterSettings(**_coerce(raw, model))
    _check_consistency(settings, model)
    return settings
