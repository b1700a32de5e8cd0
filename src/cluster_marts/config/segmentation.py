"""Settings of the customer segmentation, read from a dbt model's ``config.meta``.

Example (the defaults, except ``id_column`` and ``axes`` which are required)::

    id_column: customer_id
    axes:                      # axis name -> numeric feature columns or glob patterns (>= 1)
      engagement: [log_frequency, log_monetary, orders_per_month]
      category_mix: ["share_*"]
      returns: [return_rate]
      repeat_engagement:       # or a mapping: the features and the axis's options (cluster_marts.config.axes)
        features: [log_frequency, log_monetary, orders_per_month]
        population: "frequency >= 2"
        selection_rule: silhouette
    methods: [fcm, gmm]
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
    fit_sample_size: 5000      # k grid and fits on a seeded stratified sample of this many rows; every row is scored
    n_jobs: 2                  # processes fitting axes in parallel on large tables (1: sequential)
    high_confidence: 0.9       # GMM: max probability >= this counts as high confidence
    low_confidence: 0.6        # GMM: max probability < this counts as low confidence
    store_fits: pooled         # several shops (a store_id column): pooled (one fit) | per_store (fits_per_store)

An axis entry containing ``*``, ``?`` or ``[`` is a glob pattern
(:mod:`fnmatch`, case-sensitive), expanded at fit time against the columns of
the features table, in the table's column order (:func:`expand_axes`; the id
column never matches); the expanded list is what the run ids, ``settings_json``
and the fit metrics record.  An axis's ``population`` and ``selection_rule``
are :mod:`cluster_marts.config.axes`; :meth:`SegmentationSettings.for_axis`
gives the settings one axis is fitted with.

Values set through dbt vars may arrive as strings and are coerced; mapping
settings may arrive as JSON strings.  ``description`` and ``owner`` are
allowed and ignored.  Each key's rule is in :data:`RULES`; the method blocks
are checked against the one algorithm parameter table
(:data:`~cluster_marts.config.algorithm_params.METHOD_RULES`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cluster_marts.config.algorithm_params import METHOD_NAMES
from cluster_marts.config.axes import SELECTION_RULES, AxisOptions, expand_axis, is_pattern, split_axes
from cluster_marts.config.common import (
    ID_COLUMN,
    IGNORED_META_KEYS,
    K_MAX,
    K_MIN,
    RANDOM_STATE,
    SCALING,
    SILHOUETTE_SAMPLE_SIZE,
)
from cluster_marts.config.rules import CHOICE, FLOAT, INT, LIST, MAPPING, Context, Rule
from cluster_marts.config.schema import bind, pairs, parse_mapping
from cluster_marts.config.segmentation_params import (
    BALANCE_WEIGHTS,
    BLOCK_RULES,
    FcmParams,
    GmmParams,
    NeuralParams,
    SubdivisionParams,
)

__all__ = [
    "SegmentationSettings", "segmentation_settings_from_meta", "settings_json", "expand_axes", "expand_axis",
    "is_pattern", "fits_per_store",
    "SELECTION_RULES", "RULES", "STORE_FITS", "STORE_COLUMN", "STORE_SEPARATOR",
]

#: ``store_fits``: one fit of every shop's customers, or one fit per shop and axis
STORE_FITS = ("pooled", "per_store")
#: the features' column naming a customer's shop
STORE_COLUMN = "store_id"
#: between an axis and its store in the name of a per-store axis (``engagement@north``)
STORE_SEPARATOR = "@"


@dataclass(frozen=True)
class SegmentationSettings:
    """Validated segmentation settings; build with :func:`segmentation_settings_from_meta`.

    Attributes
    ----------
    id_column : str
    axes : tuple of (str, tuple of str)
        Axis name and its feature columns, in configuration order.
    methods : tuple of str
        Registered methods (:data:`~cluster_marts.config.algorithm_params.METHOD_NAMES`).
    balance_weights : tuple of float
        ``(w_silhouette, w_balance)``, normalised to sum to 1.
    axis_options : tuple of (str, AxisOptions)
        The options of the axes given as a mapping (population, selection rule), in configuration order.
    Other attributes are documented in the module docstring.
    """

    id_column: str
    axes: tuple[tuple[str, tuple[str, ...]], ...]
    methods: tuple[str, ...] = ("fcm", "gmm")
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
    fit_sample_size: int = 5000
    n_jobs: int = 2
    high_confidence: float = 0.9
    low_confidence: float = 0.6
    store_fits: str = "pooled"
    axis_options: tuple[tuple[str, AxisOptions], ...] = ()

    def features_of(self, axis: str) -> tuple[str, ...]:
        """Feature columns of ``axis``."""
        return dict(self.axes)[axis]

    def options_of(self, axis: str) -> AxisOptions:
        """The options of ``axis`` (none set for an axis given as a list)."""
        return dict(self.axis_options).get(axis, AxisOptions())

    def population_of(self, axis: str) -> str | None:
        """The SQL expression choosing the rows of ``axis``, or None for every row."""
        return self.options_of(axis).population

    def for_axis(self, axis: str) -> SegmentationSettings:
        """The settings ``axis`` is fitted with: the model's, with the axis's own ``selection_rule`` if set."""
        rule = self.options_of(axis).selection_rule
        return self if rule is None or rule == self.selection_rule else dataclasses.replace(self, selection_rule=rule)

    def as_dict(self) -> dict[str, Any]:
        """Plain, JSON-ready dict (axes and balance weights as mappings)."""
        out = dataclasses.asdict(self)
        out["axes"] = {name: list(cols) for name, cols in self.axes}
        out["axis_options"] = {name: dataclasses.asdict(option) for name, option in self.axis_options}
        out["methods"] = list(self.methods)
        out["balance_weights"] = {"silhouette": self.balance_weights[0], "balance": self.balance_weights[1]}
        return out


def settings_json(settings: SegmentationSettings) -> str:
    """Every validated setting as JSON (``sort_keys=True``)."""
    return json.dumps(settings.as_dict(), sort_keys=True)


RULES = bind(
    SegmentationSettings,
    ID_COLUMN,
    Rule("axes", MAPPING, into=pairs,
         values=Rule("axis", LIST, doc="a non-empty list of numeric column names or glob patterns (share_*)"),
         doc="a non-empty mapping of axis name -> feature columns, e.g. {engagement: [log_frequency, log_monetary]}, "
             "or -> {features: [...], population: <SQL>, selection_rule: <rule>}"),
    Rule("methods", LIST, allowed=METHOD_NAMES), SCALING, K_MIN, K_MAX,
    Rule("selection_rule", CHOICE, allowed=SELECTION_RULES), BALANCE_WEIGHTS, *BLOCK_RULES.values(),
    RANDOM_STATE, SILHOUETTE_SAMPLE_SIZE, Rule("fit_sample_size", INT, low=100), Rule("n_jobs", INT, low=1, high=64),
    Rule("high_confidence", FLOAT, low=0.0, open_low=True, high=1.0),
    Rule("low_confidence", FLOAT, low=0.0, open_low=True, high=1.0),
    Rule("store_fits", CHOICE, allowed=STORE_FITS),
    derived=("axis_options",),
)


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
        wrong type or out of range (see :data:`RULES`), ``k_max < k_min``,
        ``low_confidence > high_confidence``.

    Examples
    --------
    >>> s = segmentation_settings_from_meta({"id_column": "id", "axes": {"a": ["x"]}, "k_max": "4"}, model="m")
    >>> s.axes, s.k_max, s.balance_weights
    ((('a', ('x',)),), 4, (0.4, 0.6))
    """
    ctx = Context.for_model(model)
    raw = dict(meta or {})
    raw["axes"], options = split_axes(raw.get("axes"), ctx)
    if raw["axes"] is None:
        raw.pop("axes")
    s = SegmentationSettings(**parse_mapping(raw, RULES, ctx, ignored=IGNORED_META_KEYS), axis_options=options)
    for name, features in s.axes:
        if STORE_SEPARATOR in name:
            raise ctx.error(f"axes.{name}", name, f"must not contain {STORE_SEPARATOR!r}: it names the per-store fits "
                            f"(<axis>{STORE_SEPARATOR}<store>); rename the axis")
        if s.id_column in features:
            raise ctx.error(f"axes.{name}", list(features), f"must not contain the id column {s.id_column!r}")
    if s.k_max < s.k_min:
        raise ctx.error("k_max", s.k_max, f"must be >= k_min={s.k_min}")
    if s.low_confidence > s.high_confidence:
        raise ctx.error("low_confidence", s.low_confidence, f"must be <= high_confidence={s.high_confidence}")
    return s


def expand_axes(settings: SegmentationSettings, columns: Sequence[str], *, model: str) -> SegmentationSettings:
    """``settings`` with every axis pattern replaced by the columns it matches.

    Parameters
    ----------
    settings : SegmentationSettings
    columns : sequence of str
        Columns of the features table, in its order.  A pattern's matches
        come in this order; the id column never matches; a column named twice
        in an axis is kept at its first place.
    model : str
        dbt model name, used in the error message.

    Returns
    -------
    SegmentationSettings
        The same settings with concrete feature columns (names that are not
        patterns are kept as they are; a missing one is an input error later).

    Raises
    ------
    SettingsError
        A pattern that matches no column (names the axis, the pattern and the
        available columns).

    Examples
    --------
    >>> s = segmentation_settings_from_meta({"id_column": "id", "axes": {"mix": ["share_*", "n"]}}, model="m")
    >>> expand_axes(s, ["id", "n", "share_b", "share_a"], model="m").axes
    (('mix', ('share_b', 'share_a', 'n')),)
    """
    candidates = [str(c) for c in columns if str(c) != settings.id_column]
    axes = tuple((name, expand_axis(name, entries, candidates, model=model)) for name, entries in settings.axes)
    return dataclasses.replace(settings, axes=axes)


def fits_per_store(settings: SegmentationSettings, stores: Sequence[str]) -> SegmentationSettings:
    """``settings`` with every axis fitted once per store (``store_fits: per_store``).

    Axis ``a`` becomes ``a@<store>`` for each store, in the stores' order, with the store's customers as
    its population (and the axis's own population within it) and the axis's own selection rule; the
    features are the axis's.

    Examples
    --------
    >>> s = segmentation_settings_from_meta({"id_column": "id", "axes": {"a": ["x"]}}, model="m")
    >>> t = fits_per_store(s, ["north", "south"])
    >>> [name for name, _ in t.axes], t.population_of("a@south")
    (['a@north', 'a@south'], "store_id = 'south'")
    """
    axes, options = [], []
    for axis, features in settings.axes:
        own = settings.options_of(axis)
        for store in stores:
            name = f"{axis}{STORE_SEPARATOR}{store}"
            in_store = f"{STORE_COLUMN} = '{str(store).replace(chr(39), chr(39) * 2)}'"
            population = in_store if own.population is None else f"({own.population}) and {in_store}"
            axes.append((name, features))
            options.append((name, AxisOptions(population, own.selection_rule)))
    return dataclasses.replace(settings, axes=tuple(axes), axis_options=tuple(options))
