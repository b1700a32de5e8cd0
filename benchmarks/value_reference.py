"""The reference of the value evaluation: BG/NBD + Gamma-Gamma as the literature fits them.

No maintained library serves as the reference in this environment: lifetimes 0.11.3 (archived) installs
but its fitters do not converge under numpy 2 / pandas 3, and pymc-marketing brings PyMC. So the reference
is the plain BG/NBD of Fader, Hardie and Lee (2005) (:class:`cluster_marts.lapse.bgnbd.BGNBD`, maximum
likelihood) and a Gamma-Gamma written here, apart from :mod:`cluster_marts.value.gammagamma`: its
likelihood is written as the (beta-prime) density of the customer's total spend with the latent rate
integrated out, and fitted with Nelder-Mead rather than L-BFGS-B.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize
from scipy.special import betaln

from cluster_marts.lapse.bgnbd import BGNBD

__all__ = ["reference_value"]


def _gg_negative_log_likelihood(log_params: np.ndarray, x: np.ndarray, m: np.ndarray) -> float:
    """Gamma-Gamma: the total spend x m of x purchases is gamma(p x, nu); nu ~ gamma(q, v) integrated out
    (a beta-prime density of the total): log f = log f_total(x m) + log x."""
    p, q, v = np.exp(log_params)
    total = x * m
    log_total = ((p * x - 1) * np.log(total) + q * np.log(v) - (p * x + q) * np.log(v + total)
                 - betaln(p * x, q))
    return -float(np.mean(log_total + np.log(x)))


def fit_gamma_gamma(x: np.ndarray, m: np.ndarray) -> tuple[float, float, float]:
    """``(p, q, v)`` by maximum likelihood on the customers with x >= 1 (Nelder-Mead, currency rescaled)."""
    keep = (x >= 1) & np.isfinite(m) & (m > 0)
    scale = float(np.mean(m[keep]))
    result = minimize(_gg_negative_log_likelihood, np.zeros(3), args=(x[keep], m[keep] / scale),
                      method="Nelder-Mead", options={"maxiter": 5_000, "xatol": 1e-8, "fatol": 1e-10})
    p, q, v = np.exp(result.x)
    return float(p), float(q), float(v * scale)


def reference_value(x: np.ndarray, t_x: np.ndarray, T: np.ndarray, m: np.ndarray, horizon: float
                    ) -> tuple[np.ndarray, np.ndarray]:
    """Expected purchase days and spend over ``horizon`` per customer: BG/NBD x Gamma-Gamma."""
    orders = BGNBD().fit(x, t_x, T).expected_purchases(horizon, x, t_x, T)
    p, q, v = fit_gamma_gamma(x, m)
    own = np.where(x > 0, np.nan_to_num(m), 0.0)
    value = p * (v + x * own) / (p * x + q - 1)
    return orders, orders * value
