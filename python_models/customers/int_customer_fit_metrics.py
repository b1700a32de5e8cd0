"""Customer segmentation: fit metrics and parameters per axis and method.

Thin adapter: axes, methods and settings come from config.meta in
_customers__models.yml; all maths lives in cluster_marts.adapters.customers.
"""

from cluster_marts.adapters.customers import segment_fit_metrics


def model(dbt, session):
    dbt.config(materialized="table")
    features = dbt.ref("customer_features").df()
    return segment_fit_metrics(features, dbt.config.get("meta"), model="int_customer_fit_metrics")
