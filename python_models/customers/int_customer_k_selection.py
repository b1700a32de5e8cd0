"""Customer segmentation: k-selection per axis and method (balance-aware).

Thin adapter: axes, methods and settings come from config.meta in
_customers__models.yml; all maths lives in cluster_marts.adapters.customers.
"""

from cluster_marts.adapters.customers import segment_k_selection


def model(dbt, session):
    dbt.config(materialized="table")
    features = dbt.ref("customer_features").df()
    return segment_k_selection(features, dbt.config.get("meta"), model="int_customer_k_selection")
