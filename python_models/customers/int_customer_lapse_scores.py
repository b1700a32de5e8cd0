"""Lapse score of every customer at every snapshot: P(no order in the next horizon_days).

Thin adapter over cluster_marts.lapse.score_snapshots: each snapshot is scored by
a logistic model fitted on the earlier snapshots whose outcome was known by
then (int_customer_lapse_outcomes), on the customer's cadence and the drift of
their activity-axis memberships (customer_drift_timeline). Settings in
config.meta of _customers__models.yml.
"""

from cluster_marts.adapters.frames import to_frame
from cluster_marts.lapse import score_snapshots
from cluster_marts.progress import log_to_dbt

FEATURES = ("customer_id, snapshot_type, snapshot_date, as_of_at, frequency, recency_days, tenure_days, "
            "usual_gap_days, avg_interpurchase_days, std_interpurchase_days, orders_last_90_days")


def model(dbt, session):
    dbt.config(materialized="table")
    log_to_dbt()
    meta = dbt.config.get("meta")
    features = dbt.ref("int_customer_snapshot_features").project(FEATURES)
    drift = (dbt.ref("customer_drift_timeline")
             .filter(f"axis = '{meta['drift_axis']}'")
             .project("customer_id, snapshot_type, snapshot_date, coalesce(drift_score, 0) as activity_drift"))
    # joined and sorted in the warehouse (which spills), so Python holds one frame of the snapshots
    keys = "customer_id, snapshot_type, snapshot_date"
    return score_snapshots(to_frame(features.join(drift, keys, how="left").order(keys)),
                           to_frame(dbt.ref("int_customer_lapse_outcomes")), meta, model="int_customer_lapse_scores")
