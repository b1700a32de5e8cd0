"""Per-method and subdivision setting blocks of the segmentation ``config.meta``.

Each block (``fcm:``, ``gmm:``, ``neural:``, ``subdivision:``,
``balance_weights:``) is a YAML mapping (or a JSON object string, as passed
with ``--vars``); keys left out take their default, unknown keys are rejected
with the list of allowed ones.  The method blocks take their rules and
defaults from the one parameter table
(:data:`~cluster_marts.config.algorithm_params.METHOD_RULES`), so a
parameter is checked exactly as in a workbench spec's ``algorithm.params``.
"""

from __future__ import annotations

from dataclasses import dataclass

from cluster_marts.config.algorithm_params import COVARIANCE_TYPES, METHOD_RULES
from cluster_marts.config.rules import CHOICE, FLOAT, INT, MAPPING, Invalid, Rule
from cluster_marts.config.schema import bind

__all__ = [
    "FcmParams", "GmmParams", "NeuralParams", "SubdivisionParams", "COVARIANCE_TYPES", "SPLIT_RULES",
    "BLOCK_RULES", "BALANCE_WEIGHTS",
]

_FCM, _GMM, _NEURAL = METHOD_RULES["fcm"], METHOD_RULES["gmm"], METHOD_RULES["neural"]


@dataclass(frozen=True)
class FcmParams:
    """Fuzzy c-means: fuzzifier ``m > 1``, iteration cap, tolerance on max |Δu| > 0, seeded restarts."""

    m: float = _FCM["m"].default
    max_iter: int = _FCM["max_iter"].default
    tol: float = _FCM["tol"].default
    n_init: int = _FCM["n_init"].default


@dataclass(frozen=True)
class GmmParams:
    """Gaussian mixture: covariance type, EM iteration cap and restarts (sklearn ``GaussianMixture``)."""

    covariance_type: str = _GMM["covariance_type"].default
    max_iter: int = _GMM["max_iter"].default
    n_init: int = _GMM["n_init"].default


@dataclass(frozen=True)
class NeuralParams:
    """Autoencoder: bottleneck width (capped at the axis's feature count), hidden width, epochs, batch size."""

    encoding_dim: int = _NEURAL["encoding_dim"].default
    hidden_units: int = _NEURAL["hidden_units"].default
    epochs: int = _NEURAL["epochs"].default
    batch_size: int = _NEURAL["batch_size"].default


@dataclass(frozen=True)
class SubdivisionParams:
    """Hierarchical subdivision thresholds (see :mod:`cluster_marts.selection.subdivision`)."""

    max_variance: float = 2.0
    max_share: float = 0.6
    diameter_factor: float = 1.5
    min_size: int = 100
    max_depth: int = 3
    k_max: int = 4
    selection_rule: str = "silhouette"


#: how a split's k is chosen: natural sub-structure (silhouette) or the balance-aware score
SPLIT_RULES = ("balanced", "silhouette")

_SUBDIVISION = bind(
    SubdivisionParams,
    Rule("max_variance", FLOAT, low=0.0), Rule("max_share", FLOAT, low=0.0, open_low=True, high=1.0),
    Rule("diameter_factor", FLOAT, low=0.0, open_low=True), Rule("min_size", INT, low=2),
    Rule("max_depth", INT, low=0, high=100), Rule("k_max", INT, low=2, high=1000),
    Rule("selection_rule", CHOICE, allowed=SPLIT_RULES),
)


def _block(name: str, cls: type, rules: tuple[Rule, ...]) -> Rule:
    """A block of ``config.meta``: a mapping of ``rules`` that builds ``cls`` (defaults: ``cls()``)."""
    return Rule(name, MAPPING, fields=bind(cls, *rules), into=cls)


#: the ``fcm``, ``gmm``, ``neural`` and ``subdivision`` blocks
BLOCK_RULES: dict[str, Rule] = {
    "fcm": _block("fcm", FcmParams, tuple(_FCM.values())),
    "gmm": _block("gmm", GmmParams, tuple(_GMM.values())),
    "neural": _block("neural", NeuralParams, tuple(_NEURAL.values())),
    "subdivision": _block("subdivision", SubdivisionParams, _SUBDIVISION),
}


def _normalised(silhouette: float, balance: float) -> tuple[float, float]:
    """``(w_sil, w_bal)`` scaled to sum to 1.

    Examples
    --------
    >>> _normalised(2.0, 6.0)
    (0.25, 0.75)
    """
    total = silhouette + balance
    if total <= 0:
        raise Invalid("must have a positive weight (they are normalised to sum to 1)")
    return (silhouette / total, balance / total)


#: ``{silhouette: w_sil, balance: w_bal}`` -> weights normalised to sum to 1; a key left out weighs 0
BALANCE_WEIGHTS = Rule(
    "balance_weights", MAPPING, into=_normalised,
    fields=(Rule("silhouette", FLOAT, default=0.0, low=0.0), Rule("balance", FLOAT, default=0.0, low=0.0)),
)
