"""Customer segmentation: every axis and method fitted once, all its tables in one long table.

Thin adapter: axes, methods and settings come from config.meta in
_customers__models.yml; all maths lives in cluster_marts.adapters.customers.
Each fit runs on a seeded sample of fit_sample_size customers and scores every
customer; progress (axis, method, k, seconds) shows in dbt's log. The SQL views
int_customer_k_selection, int_customer_memberships, int_customer_assignments
and int_customer_fit_metrics select their rows (record_type) and columns from
this table. Incremental: it reads its previous build's cluster_memory rows, so a
segment that keeps its customers keeps its id on every (axis, method) (cluster_lineage
records each event); --full-refresh numbers the segments afresh.
"""

from cluster_marts.adapters.customers import segmentation_table
from cluster_marts.adapters.frames import to_frame
from cluster_marts.adapters.memory import current_layout, read_previous
from cluster_marts.progress import log_to_dbt


def model(dbt, session):
    # each build replaces every row (all share one fit_key); a table of older columns is replaced (current_layout)
    dbt.config(materialized="incremental", incremental_strategy="delete+insert", unique_key="fit_key")
    log_to_dbt()
    features = to_frame(dbt.ref("customer_features"))
    table = segmentation_table(features, dbt.config.get("meta"), model="int_customer_segmentation",
                               previous=read_previous(dbt, session, "customers"))
    return current_layout(dbt, session, table)
