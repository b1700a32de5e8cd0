"""The rows of a workbench spec: :func:`read_source` reads its file source.

The shipped demo data (scikit-learn's wine data) is written by
:mod:`cluster_marts.demo.workbench`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from cluster_marts.config.spec import Spec
from cluster_marts.errors import InputDataError

__all__ = ["read_source"]


def read_source(spec: Spec, root: str | Path = ".") -> pd.DataFrame:
    """Read a spec's file source (csv, parquet or json) relative to ``root``.

    Raises
    ------
    InputDataError
        The spec reads a dbt model or source (its model ``int_workbench_fit_<spec>`` hands those rows over),
        or the file is missing.
    """
    source = spec.source
    if source.path is None:
        raise InputDataError(f"spec {spec.file}: {source.describe()} is read by dbt (model "
                             f"int_workbench_fit_{spec.name}), not from a file")
    path = Path(root) / source.path
    if not path.exists():
        raise InputDataError(f"spec {spec.file}: source.path {str(path)!r} does not exist")
    readers = {"csv": pd.read_csv, "parquet": pd.read_parquet, "json": pd.read_json}
    return readers[str(source.format)](path)
