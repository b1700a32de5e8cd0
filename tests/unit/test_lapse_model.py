"""Lapse score engine: calibrated on planted outcomes, and point in time (no snapshot's score depends on an
outcome that was not known at that snapshot)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from cluster_marts.errors import SettingsError
from cluster_marts.lapse import LapseModel, score_snapshots


def _customers(n: int, seed: int, as_of: str = "2026-01-31") -> pd.DataFrame:
    """Customers ordering as a Poisson process at their own pace; the truth: still ordering or stopped."""
    rng = np.random.default_rng(seed)
    gap = rng.gamma(2.0, 15.0, n) + 1.0
    frequency = rng.integers(2, 40, n)
    stopped = rng.random(n) < 0.4
    # an active customer's silence is exponential at their pace; a stopped one has been silent for many gaps
    recency = np.where(stopped, gap * rng.uniform(1.0, 8.0, n), rng.exponential(gap))
    return pd.DataFrame({
        "customer_id": [f"C{i}" for i in range(n)], "snapshot_type": "monthly",
        "snapshot_date": pd.Timestamp(as_of), "as_of_at": pd.Timestamp(as_of) + pd.Timedelta(days=1),
        "frequency": frequency, "recency_days": recency, "tenure_days": gap * frequency + recency,
        "usual_gap_days": gap, "avg_interpurchase_days": gap, "std_interpurchase_days": gap * rng.uniform(0.5, 1.2, n),
        "orders_last_90_days": np.maximum(0, (90 - recency) / gap).round(), "activity_drift": 0.0,
    }), stopped, gap


@pytest.mark.parametrize("seed", [0, 7])
def test_the_score_is_calibrated_and_ranks_planted_lapsers(seed):
    train, stopped, gap = _customers(6000, seed)
    # outcome: no order in 90 days = stopped, or active and no order at their pace
    rng = np.random.default_rng(seed + 1)
    lapsed = stopped | (rng.random(len(train)) < np.exp(-90 / gap))
    model = LapseModel(random_state=seed).fit(train, lapsed)
    test, stopped_test, gap_test = _customers(4000, seed + 100)
    truth = stopped_test | (np.random.default_rng(seed + 101).random(len(test)) < np.exp(-90 / gap_test))
    score = model.predict_proba_lapse(test)
    assert roc_auc_score(truth, score) > roc_auc_score(truth, test["recency_days"]) + 0.02
    bins = pd.qcut(score, 5, labels=False)
    observed = pd.Series(truth).groupby(bins).mean().to_numpy()
    predicted = pd.Series(score).groupby(bins).mean().to_numpy()
    assert np.abs(observed - predicted).max() < 0.1  # per score quintile


def _history() -> tuple[pd.DataFrame, pd.DataFrame]:
    frames = []
    for i, date in enumerate(pd.date_range("2025-06-30", periods=6, freq="ME")):
        frame, stopped, _ = _customers(800, seed=i, as_of=str(date.date()))
        frame["lapsed_truth"] = stopped
        frames.append(frame)
    features = pd.concat(frames, ignore_index=True)
    outcomes = features[["customer_id", "snapshot_type", "snapshot_date"]].copy()
    outcomes["lapsed"] = features["lapsed_truth"].to_numpy()
    outcomes["outcome_known_at"] = features["as_of_at"] + pd.Timedelta(days=90)
    return features.drop(columns="lapsed_truth"), outcomes


def test_each_snapshot_is_scored_only_from_outcomes_known_at_that_snapshot():
    features, outcomes = _history()
    scored = score_snapshots(features, outcomes)
    dates = sorted(features["snapshot_date"].unique())
    # windows of 90 days: the first three month ends know no outcome yet, then one more each month
    assert scored.groupby("snapshot_date")["n_training_rows"].first().tolist() == [0, 0, 0, 800, 1600, 2400]
    # before any outcome is known the score is BG/NBD's, fitted on the snapshot alone: it ranks the stopped
    early = scored[scored["n_training_rows"] == 0].merge(outcomes, on=["customer_id", "snapshot_type", "snapshot_date"])
    assert set(early["score_method"]) == {"bgnbd"}
    assert early["lapse_score"].between(0, 1).all()
    assert roc_auc_score(early["lapsed"], early["lapse_score"]) > 0.7
    # flipping every outcome not yet known at the fifth snapshot leaves its scores (and earlier ones) unchanged
    unknown = outcomes["outcome_known_at"] > features.loc[features["snapshot_date"] == dates[4], "as_of_at"].iloc[0]
    flipped = outcomes.assign(lapsed=np.where(unknown, ~outcomes["lapsed"], outcomes["lapsed"]))
    again = score_snapshots(features, flipped)
    upto = scored["snapshot_date"] <= dates[4]
    np.testing.assert_array_equal(again.loc[upto, "lapse_score"], scored.loc[upto, "lapse_score"])
    assert not np.allclose(again.loc[~upto, "lapse_score"], scored.loc[~upto, "lapse_score"])


@pytest.mark.parametrize(("param", "value"), [("horizon_days", 0), ("C", -1.0), ("max_training_rows", 5)])
def test_bad_parameters_are_named(param, value):
    features, outcomes = _history()
    with pytest.raises(SettingsError, match=param):
        LapseModel(**{param: value}).fit(features, outcomes["lapsed"])


def test_without_a_bgnbd_fit_the_first_snapshots_get_the_cadence_prior(monkeypatch):
    import cluster_marts.lapse.scoring as scoring

    features, outcomes = _history()
    monkeypatch.setattr(scoring, "bgnbd_no_order", lambda rows, horizon, seed: np.full(len(rows), np.nan))
    scored = scoring.score_snapshots(features, outcomes)
    prior = scored[scored["score_method"] == "cadence_prior"]
    assert prior["snapshot_date"].nunique() == 3
    merged = prior.merge(features, on=["customer_id", "snapshot_type", "snapshot_date"])
    np.testing.assert_allclose(merged["lapse_score"], np.exp(-90 / merged["usual_gap_days"]))


def _labelled(seed: int, signal: str) -> pd.DataFrame:
    """Six monthly snapshots with known outcomes. ``signal = "drift"``: lapsing follows the activity drift,
    which BG/NBD cannot see; ``"bgnbd"``: it follows the BG/NBD probability, and in the first five snapshots
    (not the last, the validation one) also a recency pattern that does not hold forward."""
    rng = np.random.default_rng(seed)
    frames = []
    for i, date in enumerate(pd.date_range("2025-06-30", periods=6, freq="ME")):
        frame, _, _ = _customers(1500, seed=seed * 10 + i, as_of=str(date.date()))
        p = rng.uniform(0.05, 0.95, len(frame))
        frame["bgnbd_no_order"] = p
        frame["activity_drift"] = rng.random(len(frame))
        if signal == "drift":
            frame["lapsed"] = rng.random(len(frame)) < 0.1 + 0.8 * frame["activity_drift"]
        else:
            lapsed = rng.random(len(frame)) < p
            spurious = i < 5
            frame["recency_days"] = np.where(lapsed == spurious, 5.0, 200.0) * rng.uniform(0.5, 1.5, len(frame))
            frame["lapsed"] = lapsed
        frame["outcome_known_at"] = frame["as_of_at"] + pd.Timedelta(days=90)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize(("signal", "expected"), [("drift", "all"), ("bgnbd", "bgnbd")])
def test_the_inputs_are_chosen_on_the_latest_closed_snapshot(seed, signal, expected):
    from cluster_marts.lapse import choose_inputs

    labelled = _labelled(seed, signal)
    # 4 months after the last snapshot: its outcome (the validation one) and all earlier ones are known
    chosen, auc = choose_inputs(labelled, labelled["as_of_at"].max() + pd.Timedelta(days=120))
    assert chosen == expected
    assert auc > (0.7 if signal == "drift" else 0.6)
    # with nothing known before the validation snapshot there is nothing to fit on: the fewer inputs
    first = labelled[labelled["snapshot_date"] == labelled["snapshot_date"].min()]
    assert choose_inputs(first, first["as_of_at"].max() + pd.Timedelta(days=120)) == ("bgnbd", pytest.approx(np.nan,
                                                                                                          nan_ok=True))


def test_fixed_inputs_skip_the_choice_and_unknown_ones_are_named():
    features, outcomes = _history()
    scored = score_snapshots(features, outcomes, {"inputs": "all"})
    fitted = scored[scored["score_method"] == "fitted"]
    assert set(fitted["score_inputs"]) == {"all"} and fitted["validation_auc"].isna().all()
    with pytest.raises(SettingsError, match="inputs must be choose or one of all, bgnbd"):
        score_snapshots(features, outcomes, {"inputs": "everything"})
    with pytest.raises(SettingsError, match="lapse inputs must be a non-empty subset"):
        LapseModel(inputs=("log_recency", "shoe_size")).fit(features, outcomes["lapsed"])


def test_the_scores_do_not_depend_on_the_order_the_rows_arrive_in():
    features, outcomes = _history()
    scored = score_snapshots(features, outcomes)
    shuffled = score_snapshots(features.sample(frac=1.0, random_state=3), outcomes.sample(frac=1.0, random_state=4))
    np.testing.assert_array_equal(shuffled["lapse_score"].to_numpy(), scored["lapse_score"].to_numpy())
    assert shuffled[["customer_id", "snapshot_date"]].equals(scored[["customer_id", "snapshot_date"]])
