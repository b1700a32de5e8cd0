"""Customer segmentation: every axis and method fitted once, all its tables in one long table.

Thin adapter: axes, methods and settings come from config.meta in
_customers__models.yml; all maths lives in cluster_marts.adapters.customers.
The SQL models int_customer_k_selection, int_customer_memberships,
int_customer_assignments and int_customer_fit_metrics select their rows
(record_type) and columns from this table.
"""

from cluster_marts.adapters.customers import segmentation_table


def model(dbt, session):
    dbt.config(materialized="table")
    features = dbt.ref("customer_features").df()
    return segmentation_table(features, dbt.config.get("meta"), model="int_customer_segmentation")
