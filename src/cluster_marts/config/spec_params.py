"""Value checks of a workbench spec, and the per-algorithm ``algorithm.params`` tables.

Every algorithm of the menu has a table of the parameters it accepts: a kind
(``int``, ``float`` or a tuple of allowed strings), bounds and a default.
Unknown parameters, wrong types and out-of-range values raise
:class:`~cluster_marts.errors.SettingsError` naming the spec file, the key
path (``algorithm.params.eps``) and the allowed values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cluster_marts.errors import SettingsError

__all__ = [
    "ParamRule", "PARAM_RULES", "K_ALGORITHMS", "DENSITY_ALGORITHMS", "ALGORITHMS", "check_params", "spec_error",
    "check_mapping", "check_choice", "check_int", "check_float", "check_column", "check_subset",
]

K_ALGORITHMS = ("kmeans", "minibatch_kmeans", "agglomerative", "spectral", "gmm", "fcm")
DENSITY_ALGORITHMS = ("dbscan", "hdbscan", "optics")
ALGORITHMS = ("kmeans", "minibatch_kmeans", "dbscan", "hdbscan", "optics", "agglomerative", "spectral", "gmm", "fcm")


def spec_error(file: str, key: str, value: Any, why: str, allowed: object = None) -> SettingsError:
    """The standard spec error: file, key path, offending value, why, allowed values.

    Examples
    --------
    >>> str(spec_error("s.yml", "preprocessing.scaling", "z", "is not allowed", ("a", "b")))
    "spec s.yml: key 'preprocessing.scaling'='z' is not allowed; allowed values: a, b"
    """
    text = f"spec {file}: key {key!r}={value!r} {why}"
    if allowed is not None:
        shown = ", ".join(map(str, allowed)) if isinstance(allowed, (list, tuple)) else str(allowed)
        text += f"; allowed values: {shown}"
    return SettingsError(text)


@dataclass(frozen=True)
class ParamRule:
    """One accepted parameter.

    Attributes
    ----------
    kind : {"int", "float"} or tuple of str
        Numeric kind, or the allowed strings.
    default : int, float or str
    low, high : float
        Bounds (``low`` inclusive unless ``open_low``; ``high`` inclusive
        unless ``open_high``).
    """

    kind: str | tuple[str, ...]
    default: Any
    low: float = -math.inf
    high: float = math.inf
    open_low: bool = False
    open_high: bool = False

    def describe(self) -> str:
        """Human-readable allowed values, e.g. ``"a number > 0"``."""
        if isinstance(self.kind, tuple):
            return ", ".join(self.kind)
        parts = []
        if self.low > -math.inf:
            parts.append(f"{'>' if self.open_low else '>='} {self.low:g}")
        if self.high < math.inf:
            parts.append(f"{'<' if self.open_high else '<='} {self.high:g}")
        noun = "an integer" if self.kind == "int" else "a number"
        return f"{noun} {' and '.join(parts)}".strip()


_N_INIT = ParamRule("int", 10, low=1)
_MAX_ITER = ParamRule("int", 300, low=1)
PARAM_RULES: dict[str, dict[str, ParamRule]] = {
    "kmeans": {"n_init": _N_INIT, "max_iter": _MAX_ITER},
    "minibatch_kmeans": {"n_init": ParamRule("int", 3, low=1), "max_iter": ParamRule("int", 100, low=1),
                         "batch_size": ParamRule("int", 1024, low=1)},
    "dbscan": {"eps": ParamRule("float", 0.5, low=0.0, open_low=True), "min_samples": ParamRule("int", 5, low=1)},
    "hdbscan": {"min_cluster_size": ParamRule("int", 5, low=2), "min_samples": ParamRule("int", 5, low=1)},
    "optics": {"min_samples": ParamRule("int", 5, low=2), "xi": ParamRule("float", 0.05, low=0.0, high=1.0,
                                                                          open_low=True, open_high=True),
               "min_cluster_size": ParamRule("int", 5, low=2)},
    "agglomerative": {"linkage": ParamRule(("ward", "complete", "average", "single"), "ward")},
    "spectral": {"affinity": ParamRule(("rbf", "nearest_neighbors"), "rbf"),
                 "n_neighbors": ParamRule("int", 10, low=2), "n_init": _N_INIT},
    "gmm": {"covariance_type": ParamRule(("full", "tied", "diag", "spherical"), "full"),
            "n_init": ParamRule("int", 3, low=1), "max_iter": ParamRule("int", 200, low=1)},
    "fcm": {"m": ParamRule("float", 2.0, low=1.0, open_low=True), "max_iter": ParamRule("int", 150, low=1),
            "n_init": ParamRule("int", 3, low=1)},
}


def _number(value: Any, rule: ParamRule, file: str, key: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise spec_error(file, key, value, "has the wrong type", rule.describe())
    if rule.kind == "int" and float(value) != int(value):
        raise spec_error(file, key, value, "must be a whole number", rule.describe())
    number = int(value) if rule.kind == "int" else float(value)
    too_low = number < rule.low or (rule.open_low and number == rule.low)
    too_high = number > rule.high or (rule.open_high and number == rule.high)
    if not math.isfinite(number) or too_low or too_high:
        raise spec_error(file, key, value, "is out of range", rule.describe())
    return number


def check_params(algorithm: str, params: Any, file: str) -> dict[str, Any]:
    """Validate ``algorithm.params`` and fill in defaults.

    Parameters
    ----------
    algorithm : str
        A name of :data:`ALGORITHMS` (already checked).
    params : mapping or None
    file : str
        Spec file, for error messages.

    Returns
    -------
    dict
        Every parameter of the algorithm, given or default, sorted by name.

    Raises
    ------
    SettingsError
        Unknown parameter, wrong type, out of range.

    Examples
    --------
    >>> check_params("dbscan", {"eps": 0.3}, "s.yml")
    {'eps': 0.3, 'min_samples': 5}
    """
    rules = PARAM_RULES[algorithm]
    params = {} if params is None else params
    if not isinstance(params, Mapping):
        raise spec_error(file, "algorithm.params", params, "must be a mapping", tuple(rules))
    out: dict[str, Any] = {}
    for name, value in params.items():
        key = f"algorithm.params.{name}"
        if name not in rules:
            raise spec_error(file, key, value, f"is not a parameter of {algorithm}", tuple(rules))
        rule = rules[name]
        if isinstance(rule.kind, tuple):
            if value not in rule.kind:
                raise spec_error(file, key, value, "is not allowed", rule.kind)
            out[name] = value
        else:
            out[name] = _number(value, rule, file, key)
    for name, rule in rules.items():
        out.setdefault(name, rule.default)
    return dict(sorted(out.items()))


# -- generic value checks (each raises spec_error with the key path and allowed values) --

def check_mapping(value: Any, file: str, key: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise spec_error(file, key, value, "must be a mapping", allowed)
    for name in value:
        if name not in allowed:
            path = f"{key}.{name}" if key else str(name)
            raise spec_error(file, path, value[name], "is not a known key", allowed)
    return dict(value)


def check_choice(value: Any, file: str, key: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise spec_error(file, key, value, "is not allowed", allowed)
    return str(value)


def check_int(value: Any, file: str, key: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise spec_error(file, key, value, "must be an integer", f"integers >= {low}")
    return int(value)


def check_float(value: Any, file: str, key: str, low: float, high: float, open_low: bool) -> float:
    ok = not isinstance(value, bool) and isinstance(value, (int, float))
    if not ok or value < low or value >= high or (open_low and value == low):
        bound = f"{'>' if open_low else '>='} {low:g}" + ("" if high == float("inf") else f" and < {high:g}")
        raise spec_error(file, key, value, "is out of range", f"numbers {bound}")
    return float(value)


def check_column(value: Any, file: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise spec_error(file, key, value, "must be a column name", "a non-empty string")
    return value.strip()


def check_subset(value: Any, file: str, key: str, allowed: tuple[str, ...], default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    if not isinstance(value, list):
        raise spec_error(file, key, value, "must be a list", allowed)
    for item in value:
        check_choice(item, file, key, allowed)
    return tuple(dict.fromkeys(value))
