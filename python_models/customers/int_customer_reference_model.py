"""Reference segment space of the membership snapshots: one FCM fit per axis.

Fitted (on a seeded sample of fit_sample_size customers) on the customer
features as of the reference date and stored as a
table (scaler parameters and centres), so every snapshot is scored in SQL in
the same segment space. Thin adapter over cluster_marts.profiling.reference.
"""

from cluster_marts.adapters.customers.reference import reference_model
from cluster_marts.adapters.frames import to_frame
from cluster_marts.progress import log_to_dbt


def model(dbt, session):
    dbt.config(materialized="table")
    log_to_dbt()
    features = to_frame(dbt.ref("int_customer_reference_features"))
    return reference_model(features, dbt.config.get("meta"), model="int_customer_reference_model")
