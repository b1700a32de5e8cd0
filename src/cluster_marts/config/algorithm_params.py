"""The one table of algorithm parameters.

Every parameter an algorithm accepts is described once in :data:`PARAMETERS`
(kind, bounds, allowed values), under one name wherever it means the same
thing (``n_init``, ``max_iter``, ``covariance_type``, ``m``...); a bound that
holds for one algorithm only is in :data:`ALGORITHM_BOUNDS`.
:func:`parameter_rule` combines the two.  Three contexts use it, each with its
own defaults where they differ today:

* :data:`PARAM_RULES`: the workbench's ``algorithm.params`` for each of the
  nine algorithms of the menu (:data:`ALGORITHMS`);
* :data:`METHOD_RULES`: the customer segmentation's method blocks
  (``fcm:``, ``gmm:``, ``neural:`` in ``config.meta``);
* the estimators' own checks when ``fit`` starts
  (:func:`cluster_marts.algorithms.constraints.param_constraints` turns these
  rules into constraints), and the provider / demand ``n_init`` and
  ``random_state`` settings.

So ``fcm.m = 1.0`` or ``covariance_type: bogus`` is rejected with the same
allowed values in a customer ``config.meta``, in a workbench spec and by the
estimator itself.

Algorithm names have documented aliases (:data:`ALGORITHM_ALIASES`:
``hierarchical`` is ``agglomerative``, ``gaussian_mixture`` is ``gmm``),
accepted wherever an algorithm is named (a workbench spec's
``algorithm.name`` and ``compare``, the provider / demand ``algorithm``,
:func:`~cluster_marts.algorithms.registry.make_estimator`).  They resolve to
the registry name when the settings are read (:data:`ALIAS_PAIRS` on the
choice rules, :func:`canonical_algorithm` elsewhere), so every output (tables,
run ids, reports) names the canonical algorithm and an alias gives the
canonical name's results exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cluster_marts.config.rules import CHOICE, FLOAT, INT, Context, Rule
from cluster_marts.config.schema import parse_mapping

__all__ = [
    "METHOD_NAMES", "PARAMETERS", "ALGORITHM_BOUNDS", "PARAM_RULES", "METHOD_RULES", "K_ALGORITHMS",
    "DENSITY_ALGORITHMS", "ALGORITHMS", "COVARIANCE_TYPES", "LINKAGES", "AFFINITIES", "ALGORITHM_ALIASES",
    "ALIAS_PAIRS", "canonical_algorithm", "parameter_rule", "parse_params",
]

# Methods of the customer segmentation (config.meta `methods`), built by cluster_marts.algorithms.methods.
METHOD_NAMES = ("fcm", "gmm", "neural")
K_ALGORITHMS = ("kmeans", "minibatch_kmeans", "agglomerative", "spectral", "gmm", "fcm")
DENSITY_ALGORITHMS = ("dbscan", "hdbscan", "optics")
ALGORITHMS = ("kmeans", "minibatch_kmeans", "dbscan", "hdbscan", "optics", "agglomerative", "spectral", "gmm", "fcm")
COVARIANCE_TYPES = ("full", "tied", "diag", "spherical")
LINKAGES = ("ward", "complete", "average", "single")
AFFINITIES = ("rbf", "nearest_neighbors")
#: the one map of algorithm aliases: alias -> registry name (outputs always name the registry name)
ALGORITHM_ALIASES: dict[str, str] = {"hierarchical": "agglomerative", "gaussian_mixture": "gmm"}
#: :data:`ALGORITHM_ALIASES` as the ``aliases`` of a choice rule
ALIAS_PAIRS: tuple[tuple[str, str], ...] = tuple(ALGORITHM_ALIASES.items())


def canonical_algorithm(name: str) -> str:
    """The registry name of ``name`` (itself unless it is an alias of :data:`ALGORITHM_ALIASES`).

    Examples
    --------
    >>> canonical_algorithm("hierarchical"), canonical_algorithm("gaussian_mixture"), canonical_algorithm("kmeans")
    ('agglomerative', 'gmm', 'kmeans')
    """
    return ALGORITHM_ALIASES.get(name, name)


#: every algorithm parameter once: kind, bounds and allowed values (the default depends on the context)
PARAMETERS: dict[str, Rule] = {rule.name: rule for rule in (
    Rule("n_clusters", INT, low=1),                                    # clusters asked for (not density methods)
    Rule("random_state", INT, low=0, high=2**32 - 1),                  # seed (numpy's range)
    Rule("n_init", INT, low=1, high=10_000),                           # seeded restarts
    Rule("max_iter", INT, low=1, high=1e9),                            # iteration cap
    Rule("tol", FLOAT, low=0.0, open_low=True, high=1.0),              # convergence tolerance (FCM: max |delta u|;
                                                                       # k-means: relative centre shift)
    Rule("m", FLOAT, low=1.0, open_low=True, high=1e6),                # FCM fuzzifier
    Rule("covariance_type", CHOICE, allowed=COVARIANCE_TYPES),         # GMM
    Rule("reg_covar", FLOAT, low=0.0),                                 # GMM: added to the covariance diagonal
    Rule("batch_size", INT, low=1, high=1e9),                          # rows per step (mini-batch, autoencoder)
    Rule("linkage", CHOICE, allowed=LINKAGES),                         # agglomerative
    Rule("affinity", CHOICE, allowed=AFFINITIES),                      # spectral
    Rule("n_neighbors", INT, low=2),                                   # spectral nearest_neighbors graph
    Rule("eps", FLOAT, low=0.0, open_low=True),                        # DBSCAN radius
    Rule("min_samples", INT, low=1),                                   # density: core point size
    Rule("min_cluster_size", INT, low=2),                              # HDBSCAN / OPTICS
    Rule("xi", FLOAT, low=0.0, high=1.0, open_low=True, open_high=True),  # OPTICS steepness
    Rule("encoding_dim", INT, low=1, high=10_000),                     # autoencoder bottleneck
    Rule("hidden_units", INT, low=1, high=100_000),                    # autoencoder hidden layer
    Rule("epochs", INT, low=1, high=1e7),                              # autoencoder passes
)}


#: bounds tighter than :data:`PARAMETERS` for one algorithm: algorithm -> parameter -> Rule fields
ALGORITHM_BOUNDS: dict[str, dict[str, dict[str, Any]]] = {
    "optics": {"min_samples": {"low": 2}},  # OPTICS needs at least 2 samples per neighbourhood
}


def parameter_rule(name: str, algorithm: str | None = None) -> Rule:
    """The rule of parameter ``name``, with ``algorithm``'s tighter bound if it has one.

    Parameters
    ----------
    name : str
        A key of :data:`PARAMETERS`.
    algorithm : str, optional
        Registry name (``kmeans``, ``optics``, ``neural``...).

    Examples
    --------
    >>> parameter_rule("min_samples", "optics").describe(), parameter_rule("min_samples", "dbscan").describe()
    ('an integer >= 2', 'an integer >= 1')
    """
    return PARAMETERS[name].replace(**ALGORITHM_BOUNDS.get(algorithm, {}).get(name, {}))


def _uses(algorithm: str, **defaults: Any) -> dict[str, Rule]:
    """``algorithm``'s parameters with their defaults in one context."""
    return {name: parameter_rule(name, algorithm).replace(default=default) for name, default in defaults.items()}


#: workbench ``algorithm.params``: algorithm -> parameter -> rule with the workbench default
PARAM_RULES: dict[str, dict[str, Rule]] = {
    "kmeans": _uses("kmeans", n_init=10, max_iter=300, tol=1e-4),
    "minibatch_kmeans": _uses("minibatch_kmeans", n_init=3, max_iter=100, batch_size=1024),
    "dbscan": _uses("dbscan", eps=0.5, min_samples=5),
    "hdbscan": _uses("hdbscan", min_cluster_size=5, min_samples=5),
    "optics": _uses("optics", min_samples=5, xi=0.05, min_cluster_size=5),
    "agglomerative": _uses("agglomerative", linkage="ward"),
    "spectral": _uses("spectral", affinity="rbf", n_neighbors=10, n_init=10),
    "gmm": _uses("gmm", covariance_type="full", n_init=3, max_iter=200),
    "fcm": _uses("fcm", m=2.0, max_iter=150, n_init=3),
}

#: customer method blocks: method -> parameter -> rule with the segmentation default
#: (differs from the workbench in gmm n_init (2, workbench 3); fcm also takes tol)
METHOD_RULES: dict[str, dict[str, Rule]] = {
    "fcm": _uses("fcm", m=2.0, max_iter=150, tol=1.0e-5, n_init=3),
    "gmm": _uses("gmm", covariance_type="full", max_iter=200, n_init=2),
    "neural": _uses("neural", encoding_dim=3, hidden_units=16, epochs=200, batch_size=64),
}


def parse_params(algorithm: str, params: Any, ctx: Context, path: str = "algorithm.params") -> dict[str, Any]:
    """Check an algorithm's parameters against :data:`PARAM_RULES` and fill in defaults.

    Parameters
    ----------
    algorithm : str
        A name of :data:`ALGORITHMS` (already checked).
    params : mapping or None
    ctx : Context
        Where the parameters come from, for the messages.
    path : str, default="algorithm.params"
        Key path of the parameters.

    Returns
    -------
    dict
        Every parameter of the algorithm, given or default, sorted by name.

    Raises
    ------
    SettingsError
        Unknown parameter (with the algorithm's parameters), wrong type, out of range.

    Examples
    --------
    >>> parse_params("dbscan", {"eps": "0.3"}, Context.for_spec("s.yml"))
    {'eps': 0.3, 'min_samples': 5}
    """
    rules: Mapping[str, Rule] = PARAM_RULES[algorithm]
    values = parse_mapping(params, rules.values(), ctx, path=path, what=f"a parameter of {algorithm}")
    return dict(sorted(values.items()))
