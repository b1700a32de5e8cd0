"""Settings that several domains share, each described once.

The provider/demand settings, the customer segmentation and the workbench
specs take these keys with the same meaning; their defaults come from the
dataclass each one fills (:func:`cluster_marts.config.schema.bind`).
"""

from __future__ import annotations

from cluster_marts.config.algorithm_params import PARAMETERS
from cluster_marts.config.rules import CHOICE, INT, LIST, STR, Rule

__all__ = [
    "SCALINGS", "IGNORED_META_KEYS", "ID_COLUMN", "FEATURES", "SCALING", "K_MIN", "K_MAX", "RANDOM_STATE",
    "SILHOUETTE_SAMPLE_SIZE", "DEFAULT_STABILITY_RESAMPLES",
]

SCALINGS = ("minmax", "none", "robust", "standard")
#: keys of a ``config.meta`` that are documentation, allowed and ignored
IGNORED_META_KEYS = ("description", "owner")

ID_COLUMN = Rule("id_column", STR, doc="the entity id column, e.g. customer_id")
FEATURES = Rule("features", LIST, doc="a non-empty list of numeric column names, e.g. [recency, frequency]")
SCALING = Rule("scaling", CHOICE, allowed=SCALINGS)
K_MIN = Rule("k_min", INT, low=2)
K_MAX = Rule("k_max", INT, low=2)
#: the seed of every fit: the algorithm parameter itself (0 .. 2**32 - 1)
RANDOM_STATE = PARAMETERS["random_state"]
#: silhouette is computed on a seeded sample of this many rows when there are more
SILHOUETTE_SAMPLE_SIZE = Rule("silhouette_sample_size", INT, low=10)
#: bootstrap refits of the stability score when a setting asks for it without a number
DEFAULT_STABILITY_RESAMPLES = 10
