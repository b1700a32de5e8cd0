"""Clustering workbench: cluster any table from a YAML spec, compare algorithms, explain the result.

* :mod:`~cluster_marts.workbench.spec` - load and validate a spec;
* :mod:`~cluster_marts.workbench.algorithms` - the algorithm menu;
* :mod:`~cluster_marts.workbench.analysis` - :func:`run_spec`, the tables of one analysis;
* :mod:`~cluster_marts.workbench.datasets` - shipped real data (wine).
"""
