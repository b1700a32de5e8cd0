"""Demo data of the clustering workbench: scikit-learn's wine data.

Not synthetic: 178 real wines with 13 chemical measurements and their known
cultivar, read offline from the copy scikit-learn ships, so the shipped spec
``specs/wine.yml`` can report ARI/NMI against real labels. The same file at
every scale.
"""

from __future__ import annotations

import pyarrow as pa

from cluster_marts.adapters.workbench.datasets import wine_frame

FILES: tuple[str, ...] = ("wine.parquet",)


def generate(scale: str, seed: int) -> dict[str, pa.Table]:
    """The wine table keyed by its file name (``scale`` and ``seed`` do not apply)."""
    return {"wine.parquet": pa.Table.from_pandas(wine_frame(), preserve_index=False)}
