"""Settings of the customer segmentation, read from a dbt model's ``config.meta``.

Example (the defaults, except ``id_column`` and ``axes`` which are required)::

    id_column: customer_id
    axes:                      # axis name -> numeric feature columns (>= 1)
      engagement: [log_frequency, log_monetary, orders_per_month]
      returns: [return_rate]
    methods: [fcm, gmm, neural]
    scaling: standard          # standard | minmax | robust | none (cluster_marts.preprocessing.scaling)
    k_min: 2
    k_max: 8                   # capped at n_samples - 1 at run time
    selection_rule: balanced   # balanced (argmax combined score) | silhouette
    balance_weights: {silhouette: 0.4, balance: 0.6}   # normalised; a missing key weighs 0
    fcm: {m: 2.0, max_iter: 150, tol: 1.0e-5, n_init: 3}
    gmm: {covariance_type: full, max_iter: 200, n_init: 2}
    neural: {encoding_dim: 3, hidden_units: 16, epochs: 200, batch_size: 64}
    subdivision: {max_variance: 2.0, max_share: 0.6, min_size: 100, max_depth: 3, k_max: 4}
    random_state: 42
    silhouette_sample_size: 2000
    high_confidence: 0.9       # GMM: max probability >= this counts as high confidence
    low_confidence: 0.6        # GMM: max probability < this counts as low confidence

Values set through dbt vars may arrive as strings and are coerced; mapping
settings may arrive as JSON strings.  ``description`` and ``owner`` are
allowed and ignored.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cluster_marts.config.coerce import FIX, as_choice, as_features, as_float_in, as_int, bad_setting, is_unset
from cluster_marts.errors import SettingsError
from cluster_marts.algorithms.methods import METHOD_NAMES
from cluster_marts.config.segmentation_params import (
    FcmParams, GmmParams, NeuralParams, SubdivisionParams, as_mapping, parse_balance_weights, parse_block,
)
from cluster_marts.config.cluster import SCALINGS

__all__ = ["SegmentationSettings", "segmentation_settings_from_meta", "settings_json", "SELECTION_RULES"]

SELECTION_RULES = ("balanced", "silhouette")
_IGNORED = ("description", "owner")


@dataclass(frozen=True)
class SegmentationSettings:
    """Validated segmentation settings; build with :func:`segmentation_settings_from_meta`.

    Attributes
    ----------
    id_column : str
    axes : tuple of (str, tuple of str)
        Axis name and its feature columns, in configuration order.
    methods : tuple of str
        Registered methods (:data:`~cluster_marts.algorithms.methods.METHOD_NAMES`).
    balance_weights : tuple of float
        ``(w_silhouette, w_balance)``, normalised to sum to 1.
    Other attributes are documented in the module docstring.
    """

    id_column: str
    axes: tuple[tuple[str, tuple[str, ...]], ...]
    methods: tuple[str, ...] = ("fcm", "gmm", "neural")
    scaling: str = "standard"
    k_min: int = 2
    k_max: int = 8
    selection_rule: str = "balanced"
    balance_weights: tuple[float, float] = (0.4, 0.6)
    fcm: FcmParams = field(default_factory=FcmParams)
    gmm: GmmParams = field(default_factory=GmmParams)
    neural: NeuralParams = field(default_factory=NeuralParams)
    subdivision: SubdivisionParams = field(default_factory=SubdivisionParams)
    random_state: int = 42
    silhouette_sample_size: int = 2000
    high_confidence: float = 0.9
    low_confidence: float = 0.6

    def features_of(self, axis: str) -> tuple[str, ...]:
        """Feature columns of ``axis``."""
        return dict(self.axes)[axis]

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready dict (axes and balance weights as mappings)."""
        out = dataclasses.asdict(self)
        out["axes"] = {name: list(cols) for name, cols in self.axes}
        out["methods"] = list(self.methods)
        out["balance_weights"] = {"silhouette": self.balance_weights[0], "balance": self.balance_weights[1]}
        return out


def settings_json(settings: SegmentationSettings) -> str:
    """Every validated setting as JSON (``sort_keys=True``)."""
    return json.dumps(settings.as_dict(), sort_keys=True)


def _axes(value: Any, id_column: str, model: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    raw = as_mapping(value, "axes", model)
    if not raw:
        raise bad_setting(model, "axes", value, "must map at least one axis name to its feature columns;")
    out = []
    for name, cols in raw.items():
        if not name:
            raise bad_setting(model, "axes", value, "has an empty axis name;")
        if is_unset(cols) or (isinstance(cols, (list, tuple)) and not cols):
            raise bad_setting(model, f"axes.{name}", cols, "has no features; list at least one numeric column;")
        features = as_features(cols, model, key=f"axes.{name}")
        if id_column in features:
            raise bad_setting(model, f"axes.{name}", list(features), f"must not contain the id column {id_column!r};")
        out.append((name, features))
    return tuple(out)


def _methods(value: Any, model: str) -> tuple[str, ...]:
    names = as_features(value, model, key="methods")
    for name in names:
        as_choice(name, "methods", METHOD_NAMES, model)
    return tuple(name.strip().lower() for name in names)


_INT_MIN = {"k_min": 2, "k_max": 2, "random_state": 0, "silhouette_sample_size": 10}


def _coerce(key: str, value: Any, id_column: str, model: str) -> Any:
    if key == "axes":
        return _axes(value, id_column, model)
    if key == "methods":
        return _methods(value, model)
    if key in ("fcm", "gmm", "neural", "subdivision"):
        return parse_block(key, value, model)
    if key == "balance_weights":
        return parse_balance_weights(value, model)
    if key == "scaling":
        return as_choice(value, key, SCALINGS, model)
    if key == "selection_rule":
        return as_choice(value, key, SELECTION_RULES, model)
    if key in ("high_confidence", "low_confidence"):
        number = as_float_in(value, key, model, 0.0, 1.0, True)
        if number == 0.0:
            raise bad_setting(model, key, value, "must be > 0 and <= 1;")
        return number
    number = as_int(value, key, model)
    if number < _INT_MIN[key]:
        raise bad_setting(model, key, value, f"must be >= {_INT_MIN[key]};")
    return number


def segmentation_settings_from_meta(meta: Mapping[str, Any] | None, *, model: str) -> SegmentationSettings:
    """Validate a segmentation model's ``config.meta``.

    Parameters
    ----------
    meta : mapping or None
        The ``config: meta:`` block (``dbt.config.get("meta")``).
    model : str
        dbt model name, used in every error message.

    Returns
    -------
    SegmentationSettings

    Raises
    ------
    SettingsError
        Unknown key (lists the allowed keys), missing ``id_column``/``axes``,
        an axis without features, an unregistered method, a value of the
        wrong type or out of range, ``k_max < k_min``, ``low_confidence >
        high_confidence``.

    Examples
    --------
    >>> s = segmentation_settings_from_meta({"id_column": "id", "axes": {"a": ["x"]}, "k_max": "4"}, model="m")
    >>> s.axes, s.k_max, s.balance_weights
    ((('a', ('x',)),), 4, (0.4, 0.6))
    """
    raw = dict(meta or {})
    allowed = sorted({f.name for f in dataclasses.fields(SegmentationSettings)} | set(_IGNORED))
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        raise SettingsError(
            f"model {model}: unknown config.meta key(s) {', '.join(unknown)}; "
            f"allowed keys are: {', '.join(allowed)} {FIX}"
        )
    for key in _IGNORED:
        raw.pop(key, None)
    missing = [key for key in ("id_column", "axes") if key not in raw or is_unset(raw[key])]
    if missing:
        raise SettingsError(
            f"model {model}: required setting(s) {', '.join(missing)} missing from config.meta; add e.g. "
            f"id_column: customer_id and axes: {{engagement: [log_frequency, log_monetary]}} {FIX}"
        )
    id_column = str(raw.pop("id_column")).strip()
    values = {key: _coerce(key, value, id_column, model) for key, value in raw.items()}
    s = SegmentationSettings(id_column=id_column, **values)
    if s.k_max < s.k_min:
        raise bad_setting(model, "k_max", s.k_max, f"must be >= k_min={s.k_min};")
    if s.low_confidence > s.high_confidence:
        raise bad_setting(model, "low_confidence", s.low_confidence, f"must be <= high_confidence={s.high_confidence};")
    return s
