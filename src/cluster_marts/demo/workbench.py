"""Demo data of the clustering workbench: scikit-learn's wine data.

Not synthetic: 178 real wines with 13 chemical measurements and their known
cultivar, read offline from the copy scikit-learn ships, so the shipped spec
``specs/wine.yml`` can report ARI/NMI against real labels. The same file at
every scale.

:func:`wine_frame` gives the table with an id column and the cultivar as
target; :func:`write_wine` materialises it as the Parquet file
``specs/wine.yml`` reads.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
from sklearn.datasets import load_wine

__all__ = ["FILES", "generate", "wine_frame", "write_wine", "WINE_PATH"]

FILES: tuple[str, ...] = ("wine.parquet",)
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


def generate(scale: str, seed: int) -> dict[str, pa.Table]:
    """The wine table keyed by its file name (``scale`` and ``seed`` do not apply)."""
    return {"wine.parquet": pa.Table.from_pandas(wine_frame(), preserve_index=False)}
