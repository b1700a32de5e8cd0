"""Real, labelled data shipped with the workbench (read offline from scikit-learn).

:func:`wine_frame` gives scikit-learn's wine data (178 wines, 13 chemical
measurements, 3 cultivars) with an id column and the cultivar as target;
:func:`write_wine` materialises it as the Parquet file ``specs/wine.yml`` reads.
:func:`read_source` reads the file source of any spec.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from sklearn.datasets import load_wine

from cluster_marts.config.spec import Spec
from cluster_marts.errors import InputDataError

__all__ = ["wine_frame", "write_wine", "read_source", "WINE_PATH"]

WINE_PATH = Path("data/raw/wine.parquet")


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def wine_frame() -> pd.DataFrame:
    """Wine data: ``wine_id`` (1..178), 13 snake_case features, ``cultivar`` (0, 1, 2).

    Examples
    --------
    >>> wine_frame().shape
    (178, 15)
    """
    bunch = load_wine(as_frame=True)
    frame = bunch.data.rename(columns=_snake)
    frame.insert(0, "wine_id", range(1, len(frame) + 1))
    frame["cultivar"] = bunch.target.astype("int64").to_numpy()
    return frame


def write_wine(path: str | Path = WINE_PATH) -> Path:
    """Write :func:`wine_frame` as Parquet (parents created) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wine_frame().to_parquet(path, index=False)
    return path


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
