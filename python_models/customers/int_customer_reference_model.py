"""Reference segment space of the membership snapshots: one FCM fit per axis.

Fitted (on a seeded sample of fit_sample_size customers) on the customer
features as of the reference date and stored as rows (scaler parameters and
centres), so every snapshot is scored in SQL in the same segment space. Thin
adapter over cluster_marts.adapters.customers.reference. Incremental: it reads
its previous build's cluster_memory rows, so a reference segment that keeps
its customers keeps its id (cluster_lineage records each event, domain
customer_reference); --full-refresh numbers the segments afresh. Read it
through customer_reference_model (the `reference` rows).
"""

from cluster_marts.adapters.customers.reference import REFERENCE_DOMAIN, reference_table
from cluster_marts.adapters.frames import to_frame
from cluster_marts.adapters.memory import current_layout, read_previous
from cluster_marts.progress import log_to_dbt


def model(dbt, session):
    # each build replaces every row (all share one fit_key); a table of older columns is replaced (current_layout)
    dbt.config(materialized="incremental", incremental_strategy="delete+insert", unique_key="fit_key")
    log_to_dbt()
    features = to_frame(dbt.ref("int_customer_reference_features"))
    table = reference_table(features, dbt.config.get("meta"), model="int_customer_reference_model",
                            previous=read_previous(dbt, session, REFERENCE_DOMAIN))
    return current_layout(dbt, session, table)
