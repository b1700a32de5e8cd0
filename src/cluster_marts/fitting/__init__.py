"""The one fit pipeline of every domain: sample -> k grid -> fit -> canonical ids -> kept ids -> row scores.

:func:`~cluster_marts.fitting.pipeline.fit_partition` is the journey every
domain's adapter calls once per fit (providers, demand, every customer axis
and method, every workbench spec); the adapters only shape tables.
"""

from cluster_marts.fitting.pipeline import FitInput, KGrid, Partition, fit_partition, score_partition

__all__ = ["FitInput", "KGrid", "Partition", "fit_partition", "score_partition"]
