"""The one k-selection table every domain publishes.

:data:`K_SELECTION_COLUMNS` is the schema of ``provider_k_selection``,
``dfu_k_selection``, ``customer_k_selection`` and ``workbench_k_selection``
(the workbench adds ``spec_name`` in front); :func:`k_selection_table` turns
the output of :func:`~cluster_marts.selection.rules.choose_k` and the run's
metadata (:class:`RunInfo`) into that typed frame.  ``axis`` and ``method``
are null where a domain has none (providers, demand; the workbench has no
axis and puts the spec's algorithm in ``method``).  The marts' contract is
written once, ``models/marts/_k_selection__models.yml`` (typed by the macro
``cast_to_contract``); ``tests/unit/test_selection_table.py`` holds these
columns and their types equal to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from cluster_marts.selection.grid import GRID_COLUMNS
from cluster_marts.selection.rules import CHOICE_COLUMNS

__all__ = ["K_SELECTION_COLUMNS", "RUN_COLUMNS", "RunInfo", "k_selection_table"]

RUN_COLUMNS = [
    "algorithm", "scaling", "random_state", "n_samples", "features", "features_used", "n_components",
    "run_id", "settings_json",
]
K_SELECTION_COLUMNS = ["axis", "method", *GRID_COLUMNS, *CHOICE_COLUMNS, *RUN_COLUMNS]
_DTYPES = {"axis": "str", "method": "str", "selection_rule": "str", "algorithm": "str", "scaling": "str",
           "random_state": "int64", "n_samples": "int64", "features": "str", "features_used": "str",
           "n_components": "int64", "run_id": "str", "settings_json": "str"}


@dataclass(frozen=True)
class RunInfo:
    """Metadata of one k search, repeated on every row of its table.

    Attributes
    ----------
    algorithm : str
        What was fitted at every k (``kmeans``, ``fcm``, ...).
    scaling : str
    random_state : int
    n_samples : int
        Rows clustered.
    features, features_used : sequence of str
        Configured features; those that entered the clustering.
    n_components : int
        Dimension of the space the algorithm saw.
    run_id : str
    settings_json : str
        Every setting of the run as JSON.
    axis, method : str or None, default=None
        Null where the domain has none.
    """

    algorithm: str
    scaling: str
    random_state: int
    n_samples: int
    features: Sequence[str]
    features_used: Sequence[str]
    n_components: int
    run_id: str
    settings_json: str
    axis: str | None = None
    method: str | None = None


def k_selection_table(chosen: pd.DataFrame, run: RunInfo) -> pd.DataFrame:
    """The typed k-selection frame: ``chosen`` (one row per k) plus ``run`` on every row.

    Parameters
    ----------
    chosen : DataFrame
        Output of :func:`~cluster_marts.selection.rules.choose_k` on a grid of
        :func:`~cluster_marts.selection.grid.evaluate_k_grid`.
    run : RunInfo

    Returns
    -------
    DataFrame
        Columns :data:`K_SELECTION_COLUMNS` in order; strings ``str``
        (``axis`` / ``method`` null when ``None``), flags ``bool``, counts
        ``int64``, scores ``float64``.
    """
    out = chosen.reset_index(drop=True)
    values = {"axis": run.axis, "method": run.method, "algorithm": run.algorithm, "scaling": run.scaling,
              "random_state": run.random_state, "n_samples": run.n_samples, "features": ",".join(run.features),
              "features_used": ",".join(run.features_used), "n_components": run.n_components,
              "run_id": run.run_id, "settings_json": run.settings_json}
    for name, value in values.items():
        out[name] = pd.Series([value] * len(out), dtype=_DTYPES[name])
    flags = {c: "bool" for c in CHOICE_COLUMNS if c.startswith("is_")}
    return out[K_SELECTION_COLUMNS].astype({**flags, "selection_rule": "str"})
