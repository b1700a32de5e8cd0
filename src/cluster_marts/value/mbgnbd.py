"""The MBG/NBD model of repeat buying (Batislam, Denizel and Filiztekin 2007), fitted by maximum likelihood.

Why this model: BG/NBD (:mod:`cluster_marts.lapse.bgnbd`) lets a customer drop out only after a repeat
purchase, so every one-order customer has ``p_alive = 1`` whatever their silence, and one-order customers
are over half of a typical shop. MBG/NBD lets the customer drop out right after *any* purchase, the first
included, so a long-silent one-order customer is probably gone. It keeps BG/NBD's closed forms (no
Pareto/NBD integrals), and no maintained library is a dependency: pymc-marketing brings PyMC, lifetimes
is archived (0.11.3 does not converge with numpy 2 / pandas 3).

While alive a customer buys at Poisson rate ``lambda`` (gamma, shape ``r``, rate ``alpha``); at time 0 and
after every purchase they drop out for good with probability ``p`` (beta ``a``, ``b``). History ``(x, t_x,
T)``: :mod:`cluster_marts.value.history` (days, one purchase per customer-day).

Log-likelihood of one customer (equation 6 of the paper)::

    log L = lgamma(r + x) - lgamma(r) + r log(alpha) + B(a, b + x + 1) - B(a, b) - (r + x) log(alpha + T)
            + log(1 + a / (b + x) * ((alpha + T) / (alpha + t_x))^(r + x))

with ``B`` the log beta function. :class:`MBGNBD` maximises its mean over the log-parameters with L-BFGS-B
from a fixed start (deterministic: the seed of :func:`cluster_marts.value.predict.customer_value` only
draws the fit sample). Predictions given a history:

- :meth:`MBGNBD.p_alive`: ``1 / (1 + a / (b + x) * ((alpha + T) / (alpha + t_x))^(r + x))``, below 1 for
  everyone, one-order customers included;
- :meth:`MBGNBD.expected_purchases`: purchase days in ``(T, T + t]``:
  ``(a + b + x) / (a - 1) * [1 - ((alpha + T) / (alpha + T + t))^(r + x) 2F1(r + x, b + x + 1; a + b + x;
  t / (alpha + T + t))] * p_alive`` (finite for ``a > 1``: the fit keeps ``a`` above 1).

References
----------
Batislam, E. P., Denizel, M. and Filiztekin, A. (2007), "Empirical validation and comparison of models for
customer base analysis", International Journal of Research in Marketing 24(3), 201-209.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, hyp2f1

from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.value.history import check_history, check_horizon

__all__ = ["MBGNBD"]

_LOG_BOUND = 12.0          # each log-parameter in [-12, 12]
_MIN_A = 1.0 + 1e-3        # a > 1: the expected number of purchases of an alive customer is finite


def log_likelihood(params, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Per-customer log-likelihood at ``params = (r, alpha, a, b)`` (module docstring)."""
    r, alpha, a, b = params
    log_odds = np.log(a) - np.log(b + x) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))
    return (gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x + 1) - betaln(a, b)
            - (r + x) * np.log(alpha + T) + np.logaddexp(0.0, log_odds))


class MBGNBD:
    """Modified beta-geometric / negative binomial distribution model of repeat buying.

    Parameters
    ----------
    penalizer : float, default=0.0
        Weight of ``sum(log(param)^2)`` added to the mean negative log-likelihood (0 = maximum likelihood).

    Attributes
    ----------
    r_, alpha_, a_, b_ : float
        Gamma shape and rate of the purchase rate (per day), beta parameters of the dropout probability.
    log_likelihood_ : float
        Summed log-likelihood of the calibration data at the fitted parameters.
    n_customers_ : int
    converged_ : bool
    """

    def __init__(self, penalizer: float = 0.0) -> None:
        self.penalizer = penalizer

    def fit(self, x, t_x, T) -> MBGNBD:
        """Fit ``(r, alpha, a, b)`` by maximum likelihood; returns self."""
        if not (np.isfinite(self.penalizer) and self.penalizer >= 0):
            raise SettingsError(f"MBGNBD: setting penalizer must be a finite number >= 0, got {self.penalizer!r}")
        x, t_x, T = check_history(x, t_x, T, where="MBGNBD.fit", tolerance=1e-9)
        if not np.any(x > 0):
            raise InputDataError("MBGNBD.fit: no customer has a repeat purchase day (every x = 0): the model "
                                 "cannot be identified; use a longer history")
        start = np.log([1.0, max(T.mean() / max(x.mean(), 1e-3), 1e-3), 2.0, 2.0])

        def objective(log_params: np.ndarray) -> float:
            value = -log_likelihood(np.exp(log_params), x, t_x, T).mean()
            return float(value + self.penalizer * np.sum(log_params ** 2))

        bounds = [(-_LOG_BOUND, _LOG_BOUND), (-_LOG_BOUND, _LOG_BOUND), (np.log(_MIN_A), _LOG_BOUND),
                  (-_LOG_BOUND, _LOG_BOUND)]
        result = minimize(objective, start, method="L-BFGS-B", bounds=bounds)
        self.r_, self.alpha_, self.a_, self.b_ = (float(v) for v in np.exp(result.x))
        self.log_likelihood_ = float(log_likelihood(self.params_, x, t_x, T).sum())
        self.n_customers_ = int(x.size)
        self.converged_ = bool(result.success)
        return self

    @property
    def params_(self) -> np.ndarray:
        """``(r, alpha, a, b)`` (fitted only)."""
        if not hasattr(self, "r_"):
            raise SettingsError("MBGNBD: call fit(x, t_x, T) before predicting")
        return np.array([self.r_, self.alpha_, self.a_, self.b_])

    def _log_odds_dead(self, x, t_x, T) -> np.ndarray:
        r, alpha, a, b = self.params_
        return np.log(a) - np.log(b + x) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x))

    def p_alive(self, x, t_x, T) -> np.ndarray:
        """Probability that each customer is still alive at ``T``."""
        x, t_x, T = check_history(x, t_x, T, where="MBGNBD.p_alive", tolerance=1e-9)
        return 1.0 / (1.0 + np.exp(np.minimum(self._log_odds_dead(x, t_x, T), 700.0)))

    def expected_purchases(self, t, x, t_x, T) -> np.ndarray:
        """Expected purchase days in ``(T, T + t]`` given the history."""
        t = check_horizon(t, "MBGNBD.expected_purchases")
        alive = self.p_alive(x, t_x, T)
        x, t_x, T = check_history(x, t_x, T, where="MBGNBD.expected_purchases", tolerance=1e-9)
        r, alpha, a, b = self.params_
        ratio = np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t)))
        bracket = 1.0 - ratio * hyp2f1(r + x, b + x + 1, a + b + x, t / (alpha + T + t))
        return np.maximum((a + b + x) / (a - 1) * bracket * alive, 0.0)

    def expected_purchases_new(self, t) -> float:
        """Expected repeat purchase days in ``(0, t]`` of a customer just acquired (the model's mean)."""
        t = check_horizon(t, "MBGNBD.expected_purchases_new")
        r, alpha, a, b = self.params_
        return float(b / (a - 1) * (1.0 - (alpha / (alpha + t)) ** r * hyp2f1(r, b + 1, a + b, t / (alpha + t))))
