"""Algorithm names and ``algorithm.params`` rules of the workbench specs.

The table itself is :mod:`cluster_marts.config.algorithm_params` (shared with
the customer method blocks); this module keeps the names the workbench code
imports.
"""

from __future__ import annotations

from cluster_marts.config.algorithm_params import (
    ALGORITHMS,
    DENSITY_ALGORITHMS,
    K_ALGORITHMS,
    PARAM_RULES,
    parse_params,
)
from cluster_marts.config.rules import Rule as ParamRule

__all__ = ["ParamRule", "PARAM_RULES", "K_ALGORITHMS", "DENSITY_ALGORITHMS", "ALGORITHMS", "parse_params"]
