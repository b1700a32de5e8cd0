"""Seeded simulations of the value models, for the tests that check the likelihoods independently."""

from __future__ import annotations

import numpy as np


def simulate_mbgnbd(params, n: int, T: float, horizon: float, seed: int):
    """Customers of MBG/NBD ``params = (r, alpha, a, b)`` all acquired at day 0, observed until ``T``.

    Returns ``(x, t_x, T, holdout)``: repeat purchases in ``(0, T]``, the last one's time, ``T``, and the
    purchases in ``(T, T + horizon]``. A customer drops out with probability ``p`` right after every
    purchase, the first one (time 0) included.
    """
    r, alpha, a, b = params
    rng = np.random.default_rng(seed)
    rates = rng.gamma(r, 1.0 / alpha, n)
    dropout = rng.beta(a, b, n)
    x, t_x, holdout = np.zeros(n), np.zeros(n), np.zeros(n)
    for i in range(n):
        now = 0.0
        while rng.random() >= dropout[i]:          # alive after the purchase at `now`
            now += rng.exponential(1.0 / rates[i])
            if now > T + horizon:
                break
            if now <= T:
                x[i], t_x[i] = x[i] + 1, now
            else:
                holdout[i] += 1
    return x, t_x, np.full(n, T), holdout


def simulate_gamma_gamma(params, x: np.ndarray, seed: int) -> np.ndarray:
    """The mean of ``x`` purchase values per customer under Gamma-Gamma ``params = (p, q, v)``."""
    p, q, v = params
    rng = np.random.default_rng(seed)
    nu = rng.gamma(q, 1.0 / v, x.size)
    return np.array([rng.gamma(p, 1.0 / nu[i], int(k)).mean() if k > 0 else np.nan for i, k in enumerate(x)])
