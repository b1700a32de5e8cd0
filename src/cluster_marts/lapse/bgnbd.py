"""The BG/NBD model of repeat buying (Fader, Hardie and Lee 2005), fitted by maximum likelihood.

A standard baseline of non-contractual churn: while alive a customer buys at
Poisson rate ``lambda`` (gamma distributed across customers, shape ``r``, rate
``alpha``); after every purchase they drop out for good with probability ``p``
(beta distributed, ``a``, ``b``). A customer is summarised by three numbers, in
one time unit (days in this package):

- ``x``: repeat purchases (purchases after the first one);
- ``t_x``: time from the first to the last purchase (0 when ``x = 0``);
- ``T``: time from the first purchase to the end of the calibration period.

Log-likelihood of one customer (equation 6 of the paper), written as a
log-sum-exp of its two terms so that large ``x`` or ``T`` do not underflow::

    log L = lgamma(r + x) - lgamma(r) + r log(alpha)
            + logaddexp( B(a, b + x) - B(a, b) - (r + x) log(alpha + T),
                         [x > 0] (B(a + 1, b + x - 1) - B(a, b) - (r + x) log(alpha + t_x)) )

with ``B`` the log beta function. :class:`BGNBD` maximises the mean of it over
the log-parameters with L-BFGS-B; ``penalizer`` adds ``penalizer * sum(log(param)^2)``
(a pull of every parameter towards 1 that keeps the fit finite on data that
barely identify ``a`` and ``b``; 0 = plain maximum likelihood).

Conditional predictions for a customer with history ``(x, t_x, T)``:

- :meth:`BGNBD.p_alive`: ``1 / (1 + [x > 0] a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x))``.
  Documented edge case of the model: a customer with ``x = 0`` has ``p_alive = 1``
  (dropout can only follow a purchase), and only they do;
- :meth:`BGNBD.expected_purchases`: equation 10 of the paper (Gaussian hypergeometric ``2F1``);
- :meth:`BGNBD.prob_no_purchase`: ``1 - p_alive + p_alive * ((alpha + T) / (alpha + T + t))^(r + x)``: dead, or
  alive with no purchase in ``(T, T + t]`` (the alive customer's rate is gamma ``(r + x, alpha + T)``).

References
----------
Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting your customers' the easy way:
an alternative to the Pareto/NBD model", Marketing Science 24(2), 275-284.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln, gammaln, hyp2f1

from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.value.history import check_history

__all__ = ["BGNBD", "PARAMETERS"]

PARAMETERS = ("r", "alpha", "a", "b")
_LOG_BOUND = 12.0               # each log-parameter in [-12, 12]: parameters in [6e-6, 1.6e5]


def _log_likelihood(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Per-customer log-likelihood at ``params = (r, alpha, a, b)`` (module docstring)."""
    r, alpha, a, b = params
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    dead_never = betaln(a, b + x) - betaln(a, b) - (r + x) * np.log(alpha + T)
    repeat = x > 0
    dropped = np.full_like(x, -np.inf)
    xr = x[repeat]
    dropped[repeat] = betaln(a + 1, b + xr - 1) - betaln(a, b) - (r + xr) * np.log(alpha + t_x[repeat])
    return common + np.logaddexp(dead_never, dropped)


class BGNBD:
    """Beta-geometric / negative binomial distribution model of repeat buying.

    Parameters
    ----------
    penalizer : float, default=0.0
        Weight of ``sum(log(param)^2)`` added to the mean negative log-likelihood (0 = maximum likelihood).

    Attributes
    ----------
    r_, alpha_, a_, b_ : float
        Fitted parameters: gamma shape and rate of the purchase rate, beta parameters of the dropout probability.
    log_likelihood_ : float
        Summed log-likelihood of the calibration data at the fitted parameters.
    n_customers_ : int
    converged_ : bool
        Whether L-BFGS-B reported success.

    Examples
    --------
    >>> model = BGNBD().fit([0, 2, 5], [0.0, 30.0, 80.0], [100.0, 100.0, 100.0])
    >>> bool(model.p_alive([0], [0.0], [100.0])[0] == 1.0)
    True
    """

    def __init__(self, penalizer: float = 0.0) -> None:
        self.penalizer = penalizer

    def fit(self, x, t_x, T) -> BGNBD:
        """Fit ``(r, alpha, a, b)`` by maximum likelihood over the log-parameters.

        Parameters
        ----------
        x : array-like of shape (n_customers,)
            Repeat purchases.
        t_x : array-like of shape (n_customers,)
            Time of the last purchase since the first one (0 when ``x = 0``).
        T : array-like of shape (n_customers,)
            Time from the first purchase to the end of the calibration period.

        Returns
        -------
        self
        """
        if not (np.isfinite(self.penalizer) and self.penalizer >= 0):
            raise SettingsError(f"BGNBD: setting penalizer must be a finite number >= 0, got {self.penalizer!r}")
        x, t_x, T = check_history(x, t_x, T, where="BGNBD.fit")
        if x.size == 0:
            raise InputDataError("BGNBD.fit: no customers to fit on (x, t_x and T are empty)")
        if not np.any(x > 0):
            raise InputDataError("BGNBD.fit: no customer has a repeat purchase (every x = 0): the model cannot "
                                 "be identified; use a longer calibration period")
        # start: r = 1, alpha = mean exposure per repeat purchase, a = 1, b = 1
        start = np.log([1.0, max(T.mean() / max(x.mean(), 1e-3), 1e-3), 1.0, 1.0])

        def objective(log_params: np.ndarray) -> float:
            value = -_log_likelihood(np.exp(log_params), x, t_x, T).mean()
            return float(value + self.penalizer * np.sum(log_params ** 2))

        result = minimize(objective, start, method="L-BFGS-B", bounds=[(-_LOG_BOUND, _LOG_BOUND)] * 4)
        self.r_, self.alpha_, self.a_, self.b_ = (float(v) for v in np.exp(result.x))
        self.log_likelihood_ = float(_log_likelihood(self.params_, x, t_x, T).sum())
        self.n_customers_ = int(x.size)
        self.converged_ = bool(result.success)
        return self

    @property
    def params_(self) -> np.ndarray:
        """``(r, alpha, a, b)`` as an array (fitted only)."""
        self._check_fitted()
        return np.array([self.r_, self.alpha_, self.a_, self.b_])

    def _check_fitted(self) -> None:
        if not hasattr(self, "r_"):
            raise SettingsError("BGNBD: call fit(x, t_x, T) before predicting")

    def _odds_dead(self, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
        """``[x > 0] a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x)``, computed in logs."""
        r, alpha, a, b = self.params_
        repeat = x > 0
        odds = np.zeros_like(x)
        xr = x[repeat]
        log_odds = (np.log(a) - np.log(b + xr - 1)
                    + (r + xr) * (np.log(alpha + T[repeat]) - np.log(alpha + t_x[repeat])))
        odds[repeat] = np.exp(np.minimum(log_odds, 700.0))
        return odds

    def p_alive(self, x, t_x, T) -> np.ndarray:
        """Probability that each customer is still alive at ``T`` (exactly 1 iff ``x = 0``)."""
        self._check_fitted()
        x, t_x, T = check_history(x, t_x, T, where="BGNBD.p_alive")
        return 1.0 / (1.0 + self._odds_dead(x, t_x, T))

    def expected_purchases(self, t, x, t_x, T) -> np.ndarray:
        """Expected purchases in ``(T, T + t]`` given the history (equation 10 of the paper)."""
        self._check_fitted()
        x, t_x, T = check_history(x, t_x, T, where="BGNBD.expected_purchases")
        t = self._check_horizon(t, "BGNBD.expected_purchases")
        r, alpha, a, b = self.params_
        z = t / (alpha + T + t)
        ratio = np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t)))
        bracket = 1.0 - ratio * hyp2f1(r + x, b + x, a + b + x - 1, z)
        return (a + b + x - 1) / (a - 1) * bracket / (1.0 + self._odds_dead(x, t_x, T))

    def prob_no_purchase(self, t, x, t_x, T) -> np.ndarray:
        """Probability of no purchase in ``(T, T + t]``: dead, or alive and silent (decreasing in ``t``)."""
        self._check_fitted()
        x, t_x, T = check_history(x, t_x, T, where="BGNBD.prob_no_purchase")
        t = self._check_horizon(t, "BGNBD.prob_no_purchase")
        alive = self.p_alive(x, t_x, T)
        silent = np.exp((self.r_ + x) * (np.log(self.alpha_ + T) - np.log(self.alpha_ + T + t)))
        return 1.0 - alive + alive * silent

    @staticmethod
    def _check_horizon(t, where: str) -> np.ndarray:
        t = np.asarray(t, dtype=np.float64)
        if not np.all(np.isfinite(t)) or np.any(t < 0):
            raise InputDataError(f"{where}: argument t (the horizon) must be finite and >= 0, got {t!r}")
        return t
