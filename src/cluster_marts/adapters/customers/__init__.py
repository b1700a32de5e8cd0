"""Customer segmentation: soft segments on behavioural axes with several methods.

Customers are segmented on named *axes* (groups of feature columns), each
with every configured *method*: fuzzy c-means (``fcm``), Gaussian mixture
(``gmm``) and an autoencoder embedding + k-means (``neural``).  k is chosen
per axis and method by a balance-aware score, ids are canonical, and
over-large or over-spread segments are subdivided hierarchically.

Modules: :mod:`~.settings` / :mod:`~.params` (config.meta), :mod:`~.fcm`,
:mod:`~.gmm`, :mod:`~.neural` (algorithms), :mod:`~.methods` (registry),
:mod:`~.balance` (scores), :mod:`~.subdivision`, :mod:`~.core` (one axis and
method), :mod:`~.cache` (in-process memo), :mod:`~.inputs`, :mod:`~.pipeline`
(the four entry points called by the dbt Python models).
"""

from cluster_marts.adapters.customers.cache import cache_info, clear_cache
from cluster_marts.adapters.customers.pipeline import (
    ASSIGNMENT_COLUMNS, FIT_METRICS_COLUMNS, K_SELECTION_COLUMNS, MEMBERSHIP_COLUMNS, segment_assignments,
    segment_fit_metrics, segment_k_selection, segment_memberships,
)
from cluster_marts.adapters.customers.reference import reference_model  # noqa: F401
from cluster_marts.profiling.reference import score_memberships  # noqa: F401
from cluster_marts.config.segmentation import SegmentationSettings, segmentation_settings_from_meta

__all__ = [
    "segment_k_selection", "segment_memberships", "segment_assignments", "segment_fit_metrics",
    "clear_cache", "cache_info", "SegmentationSettings", "segmentation_settings_from_meta",
    "K_SELECTION_COLUMNS", "MEMBERSHIP_COLUMNS", "ASSIGNMENT_COLUMNS", "FIT_METRICS_COLUMNS",
]
