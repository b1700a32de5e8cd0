"""Scoring rows in a stored FCM reference model: the formula the snapshot SQL mirrors.

:func:`score_memberships` is the numpy reference of the SQL scoring of the
membership snapshots (the reference model itself is fitted and published by
:mod:`cluster_marts.adapters.customers.reference`).

Tolerance: scoring the reference rows reproduces the fit's memberships up to
one FCM iteration, not to 1e-6 in general.  The fit stops when
``max |u_new - u| < fcm.tol`` and its centres are computed from that last
``u``; scoring them is the next membership update, so the difference is the
next step's ``max |Δu|``.  FCM converges linearly near its fixed point, so for
a converged fit that step is below the last one, hence below ``fcm.tol``
(default 1e-5; observed 3e-7 .. 6e-6 on the test and demo data).  The formula
itself is exact: with ``fcm.tol: 1e-8`` the difference is ~5e-9.  A fit that
hit ``max_iter`` unconverged has no such bound.
"""

from __future__ import annotations

import numpy as np

__all__ = ["score_memberships"]


def score_memberships(X: np.ndarray, centers_scaled: np.ndarray, scaler_center: np.ndarray | float,
                      scaler_scale: np.ndarray | float, m: float) -> np.ndarray:
    """FCM memberships of raw rows in a stored reference model: the reference of the SQL scoring.

    ``xs = (x - scaler_center) / scaler_scale``; ``d2_j = sum_f (xs_f - center_jf)**2``;
    ``u_j = d2_j**(-1/(m-1)) / sum_l d2_l**(-1/(m-1))``.  A row with ``d2_j == 0`` for some centre is
    one-hot on it (split evenly between centres it sits on exactly, as the SQL does; distinct centres
    make that one-hot).  The powers are taken of ``d2_j / min_l d2_l`` (the same ratio, no overflow
    when a row is very close to a centre).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Raw (unscaled) feature values, columns in the axis's feature order.
    centers_scaled : ndarray of shape (k, n_features)
        Centres in scaled space (``center_scaled`` of :func:`reference_model`, by segment id).
    scaler_center, scaler_scale : ndarray of shape (n_features,) or float
    m : float
        Fuzzifier (``fuzziness``), > 1.

    Returns
    -------
    ndarray of shape (n_samples, k)
        Rows sum to 1.

    Examples
    --------
    >>> score_memberships(np.array([[1.0], [3.0], [2.0]]), np.array([[0.0], [2.0]]), 1.0, 1.0, 2.0).round(3)
    array([[1. , 0. ],
           [0. , 1. ],
           [0.5, 0.5]])
    """
    if not m > 1.0:
        raise ValueError(f"fuzzifier m must be > 1, got {m!r}")
    centers = np.atleast_2d(np.asarray(centers_scaled, dtype=np.float64))
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != centers.shape[1]:
        raise ValueError(f"X has shape {X.shape}; expected (n_samples, {centers.shape[1]}) like the centres")
    Xs = (X - np.asarray(scaler_center, dtype=np.float64)) / np.asarray(scaler_scale, dtype=np.float64)
    d2 = ((Xs[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
    hit = d2 <= 0.0
    on_centre = hit.any(axis=1)
    u = np.where(hit, 1.0, 0.0) / np.maximum(hit.sum(axis=1, keepdims=True), 1)
    rest = ~on_centre
    if rest.any():
        with np.errstate(over="ignore"):                      # an infinite ratio weighs 0, its limit
            ratio = d2[rest] / d2[rest].min(axis=1, keepdims=True)
            w = ratio ** (-1.0 / (m - 1.0))
        u[rest] = w / w.sum(axis=1, keepdims=True)
    return u
