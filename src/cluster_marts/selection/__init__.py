"""Choosing k: one grid with every criterion per k, the rules that pick one, one table.

* :mod:`~cluster_marts.selection.grid`: :func:`evaluate_k_grid` scores every k
  (inertia, silhouette sampled and seeded, Calinski-Harabasz, Davies-Bouldin,
  the gap statistic, balance and the combined score, cluster shares, method
  metrics such as BIC);
* :mod:`~cluster_marts.selection.rules`: :func:`choose_k` with every rule
  (silhouette, elbow, calinski_harabasz, davies_bouldin, gap, vote, balanced,
  fixed) and eligibility by ``min_cluster_share``;
* :mod:`~cluster_marts.selection.table`: ``K_SELECTION_COLUMNS``, the one
  k-selection table of every domain;
* :mod:`~cluster_marts.selection.gap`, :mod:`~cluster_marts.selection.balance`,
  :mod:`~cluster_marts.selection.metrics`: the criteria;
* :mod:`~cluster_marts.selection.subdivision` (splitting large segments, its
  split k chosen by the same grid and rules) and
  :mod:`~cluster_marts.adapters.workbench.recommend` (the workbench's k search and
  algorithm comparison).
"""
