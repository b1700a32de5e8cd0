"""Settings: YAML / ``config.meta`` in, validated frozen dataclasses out.

One mechanism parses every domain's settings:

* :mod:`~cluster_marts.config.rules` - the rule type (:class:`Rule`: kind,
  default, bounds, allowed values, required), its ``describe()`` and the one
  error format (:class:`Context`);
* :mod:`~cluster_marts.config.coerce` - one coercion per kind (dbt-rendered
  strings such as ``"42"`` are accepted);
* :mod:`~cluster_marts.config.schema` - a mapping checked against a table of
  rules (unknown keys, missing keys, kinds, ranges), defaults from the dataclass;
* :mod:`~cluster_marts.config.algorithm_params` - the one table of algorithm
  parameters, shared by workbench ``algorithm.params`` and customer method blocks;
* :mod:`~cluster_marts.config.common` - settings several domains share.

The schemas built on it: :mod:`~cluster_marts.config.cluster` (provider and
demand :class:`ClusterSettings`), :mod:`~cluster_marts.config.segmentation`
(+ :mod:`~cluster_marts.config.segmentation_params`, customers),
:mod:`~cluster_marts.config.spec` (workbench specs) and
:mod:`~cluster_marts.config.groups` (regional comparisons).  Errors name the
dbt model or spec file, the key and the allowed values.
"""
