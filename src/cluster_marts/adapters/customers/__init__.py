"""Customer segmentation: soft segments on behavioural axes with several methods.

Customers are segmented on named *axes* (groups of feature columns), each
with every configured *method*: fuzzy c-means (``fcm``), Gaussian mixture
(``gmm``) and an autoencoder embedding + k-means (``neural``).  k is chosen
per axis and method by a balance-aware score, ids are canonical, and
over-large or over-spread segments are subdivided hierarchically.

Modules: :mod:`~.core` (one axis and method: k grid, fit, canonical ids,
subdivision, run id), :mod:`~.inputs` (axis patterns expanded, the input
checked, each axis's features and whether it is skipped), :mod:`~.pipeline`
(every axis and method fitted once, the four tables, and
:func:`segmentation_table`, the one long table the dbt Python model
``int_customer_segmentation`` returns), :mod:`~.fit_metrics` (one row per
axis and method, fitted or skipped) and :mod:`~.reference` (the snapshots'
reference model, imported from its module).  Settings, input checks,
methods and scores live in the engine folders (``config``, ``preprocessing``,
``algorithms``, ``selection``).
"""

from cluster_marts.adapters.customers.pipeline import (
    ASSIGNMENT_COLUMNS,
    FIT_METRICS_COLUMNS,
    K_SELECTION_COLUMNS,
    MEMBERSHIP_COLUMNS,
    RECORD_TYPES,
    SegmentationFit,
    segment_all,
    segment_assignments,
    segment_fit_metrics,
    segment_k_selection,
    segment_memberships,
    segmentation_table,
)
from cluster_marts.config.segmentation import SegmentationSettings, segmentation_settings_from_meta

__all__ = [
    "segmentation_table", "segment_all", "SegmentationFit", "RECORD_TYPES",
    "segment_k_selection", "segment_memberships", "segment_assignments", "segment_fit_metrics",
    "SegmentationSettings", "segmentation_settings_from_meta",
    "K_SELECTION_COLUMNS", "MEMBERSHIP_COLUMNS", "ASSIGNMENT_COLUMNS", "FIT_METRICS_COLUMNS",
]
