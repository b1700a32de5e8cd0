"""Tests of the BG/NBD model (``cluster_marts.lapse.bgnbd``) on data simulated from the model itself."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.lapse.bgnbd import BGNBD

N_CUSTOMERS = 5_000
HORIZON = 30.0
#: (r, alpha, a, b) and the range of T: a CDNOW-like set in weeks, and a slower one in days
CASES = {
    "cdnow_like": ((0.25, 4.0, 0.8, 2.5), (20.0, 40.0)),
    "days": ((1.5, 20.0, 1.2, 4.0), (100.0, 700.0)),
}


def simulate(params: tuple[float, float, float, float], T: np.ndarray, horizon: float, seed: int) -> dict:
    """Draw the BG/NBD process customer by customer (vectorised by rounds of purchases).

    Returns the calibration summary ``x, t_x, T``, the purchases in ``(T, T + horizon]`` and
    whether each customer was still alive at ``T`` (the truth the predictions are checked against).
    """
    r, alpha, a, b = params
    rng = np.random.default_rng(seed)
    n = T.size
    rate = rng.gamma(r, 1.0 / alpha, n)
    dropout = rng.beta(a, b, n)
    now, x, t_x, future = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    alive_at_T = np.ones(n, dtype=bool)
    active = np.arange(n)
    while active.size:
        now[active] += rng.exponential(1.0 / rate[active])
        ended = now[active] > T[active] + horizon
        inside = (now[active] <= T[active]) & ~ended
        later = (now[active] > T[active]) & ~ended
        x[active[inside]] += 1
        t_x[active[inside]] = now[active[inside]]
        future[active[later]] += 1
        died = ~ended & (rng.random(active.size) < dropout[active])
        alive_at_T[active[died & inside]] = False
        active = active[~ended & ~died]
    return {"x": x, "t_x": t_x, "T": T, "future": future, "alive_at_T": alive_at_T}


@pytest.fixture(scope="module", params=[(case, seed) for case in CASES for seed in (1, 2)],
                ids=lambda p: f"{p[0]}-seed{p[1]}")
def simulated(request: pytest.FixtureRequest) -> tuple[tuple[float, ...], dict, BGNBD]:
    case, seed = request.param
    params, t_range = CASES[case]
    T = np.random.default_rng(100 + seed).uniform(*t_range, N_CUSTOMERS)
    data = simulate(params, T, HORIZON, seed)
    return params, data, BGNBD().fit(data["x"], data["t_x"], data["T"])


def test_recovers_parameters(simulated) -> None:
    params, _, model = simulated
    r, alpha, a, b = params
    assert model.converged_
    assert model.r_ == pytest.approx(r, rel=0.10)
    assert model.alpha_ == pytest.approx(alpha, rel=0.10)
    # a and b are weakly identified one by one; the mean dropout probability a / (a + b) is sharp
    assert model.a_ == pytest.approx(a, rel=0.40)
    assert model.b_ == pytest.approx(b, rel=0.40)
    assert model.a_ / (model.a_ + model.b_) == pytest.approx(a / (a + b), abs=0.03)


def test_predictions_match_the_simulated_future(simulated) -> None:
    _, data, model = simulated
    history = data["x"], data["t_x"], data["T"]
    assert model.p_alive(*history).mean() == pytest.approx(data["alive_at_T"].mean(), abs=0.02)
    assert model.prob_no_purchase(HORIZON, *history).mean() == pytest.approx((data["future"] == 0).mean(), abs=0.02)
    assert model.expected_purchases(HORIZON, *history).mean() == pytest.approx(data["future"].mean(), rel=0.06)


def test_log_likelihood_matches_the_paper_formula() -> None:
    """Equation 6 of Fader, Hardie and Lee (2005) in plain arithmetic, summed over three customers."""
    model = BGNBD().fit([0, 1, 4, 2], [0.0, 5.0, 30.0, 12.0], [40.0, 40.0, 40.0, 20.0])
    r, alpha, a, b = model.params_
    beta = lambda p, q: math.gamma(p) * math.gamma(q) / math.gamma(p + q)  # noqa: E731
    total = 0.0
    for x, t_x, T in ((0, 0.0, 40.0), (1, 5.0, 40.0), (4, 30.0, 40.0), (2, 12.0, 20.0)):
        common = math.gamma(r + x) * alpha ** r / math.gamma(r)
        term = beta(a, b + x) / beta(a, b) * common / (alpha + T) ** (r + x)
        if x > 0:
            term += beta(a + 1, b + x - 1) / beta(a, b) * common / (alpha + t_x) ** (r + x)
        total += math.log(term)
    assert model.log_likelihood_ == pytest.approx(total, rel=1e-9)


def test_p_alive_is_one_exactly_for_customers_without_repeat_purchase() -> None:
    model = BGNBD().fit([0, 1, 3, 6, 0, 2], [0.0, 10.0, 50.0, 80.0, 0.0, 5.0], [90.0] * 6)
    x = np.array([0, 0, 1, 1, 5, 5])
    t_x = np.array([0.0, 0.0, 90.0, 10.0, 90.0, 30.0])
    alive = model.p_alive(x, t_x, np.full(6, 90.0))
    assert list(alive == 1.0) == [True, True, False, False, False, False]
    # a purchase at the very end still leaves the chance of having dropped out right after it
    assert alive[2] == pytest.approx(1.0 / (1.0 + model.a_ / model.b_))
    assert alive[3] < alive[2] and alive[5] < alive[4]


def test_prob_no_purchase_decreases_with_the_horizon() -> None:
    model = BGNBD().fit([0, 1, 3, 6, 0, 2], [0.0, 10.0, 50.0, 80.0, 0.0, 5.0], [90.0] * 6)
    horizons = np.array([0.0, 7.0, 30.0, 90.0, 180.0, 365.0])
    curve = np.array([model.prob_no_purchase(t, [3], [50.0], [90.0])[0] for t in horizons])
    assert curve[0] == pytest.approx(1.0)
    assert np.all(np.diff(curve) < 0)
    assert curve[-1] > 1.0 - model.p_alive([3], [50.0], [90.0])[0]        # never below the chance of being dead


@pytest.mark.parametrize(("x", "t_x", "T", "named"), [
    ([1, -1], [1.0, 0.0], [5.0, 5.0], "argument x"),
    ([1, 1], [1.0, -2.0], [5.0, 5.0], "argument t_x"),
    ([1, 1], [1.0, 2.0], [5.0, -5.0], "argument T"),
    ([1, 2], [1.0, 6.0], [5.0, 5.0], "argument t_x exceeds T"),
    ([1.5, 2], [1.0, 2.0], [5.0, 5.0], "argument x"),
    ([0, 2], [1.0, 2.0], [5.0, 5.0], "argument t_x"),
    ([1, np.nan], [1.0, 2.0], [5.0, 5.0], "argument x"),
])
def test_bad_input_names_the_argument(x, t_x, T, named) -> None:
    with pytest.raises(InputDataError, match=named):
        BGNBD().fit(x, t_x, T)


def test_unfitted_and_bad_settings_are_refused() -> None:
    with pytest.raises(SettingsError, match="call fit"):
        BGNBD().p_alive([1], [1.0], [2.0])
    with pytest.raises(SettingsError, match="penalizer"):
        BGNBD(penalizer=-1.0).fit([1], [1.0], [2.0])
    with pytest.raises(InputDataError, match="no customer has a repeat purchase"):
        BGNBD().fit([0, 0], [0.0, 0.0], [3.0, 4.0])


def test_penalizer_shrinks_towards_one() -> None:
    data = simulate(CASES["days"][0], np.random.default_rng(5).uniform(100, 700, 1_000), HORIZON, 5)
    plain = BGNBD().fit(data["x"], data["t_x"], data["T"])
    shrunk = BGNBD(penalizer=0.5).fit(data["x"], data["t_x"], data["T"])
    assert np.sum(np.log(shrunk.params_) ** 2) < np.sum(np.log(plain.params_) ** 2)


def test_cross_check_with_pymc_marketing() -> None:
    """Same data, pymc-marketing's BetaGeoModel fitted by MAP (weak default priors): close parameters.

    Skipped where pymc-marketing is not installed (it is not a dependency of the package).
    """
    clv = pytest.importorskip("pymc_marketing.clv")
    pd = pytest.importorskip("pandas")
    params, t_range = CASES["days"]
    data = simulate(params, np.random.default_rng(101).uniform(*t_range, N_CUSTOMERS), HORIZON, 1)
    ours = BGNBD().fit(data["x"], data["t_x"], data["T"])
    frame = pd.DataFrame({"customer_id": np.arange(N_CUSTOMERS), "frequency": data["x"],
                          "recency": data["t_x"], "T": data["T"]})
    theirs = clv.BetaGeoModel(data=frame)
    theirs.fit(fit_method="map", progressbar=False)
    summary = theirs.fit_summary()
    for name, value in zip(("r", "alpha", "a", "b"), ours.params_):
        assert value == pytest.approx(float(summary[name]), rel=0.05), name
