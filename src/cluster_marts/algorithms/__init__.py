"""Clustering algorithms: one registry, one estimator API.

* :mod:`~.registry`: ``ALGORITHMS`` (name -> estimator class) and ``make_estimator``;
* :mod:`~.base`: the ``ClusterEstimator`` base class (fitted state, ``predict``,
  ``predict_memberships``, ``transform``, ``row_scores``); :mod:`~.constraints`
  (parameter checks); :mod:`~.scores` (member means, distances, per-row scores);
* one module per family: :mod:`~.kmeans`, :mod:`~.gmm`, :mod:`~.fcm`,
  :mod:`~.transductive` (agglomerative, spectral), :mod:`~.density`
  (dbscan, hdbscan, optics), :mod:`~.autoencoder` (``neural``);
* settings -> estimators of the domains: :mod:`~.methods` (customers),
  :mod:`~.menu` (workbench).
"""
