"""DFU clustering: one fit, every table of it in one long table, cluster ids kept from the previous build.

Thin adapter: settings come from config.meta in _demand__models.yml; all maths lives in
cluster_marts.adapters.clustering (the one fit pipeline, cluster_marts.fitting).
Incremental: the previous build's cluster memory (its own rows) is read back, so
a cluster that keeps its members keeps its id; --full-refresh numbers them afresh (dbt's
log says which).
The SQL views int_dfu_k_selection, int_dfu_clusters, int_dfu_centroids and
int_dfu_scaler_params select their rows; cluster_lineage reads the lineage rows.
"""

from cluster_marts.adapters.clustering import clustering_table
from cluster_marts.adapters.frames import to_frame
from cluster_marts.adapters.memory import current_layout, read_previous
from cluster_marts.progress import log_to_dbt


def model(dbt, session):
    # each build replaces every row (all share one fit_key); a table of older columns is replaced (current_layout)
    dbt.config(materialized="incremental", incremental_strategy="delete+insert", unique_key="fit_key")
    log_to_dbt()
    features = to_frame(dbt.ref("dfu_features"))
    table = clustering_table(features, dbt.config.get("meta"), read_previous(dbt, session, "demand"),
                              model="int_dfu_clustering", domain="demand")
    return current_layout(dbt, session, table)
