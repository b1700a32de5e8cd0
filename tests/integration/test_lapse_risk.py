"""Lapse risk on the demo, judged over the whole population against the planted lapsers
(demo_truth_drift), and the score against days-since-last-order on snapshots whose outcome is known."""

from __future__ import annotations

import pytest
from sklearn.metrics import roc_auc_score

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def risk(query, raw_dir):
    return query(f"""
        select risk.*, coalesce(truth.is_drifter, false) as planted
        from customer_lapse_risk as risk
        left join '{raw_dir / "demo_truth_drift.parquet"}' as truth using (customer_id)
    """)


def test_who_is_slipping_now_finds_the_planted_lapsers_among_all_customers(risk, query):
    latest = risk[risk["snapshot_date"] == risk["snapshot_date"].max()]
    assert len(latest) == query("select count(*) as n from customer_features")["n"].iloc[0]
    flagged, planted = latest["is_lapsing"], latest["planted"]
    precision = (flagged & planted).sum() / flagged.sum()
    recall = (flagged & planted).sum() / planted.sum()
    assert planted.sum() == 60
    assert precision >= 0.8 and recall >= 0.8, (precision, recall)
    # the recipe's order: the flagged customers ranked by their score
    assert latest.loc[flagged, "reason"].str.startswith("broke their rhythm: ").all()
    assert not latest.loc[latest["frequency"] == 1, "is_lapsing"].any()


def test_the_score_ranks_lapses_better_than_recency_on_every_snapshot_with_a_known_outcome(risk, query):
    outcomes = query("select customer_id, snapshot_type, snapshot_date, lapsed from int_customer_lapse_outcomes")
    known = risk.merge(outcomes, on=["customer_id", "snapshot_type", "snapshot_date"])
    fitted = known[known["score_method"] == "fitted"]
    assert fitted["snapshot_date"].nunique() >= 3
    for date, rows in fitted.groupby("snapshot_date"):
        ours = roc_auc_score(rows["lapsed"], rows["lapse_score"])
        recency = roc_auc_score(rows["lapsed"], rows["recency_days"])
        assert ours >= recency, (date, ours, recency)
        # calibrated: the mean score is close to the share that did not order
        assert abs(rows["lapse_score"].mean() - rows["lapsed"].mean()) < 0.1, date


def test_each_snapshot_is_scored_by_a_model_of_outcomes_known_by_then(query):
    check = query("""
        with features as (
            select distinct snapshot_type, snapshot_date, as_of_at from int_customer_snapshot_features
        ),
        known as (
            select features.snapshot_type, features.snapshot_date, count(outcomes.customer_id) as n_known
            from features
            left join int_customer_lapse_outcomes as outcomes
                on outcomes.snapshot_type = features.snapshot_type and outcomes.outcome_known_at <= features.as_of_at
            group by all
        ),
        scores as (
            select snapshot_type, cast(snapshot_date as date) as snapshot_date,
                   min(n_training_rows) as lo, max(n_training_rows) as hi
            from int_customer_lapse_scores group by all
        )
        select * from known join scores using (snapshot_type, snapshot_date)
    """)
    assert len(check) >= 6
    assert (check["lo"] == check["hi"]).all()
    assert (check["hi"] == check["n_known"].clip(upper=200_000)).all()
