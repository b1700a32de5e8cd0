"""Customer segmentation: soft segments on behavioural axes with several methods.

Customers are segmented on named *axes* (groups of feature columns), each
with every configured *method*: fuzzy c-means (``fcm``), Gaussian mixture
(``gmm``) and an autoencoder embedding + k-means (``neural``).  k is chosen
per axis and method by a balance-aware score, ids are canonical, and
over-large or over-spread segments are subdivided hierarchically.

Modules: :mod:`~.core` (one axis and method: k grid, fit, canonical ids,
subdivision, run id) and :mod:`~.pipeline` (every axis and method fitted once,
the four tables, and :func:`segmentation_table`, the one long table the dbt
Python model ``int_customer_segmentation`` returns).  Settings, inputs,
methods and scores live in the engine folders (``config``, ``preprocessing``,
``algorithms``, ``selection``).  The snapshot reference model is
:mod:`cluster_marts.profiling.reference` (it calls :func:`segment_all`; importing
it from here made the two packages import each other).
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
