"""Fuzzy c-means of cluster_marts.algorithms.fcm, cross-checked against scikit-fuzzy."""

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment
from sklearn.datasets import make_blobs

from cluster_marts.algorithms.fcm import (
    _one_run,
    fcm_centers,
    fcm_memberships,
    fit_fcm,
    partition_coefficient,
    partition_entropy,
)

X_BLOBS, _ = make_blobs(n_samples=300, centers=3, cluster_std=0.8, random_state=7)


def test_matches_scikit_fuzzy_on_blobs():
    skfuzzy = pytest.importorskip("skfuzzy")
    state = np.random.get_state()  # skfuzzy seeds the global RNG: leave it as we found it
    try:
        # skfuzzy wants features x samples and returns u as clusters x samples
        cntr, u_sk, _, _, _, _, fpc = skfuzzy.cluster.cmeans(X_BLOBS.T, 3, 2.0, error=1e-10, maxiter=2000, seed=0)
    finally:
        np.random.set_state(state)
    ours = fit_fcm(X_BLOBS, 3, m=2.0, tol=1e-10, max_iter=2000, random_state=0)
    assert ours.converged
    assert ours.centers.shape == cntr.shape == (3, 2)
    cost = np.linalg.norm(ours.centers[:, None, :] - cntr[None, :, :], axis=2)
    rows, cols = linear_sum_assignment(cost)
    np.testing.assert_allclose(ours.centers[rows], cntr[cols], atol=1e-3)
    np.testing.assert_allclose(ours.u[:, rows], u_sk.T[:, cols], atol=1e-3)
    assert partition_coefficient(ours.u) == pytest.approx(fpc, abs=1e-6)


def test_memberships_rows_sum_to_one():
    fit = fit_fcm(X_BLOBS, 4, random_state=3)
    np.testing.assert_allclose(fit.u.sum(axis=1), 1.0, atol=1e-9)
    assert (fit.u >= 0).all()
    assert fit.n_iter >= 1


def test_point_on_a_centre_gets_a_one_hot_row():
    centers = np.array([[0.0, 0.0], [3.0, 4.0]])
    X = np.array([[3.0, 4.0], [1.5, 2.0], [0.0, 0.0]])
    d = np.linalg.norm(X[:, None, :] - centers[None, :, :], axis=2)
    with np.errstate(all="raise"):  # no division by zero, no invalid value
        u = fcm_memberships(d, 2.0)
    np.testing.assert_array_equal(u[0], [0.0, 1.0])
    np.testing.assert_array_equal(u[2], [1.0, 0.0])
    np.testing.assert_allclose(u[1], [0.5, 0.5])


def test_membership_formula_by_hand():
    # d = (1, 2), m = 2: u_1 = 1 / (1 + (1/2)^2) = 0.8
    np.testing.assert_allclose(fcm_memberships(np.array([[1.0, 2.0]]), 2.0), [[0.8, 0.2]])
    # m = 3 -> exponent 1: u_1 = 1 / (1 + 1/2) = 2/3
    np.testing.assert_allclose(fcm_memberships(np.array([[1.0, 2.0]]), 3.0), [[2 / 3, 1 / 3]])


def test_memberships_stay_finite_for_m_close_to_one():
    d = np.array([[1e-3, 5.0, 9.0], [4.0, 4.0, 1e3]])
    u = fcm_memberships(d, 1.01)  # exponent 200: naive powers would overflow
    assert np.isfinite(u).all()
    np.testing.assert_allclose(u.sum(axis=1), 1.0, atol=1e-12)


def test_centres_are_weighted_means():
    X = np.array([[0.0], [2.0]])
    u = np.array([[1.0, 0.0], [0.5, 0.5]])
    # m = 2: weights (1, 0.25) and (0, 0.25)
    np.testing.assert_allclose(fcm_centers(X, u, 2.0), [[0.5 / 1.25], [2.0]])


def test_partition_coefficient_and_entropy_by_hand():
    u = np.array([[1.0, 0.0], [0.5, 0.5], [0.8, 0.2]])
    assert partition_coefficient(u) == pytest.approx((1.0 + 0.5 + 0.68) / 3)
    expected_pe = -(2 * 0.5 * np.log(0.5) + 0.8 * np.log(0.8) + 0.2 * np.log(0.2)) / 3  # 0 log 0 = 0
    assert partition_entropy(u) == pytest.approx(expected_pe)
    assert partition_entropy(u) == pytest.approx(0.3978501)


@pytest.mark.parametrize("m", [1.0, 0.5])
def test_fuzzifier_must_exceed_one(m):
    with pytest.raises(ValueError, match="m must be > 1"):
        fit_fcm(X_BLOBS, 3, m=m)


def test_restarts_keep_the_lowest_objective_and_are_seeded():
    one = fit_fcm(X_BLOBS, 3, n_init=1, random_state=5)
    three = fit_fcm(X_BLOBS, 3, n_init=3, random_state=5)
    assert three.objective <= one.objective + 1e-9
    again = fit_fcm(X_BLOBS, 3, n_init=3, random_state=5)
    np.testing.assert_array_equal(three.u, again.u)


def test_tolerance_does_not_grow_with_n():
    # the same data and start repeated 50x must stop at the same iteration (a norm over all rows would not)
    u0 = np.random.default_rng(0).dirichlet(np.ones(3), size=X_BLOBS.shape[0])
    small = _one_run(X_BLOBS, u0, 2.0, 500, 1e-6)
    big = _one_run(np.tile(X_BLOBS, (50, 1)), np.tile(u0, (50, 1)), 2.0, 500, 1e-6)
    assert small.converged and big.converged
    assert big.n_iter == small.n_iter
