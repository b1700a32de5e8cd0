"""Per-method and subdivision setting blocks of the segmentation ``config.meta``.

Each block (``fcm:``, ``gmm:``, ``neural:``, ``subdivision:``,
``balance_weights:``) is a YAML mapping; keys left out take their default,
unknown keys are rejected with the list of allowed ones.  Values set through
dbt vars may arrive as strings and are coerced (:mod:`cluster_marts.config.coerce`).
A block may also arrive as a JSON string (``--vars`` on the command line).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from cluster_marts.config.coerce import FIX, as_choice, as_float, as_int, bad_setting, is_unset
from cluster_marts.errors import SettingsError

__all__ = [
    "FcmParams", "GmmParams", "NeuralParams", "SubdivisionParams", "COVARIANCE_TYPES",
    "as_mapping", "parse_block", "parse_balance_weights",
]

COVARIANCE_TYPES = ("diag", "full", "spherical", "tied")


@dataclass(frozen=True)
class FcmParams:
    """Fuzzy c-means: fuzzifier ``m > 1``, iteration cap, tolerance on max |Δu| > 0, seeded restarts."""

    m: float = 2.0
    max_iter: int = 150
    tol: float = 1.0e-5
    n_init: int = 3


@dataclass(frozen=True)
class GmmParams:
    """Gaussian mixture: covariance type, EM iteration cap and restarts (sklearn ``GaussianMixture``)."""

    covariance_type: str = "full"
    max_iter: int = 200
    n_init: int = 2


@dataclass(frozen=True)
class NeuralParams:
    """Autoencoder: bottleneck width (capped at the axis's feature count), hidden width, epochs, batch size."""

    encoding_dim: int = 3
    hidden_units: int = 16
    epochs: int = 200
    batch_size: int = 64


@dataclass(frozen=True)
class SubdivisionParams:
    """Hierarchical subdivision thresholds (see :mod:`cluster_marts.selection.subdivision`)."""

    max_variance: float = 2.0
    max_share: float = 0.6
    min_size: int = 100
    max_depth: int = 3
    k_max: int = 4
    selection_rule: str = "silhouette"


#: how a split's k is chosen: natural sub-structure (silhouette) or the balance-aware score
SPLIT_RULES = ("balanced", "silhouette")

# block -> key -> (kind, low, low is strict, high)
_RULES: dict[str, dict[str, tuple[str, float, bool, float]]] = {
    "fcm": {"m": ("float", 1.0, True, 1e6), "max_iter": ("int", 1, False, 1e9),
            "tol": ("float", 0.0, True, 1.0), "n_init": ("int", 1, False, 1e4)},
    "gmm": {"max_iter": ("int", 1, False, 1e9), "n_init": ("int", 1, False, 1e4)},
    "neural": {"encoding_dim": ("int", 1, False, 1e4), "hidden_units": ("int", 1, False, 1e5),
               "epochs": ("int", 1, False, 1e7), "batch_size": ("int", 1, False, 1e9)},
    "subdivision": {"max_variance": ("float", 0.0, False, float("inf")), "max_share": ("float", 0.0, True, 1.0),
                    "min_size": ("int", 2, False, float("inf")), "max_depth": ("int", 0, False, 100),
                    "k_max": ("int", 2, False, 1e3)},
}
_CLASSES = {"fcm": FcmParams, "gmm": GmmParams, "neural": NeuralParams, "subdivision": SubdivisionParams}


def as_mapping(value: Any, key: str, model: str) -> dict[str, Any]:
    """A YAML mapping, a JSON object string, or unset (``{}``)."""
    if is_unset(value):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise bad_setting(model, key, value, "must be a mapping (YAML dict or JSON object);") from None
    if not isinstance(value, Mapping):
        raise bad_setting(model, key, value, "must be a mapping (YAML dict or JSON object);")
    return {str(k).strip(): v for k, v in value.items()}


def _number(value: Any, name: str, rule: tuple[str, float, bool, float], model: str) -> float | int:
    kind, low, strict, high = rule
    number = as_int(value, name, model) if kind == "int" else as_float(value, name, model)
    if number < low or (strict and number == low) or number > high:
        bound = f"> {low:g}" if strict else f">= {low:g}"
        bound += "" if high == float("inf") else f" and <= {high:g}"
        raise bad_setting(model, name, value, f"must be {bound};")
    return number


def parse_block(block: str, value: Any, model: str) -> Any:
    """Validate one of the ``fcm``, ``gmm``, ``neural``, ``subdivision`` blocks.

    Parameters
    ----------
    block : {"fcm", "gmm", "neural", "subdivision"}
    value : mapping, JSON string or None
        The block from ``config.meta``; missing keys take their default.
    model : str
        dbt model name, used in error messages.

    Returns
    -------
    FcmParams, GmmParams, NeuralParams or SubdivisionParams

    Raises
    ------
    SettingsError
        Unknown key (lists the allowed ones), value of the wrong type or out of range.

    Examples
    --------
    >>> parse_block("fcm", {"m": "1.5"}, "m").m
    1.5
    """
    raw = as_mapping(value, block, model)
    cls = _CLASSES[block]
    allowed = [f.name for f in fields(cls)]
    unknown = sorted(k for k in raw if k not in allowed)
    if unknown:
        raise SettingsError(
            f"model {model}: unknown key(s) {', '.join(unknown)} in setting {block!r}; "
            f"allowed keys are: {', '.join(allowed)} {FIX}"
        )
    out: dict[str, Any] = {}
    for name, item in raw.items():
        full = f"{block}.{name}"
        if name == "covariance_type":
            out[name] = as_choice(item, full, COVARIANCE_TYPES, model)
        elif name == "selection_rule":
            out[name] = as_choice(item, full, SPLIT_RULES, model)
        else:
            out[name] = _number(item, full, _RULES[block][name], model)
    return cls(**out)


def parse_balance_weights(value: Any, model: str) -> tuple[float, float]:
    """``{silhouette: w_sil, balance: w_bal}`` -> weights normalised to sum to 1.

    A key left out weighs 0; both must be >= 0 and sum to > 0.

    Examples
    --------
    >>> parse_balance_weights({"silhouette": 2, "balance": "6"}, "m")
    (0.25, 0.75)
    """
    if is_unset(value):
        return (0.4, 0.6)
    raw = as_mapping(value, "balance_weights", model)
    unknown = sorted(k for k in raw if k not in ("silhouette", "balance"))
    if unknown:
        raise SettingsError(
            f"model {model}: unknown key(s) {', '.join(unknown)} in setting 'balance_weights'; "
            f"allowed keys are: balance, silhouette {FIX}"
        )
    rule = ("float", 0.0, False, float("inf"))
    sil = _number(raw.get("silhouette", 0.0), "balance_weights.silhouette", rule, model)
    bal = _number(raw.get("balance", 0.0), "balance_weights.balance", rule, model)
    if sil + bal <= 0:
        raise bad_setting(
            model, "balance_weights", value, "must have a positive weight (they are normalised to sum to 1);"
        )
    return (sil / (sil + bal), bal / (sil + bal))
