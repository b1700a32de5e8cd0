"""Clustering workbench: cluster any table from a YAML spec, compare algorithms, explain the result.

* :mod:`~cluster_marts.config.spec` - load and validate a spec;
* :mod:`~cluster_marts.adapters.workbench.menu` - the algorithm menu;
* :mod:`~cluster_marts.adapters.workbench.analysis` - :func:`run_spec`, the tables of one analysis;
* :mod:`~cluster_marts.adapters.workbench.scale` - fit on a sample, score every row: which rows each fit sees;
* :mod:`~cluster_marts.adapters.workbench.datasets` - read a spec's file source.
"""
