"""Declarative parameter checks of the estimators, in the style of scikit-learn's ``_parameter_constraints``.

Every estimator lists, per constructor parameter, the values it accepts: an
:class:`Interval` of ints or floats, :class:`Options` (a set of strings),
:class:`Instance` (objects of a type) or ``None``.  :func:`check_params`
runs when ``fit`` starts (and in :func:`~cluster_marts.algorithms.registry.make_estimator`)
and raises :class:`~cluster_marts.errors.SettingsError` naming the method,
the parameter, the value and every allowed value.  scikit-learn's own helpers
are private, so this is the small public version.

The bounds are not written here: :func:`param_constraints` builds them from
the one parameter table,
:data:`cluster_marts.config.algorithm_params.PARAMETERS` (with an algorithm's
tighter bounds, :func:`~cluster_marts.config.algorithm_params.parameter_rule`),
so a settings block, a workbench spec and the estimator accept the same values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any

from cluster_marts.config.algorithm_params import parameter_rule
from cluster_marts.config.rules import CHOICE, FLOAT, INT, Rule, format_number
from cluster_marts.errors import SettingsError

__all__ = ["Interval", "Options", "Instance", "check_params", "param_constraints", "from_rule", "Constraint"]

#: parameters every estimator also accepts as None (scikit-learn's "unseeded"; the settings always give a seed)
ALWAYS_NULLABLE = ("random_state",)


@dataclass(frozen=True)
class Interval:
    """Numbers of one kind between two bounds.

    Parameters
    ----------
    kind : {int, float}
        ``int`` accepts integers only; ``float`` accepts any finite real.
    low, high : float or None
        Bounds; None is unbounded.
    closed : {"both", "left", "right", "neither"}, default="both"
        Which bounds belong to the interval.

    Examples
    --------
    >>> str(Interval(float, 1, None, closed="neither")), 2.0 in Interval(float, 1, None, closed="neither")
    ('a float > 1', True)
    """

    kind: type
    low: float | None
    high: float | None
    closed: str = "both"

    def __contains__(self, value: Any) -> bool:
        if isinstance(value, bool) or not isinstance(value, Integral if self.kind is int else Real):
            return False
        if not math.isfinite(value):
            return False
        left = self.closed in ("both", "left")
        right = self.closed in ("both", "right")
        above = self.low is None or (value >= self.low if left else value > self.low)
        below = self.high is None or (value <= self.high if right else value < self.high)
        return above and below

    def __str__(self) -> str:
        noun = "an int" if self.kind is int else "a float"
        parts = []
        if self.low is not None:
            parts.append(f"{'>=' if self.closed in ('both', 'left') else '>'} {format_number(self.low)}")
        if self.high is not None:
            parts.append(f"{'<=' if self.closed in ('both', 'right') else '<'} {format_number(self.high)}")
        return " ".join([noun, " and ".join(parts)]).strip()


@dataclass(frozen=True)
class Options:
    """One of a fixed set of values (strings)."""

    values: tuple[str, ...]

    def __contains__(self, value: Any) -> bool:
        return isinstance(value, str) and value in self.values

    def __str__(self) -> str:
        return "one of " + ", ".join(map(str, self.values))


@dataclass(frozen=True)
class Instance:
    """An object of a given type (e.g. a fitted autoencoder)."""

    kind: type

    def __contains__(self, value: Any) -> bool:
        return isinstance(value, self.kind)

    def __str__(self) -> str:
        name = self.kind.__name__
        return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"


Constraint = Interval | Options | Instance | None


_CLOSED = {(False, False): "both", (True, False): "right", (False, True): "left", (True, True): "neither"}


def from_rule(rule: Rule, *, nullable: bool = False) -> list[Constraint]:
    """The constraints of one parameter from its settings rule (``int`` / ``float`` bounds, ``choice``).

    Examples
    --------
    >>> [str(c) for c in from_rule(Rule("xi", FLOAT, low=0.0, high=1.0, open_low=True, open_high=True))]
    ['a float > 0 and < 1']
    >>> from_rule(Rule("k", INT, low=1), nullable=True)[1] is None
    True
    """
    if rule.kind in (INT, FLOAT):
        closed = _CLOSED[(rule.open_low, rule.open_high)]
        constraint: Constraint = Interval(int if rule.kind == INT else float, rule.low, rule.high, closed)
    elif rule.kind == CHOICE:
        constraint = Options(tuple(rule.allowed))
    else:
        raise ValueError(f"parameter {rule.name!r}: a {rule.kind} rule has no estimator constraint")
    return [constraint, None] if nullable or rule.nullable else [constraint]


def param_constraints(algorithm: str, *names: str, nullable: Sequence[str] = ()) -> dict[str, list[Constraint]]:
    """Constraints of an estimator's parameters, from :data:`~cluster_marts.config.algorithm_params.PARAMETERS`.

    Parameters
    ----------
    algorithm : str
        Registry name; picks the algorithm's tighter bounds
        (:data:`~cluster_marts.config.algorithm_params.ALGORITHM_BOUNDS`).
    *names : str
        Constructor parameters, each a key of ``PARAMETERS``.
    nullable : sequence of str, default=()
        Parameters that also accept None (e.g. a default computed at fit
        time); ``random_state`` always does.

    Returns
    -------
    dict
        Parameter name -> list of accepted constraints, for ``_param_rules``.

    Examples
    --------
    >>> {name: [str(c) for c in cs] for name, cs in param_constraints("optics", "min_samples").items()}
    {'min_samples': ['an int >= 2']}
    """
    return {name: from_rule(parameter_rule(name, algorithm), nullable=name in (*nullable, *ALWAYS_NULLABLE))
            for name in names}


def _allowed(constraints: Sequence[Constraint]) -> str:
    return " or ".join("None" if c is None else str(c) for c in constraints)


def check_params(method: str, params: Mapping[str, Any], constraints: Mapping[str, Sequence[Constraint]]) -> None:
    """Raise :class:`SettingsError` for the first parameter outside its constraints.

    Parameters
    ----------
    method : str
        Registry name, for the message.
    params : mapping
        Parameter values (``get_params(deep=False)``).
    constraints : mapping
        Parameter name -> list of accepted constraints (any one suffices).

    Raises
    ------
    SettingsError

    Examples
    --------
    >>> check_params("fcm", {"m": 1.0}, {"m": [Interval(float, 1, None, closed="neither")]})
    Traceback (most recent call last):
    ...
    cluster_marts.errors.SettingsError: fcm: parameter 'm'=1.0 is not allowed; allowed values: a float > 1
    """
    for name, value in params.items():
        accepted = constraints.get(name)
        if accepted is None:
            continue
        if any(value is None if c is None else value in c for c in accepted):
            continue
        raise SettingsError(
            f"{method}: parameter {name!r}={value!r} is not allowed; allowed values: {_allowed(accepted)}"
        )
