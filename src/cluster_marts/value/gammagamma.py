"""The Gamma-Gamma model of spend per purchase (Fader, Hardie and Lee 2005), fitted by maximum likelihood.

A customer's purchase values are gamma distributed with shape ``p`` and a rate ``nu`` of their own;
``nu`` is gamma distributed across customers (shape ``q``, rate ``v``), so the customer's mean value is
``p / nu``, independent of how often they buy. Fitted on the customers with ``x >= 1`` repeat purchase
days, ``m`` the mean value of those days (the first day left out, as the paper does). The marginal
log-likelihood of ``m`` given ``x`` (the latent ``nu`` integrated out)::

    log f(m | x) = lgamma(p x + q) - lgamma(p x) - lgamma(q) + q log(v) + (p x - 1) log(m) + p x log(x)
                   - (p x + q) log(v + x m)

The conditional expectation of the customer's mean value, a weighted mean of the population mean
``p v / (q - 1)`` and the customer's own ``m``::

    E[Z | x, m] = p (v + x m) / (p x + q - 1)

which for ``x = 0`` is the population mean: a one-order customer gets the average of all customers. The
fit keeps ``q > 1`` (a finite population mean), from a fixed start (deterministic).

References
----------
Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "RFM and CLV: using iso-value curves for customer
base analysis", Journal of Marketing Research 42(4), 415-430; Fader and Hardie (2013), "The Gamma-Gamma
model of monetary value" (note).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import gammaln

from cluster_marts.errors import InputDataError, SettingsError

__all__ = ["GammaGamma"]

_LOG_BOUND = 15.0
_MIN_Q = 1.0 + 1e-3


def log_likelihood(params, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Per-customer marginal log-likelihood of the mean value ``m`` over ``x >= 1`` purchases."""
    p, q, v = params
    px = p * x
    return (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(v) + (px - 1) * np.log(m)
            + px * np.log(x) - (px + q) * np.log(v + x * m))


def _check(x, m, where: str) -> tuple[np.ndarray, np.ndarray]:
    x = np.atleast_1d(np.asarray(x, dtype=np.float64))
    m = np.atleast_1d(np.asarray(m, dtype=np.float64))
    if x.shape != m.shape or x.ndim != 1:
        raise InputDataError(f"{where}: arguments x and m must be one value per customer, of one length")
    if not (np.all(np.isfinite(x)) and np.all(x >= 0)):
        raise InputDataError(f"{where}: argument x must be finite counts >= 0")
    return x, m


class GammaGamma:
    """Gamma-Gamma model of the mean value of a customer's purchases.

    Parameters
    ----------
    penalizer : float, default=0.0
        Weight of ``sum(log(param)^2)`` added to the mean negative log-likelihood (0 = maximum likelihood).

    Attributes
    ----------
    p_, q_, v_ : float
        Shape of a purchase's value; shape and rate of the customers' value rates.
    population_mean_ : float
        ``p v / (q - 1)``: the expected mean value of a customer with no repeat purchase.
    log_likelihood_ : float
    n_customers_ : int
        Customers fitted on (``x >= 1`` and ``m > 0``).
    converged_ : bool
    """

    def __init__(self, penalizer: float = 0.0) -> None:
        self.penalizer = penalizer

    def fit(self, x, m) -> GammaGamma:
        """Fit ``(p, q, v)`` on the customers with ``x >= 1`` and ``m > 0`` (others are left out); returns self."""
        if not (np.isfinite(self.penalizer) and self.penalizer >= 0):
            raise SettingsError(f"GammaGamma: setting penalizer must be a finite number >= 0, "
                                f"got {self.penalizer!r}")
        x, m = _check(x, m, "GammaGamma.fit")
        keep = (x >= 1) & np.isfinite(m) & (m > 0)
        x, m = x[keep], m[keep]
        if x.size < 2:
            raise InputDataError("GammaGamma.fit: fewer than 2 customers with a repeat purchase and a positive "
                                 "mean value: the spend model cannot be fitted")
        scale = float(np.mean(m))       # fit in units of the mean value: a start near the optimum at any currency

        def objective(log_params: np.ndarray) -> float:
            params = np.exp(log_params)
            value = -log_likelihood(params, x, m / scale).mean()
            return float(value + self.penalizer * np.sum(log_params ** 2))

        bounds = [(-_LOG_BOUND, _LOG_BOUND), (np.log(_MIN_Q), _LOG_BOUND), (-_LOG_BOUND, _LOG_BOUND)]
        result = minimize(objective, np.log([2.0, 3.0, 4.0]), method="L-BFGS-B", bounds=bounds)
        p, q, v = (float(value) for value in np.exp(result.x))
        self.p_, self.q_, self.v_ = p, q, v * scale
        self.population_mean_ = self.p_ * self.v_ / (self.q_ - 1.0)
        self.log_likelihood_ = float(log_likelihood([self.p_, self.q_, self.v_], x, m).sum())
        self.n_customers_ = int(x.size)
        self.converged_ = bool(result.success)
        return self

    def expected_mean_value(self, x, m) -> np.ndarray:
        """``E[Z | x, m]`` per customer; ``m`` is ignored (may be NaN) where ``x = 0``."""
        if not hasattr(self, "p_"):
            raise SettingsError("GammaGamma: call fit(x, m) before predicting")
        x, m = _check(x, m, "GammaGamma.expected_mean_value")
        own = np.where(x > 0, np.nan_to_num(m, nan=0.0), 0.0)
        return self.p_ * (self.v_ + x * own) / (self.p_ * x + self.q_ - 1.0)
