"""Reference segment space of the membership snapshots: one FCM fit per axis.

Fitted on the customer features as of the reference date and stored as a
table (scaler parameters and centres), so every snapshot is scored in SQL in
the same segment space. Thin adapter over cluster_marts.profiling.reference.
"""

from cluster_marts.adapters.customers.reference import reference_model


def model(dbt, session):
    dbt.config(materialized="table")
    features = dbt.ref("int_customer_reference_features").df()
    return reference_model(features, dbt.config.get("meta"), model="int_customer_reference_model")
