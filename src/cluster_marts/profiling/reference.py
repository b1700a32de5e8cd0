"""Scoring rows in a stored FCM reference model: the formula the snapshot SQL mirrors.

:func:`score_memberships` is the numpy reference of the SQL scoring of the
membership snapshots (the reference model itself is fitted and published by
:mod:`cluster_marts.adapters.customers.reference`).  The membership formula is
:func:`cluster_marts.algorithms.fcm.fcm_memberships`, the one Python copy; its one
SQL copy is the macro ``fcm_memberships`` (``macros/fcm_memberships.sql``).

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

from cluster_marts.algorithms.fcm import fcm_memberships

__all__ = ["score_memberships"]


def score_memberships(X: np.ndarray, centers_scaled: np.ndarray, scaler_center: np.ndarray | float,
                      scaler_scale: np.ndarray | float, m: float) -> np.ndarray:
    """FCM memberships of raw rows in a stored reference model: the reference of the SQL scoring.

    ``xs = (x - scaler_center) / scaler_scale``, ``d_j = ||xs - center_j||``, then the one membership
    formula :func:`~cluster_marts.algorithms.fcm.fcm_memberships` (``u_j = 1 / sum_l (d_j / d_l)**(2/(m-1))``;
    a row sitting exactly on a centre is one-hot on the first such centre).  The SQL twin is the macro
    ``fcm_memberships`` (``macros/fcm_memberships.sql``) that ``int_customer_snapshot_memberships`` calls; it
    stores row ``i`` of the result as one list per customer, axis and snapshot (position ``segment_id + 1``).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Raw (unscaled) feature values, columns in the axis's feature order.
    centers_scaled : ndarray of shape (k, n_features)
        Centres in scaled space (``center_scaled`` of the reference model, by segment id).
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
    return fcm_memberships(np.sqrt(d2), m)
