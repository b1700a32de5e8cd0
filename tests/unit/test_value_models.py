"""MBG/NBD and Gamma-Gamma checked independently of their code: numerical integration, a seeded simulation
of the model, planted parameters recovered, and a customer computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats
from value_simulation import simulate_gamma_gamma, simulate_mbgnbd

from cluster_marts.errors import InputDataError
from cluster_marts.value import MBGNBD, GammaGamma
from cluster_marts.value import gammagamma as gg_module

PLANTED_COUNTS = (0.8, 40.0, 2.5, 4.0)       # r, alpha, a, b
PLANTED_SPEND = (6.0, 4.0, 15.0)             # p, q, v


def _fitted(params, cls=MBGNBD):
    model = cls()
    for name, value in zip(("r_", "alpha_", "a_", "b_") if cls is MBGNBD else ("p_", "q_", "v_"), params):
        setattr(model, name, value)
    if cls is GammaGamma:
        model.population_mean_ = params[0] * params[2] / (params[1] - 1)
    return model


@pytest.mark.parametrize(("x", "m"), [(1, 20.0), (3, 35.5), (12, 8.25)])
def test_gamma_gamma_marginal_likelihood_is_the_integral_over_the_latent_rate(x, m):
    p, q, v = PLANTED_SPEND

    def joint(nu):
        # the mean of x gamma(p, nu) values: x times the density of their sum, gamma(p x, nu), at x m
        return x * stats.gamma.pdf(x * m, p * x, scale=1.0 / nu) * stats.gamma.pdf(nu, q, scale=1.0 / v)

    integral, _ = integrate.quad(joint, 0.0, np.inf, limit=200)
    assert gg_module.log_likelihood(PLANTED_SPEND, np.array([x]), np.array([m]))[0] == pytest.approx(
        math.log(integral), abs=1e-6)


def test_mbgnbd_expected_purchases_match_a_simulation_of_the_model():
    T, horizon = 200.0, 180.0
    x, t_x, T_, holdout = simulate_mbgnbd(PLANTED_COUNTS, 6_000, T, horizon, seed=3)
    expected = _fitted(PLANTED_COUNTS).expected_purchases(horizon, x, t_x, T_)
    assert expected.sum() == pytest.approx(holdout.sum(), rel=0.05)
    one_order = x == 0
    assert expected[one_order].sum() == pytest.approx(holdout[one_order].sum(), rel=0.12)
    # a new customer's mean number of repeat purchases, within three standard errors of the simulated mean
    assert _fitted(PLANTED_COUNTS).expected_purchases_new(T) == pytest.approx(
        x.mean(), abs=3 * x.std() / math.sqrt(x.size))


def test_mbgnbd_recovers_planted_parameters():
    x, t_x, T, _ = simulate_mbgnbd(PLANTED_COUNTS, 8_000, 365.0, 0.0, seed=11)
    model = MBGNBD().fit(x, t_x, T)
    assert model.converged_
    fitted = dict(zip("r alpha a b".split(), model.params_))
    assert fitted["r"] == pytest.approx(0.8, rel=0.15)
    assert fitted["alpha"] == pytest.approx(40.0, rel=0.25)
    # a and b are weakly identified one at a time; the mean dropout a / (a + b) is not
    assert fitted["a"] / (fitted["a"] + fitted["b"]) == pytest.approx(2.5 / 6.5, rel=0.2)


def test_gamma_gamma_recovers_planted_parameters():
    x = np.random.default_rng(5).integers(1, 10, 6_000).astype(float)
    m = simulate_gamma_gamma(PLANTED_SPEND, x, seed=6)
    model = GammaGamma().fit(x, m)
    assert model.p_ == pytest.approx(6.0, rel=0.15)
    assert model.population_mean_ == pytest.approx(6.0 * 15.0 / 3.0, rel=0.1)


def _hyp2f1_series(a, b, c, z, terms=2_000):
    total, term = 1.0, 1.0
    for k in range(terms):
        term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z
        total += term
    return total


def test_a_customer_computed_by_hand():
    r, alpha, a, b = 0.5, 10.0, 2.0, 3.0
    x, t_x, T, t = 2.0, 30.0, 60.0, 365.0
    model = _fitted((r, alpha, a, b))
    odds = a / (b + x) * ((alpha + T) / (alpha + t_x)) ** (r + x)          # 0.4 * 1.75^2.5
    assert odds == pytest.approx(0.4 * 1.75 ** 2.5)
    assert model.p_alive([x], [t_x], [T])[0] == pytest.approx(1 / (1 + odds))
    by_hand = ((a + b + x) / (a - 1) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x)
               * _hyp2f1_series(r + x, b + x + 1, a + b + x, t / (alpha + T + t))) / (1 + odds))
    assert model.expected_purchases(t, [x], [t_x], [T])[0] == pytest.approx(by_hand, rel=1e-9)
    # a one-order customer silent for 60 days is not certainly alive (BG/NBD would say 1)
    assert model.p_alive([0], [0], [T])[0] == pytest.approx(1 / (1 + a / b * ((alpha + T) / alpha) ** r))
    assert model.p_alive([0], [0], [T])[0] < 0.6
    spend = _fitted((6.0, 4.0, 15.0), GammaGamma)
    assert spend.expected_mean_value([3, 0], [40.0, np.nan]).tolist() == pytest.approx(
        [6.0 * (15.0 + 120.0) / (18.0 + 3.0), 6.0 * 15.0 / 3.0])


def test_fit_follows_the_estimator_api_and_refuses_what_cannot_be_fitted():
    model = MBGNBD(penalizer=0.0)
    assert model.fit([0, 1, 3], [0.0, 20.0, 50.0], [60.0, 60.0, 60.0]) is model
    with pytest.raises(InputDataError, match="no customer has a repeat"):
        MBGNBD().fit([0, 0], [0.0, 0.0], [10.0, 20.0])
    with pytest.raises(InputDataError, match="t_x exceeds T"):
        MBGNBD().fit([1], [30.0], [10.0])
    with pytest.raises(InputDataError, match="fewer than 2"):
        GammaGamma().fit([0, 1], [np.nan, 10.0])
