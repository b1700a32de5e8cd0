"""Customer segmentation: soft memberships per customer, axis, method and segment.

Thin adapter: axes, methods and settings come from config.meta in
_customers__models.yml; all maths lives in cluster_marts.adapters.customers.
"""

from cluster_marts.adapters.customers import segment_memberships


def model(dbt, session):
    dbt.config(materialized="table")
    features = dbt.ref("customer_features").df()
    return segment_memberships(features, dbt.config.get("meta"), model="int_customer_memberships")
