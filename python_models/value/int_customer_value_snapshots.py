"""Expected orders and spend of every customer at every snapshot of this run, at each validation horizon.

Thin adapter over cluster_marts.value.customer_value, one fit per snapshot on the histories known at that
snapshot (int_customer_snapshot_value_histories): no snapshot's figures see an order after it. Horizons:
var customer_value_horizon_days (predicted_ltv, customer_value_history) and var
customer_value_validation_horizons (customer_value_validation). Settings in config.meta of
_value__models.yml.
"""

import pyarrow as pa

from cluster_marts.adapters.frames import to_frame
from cluster_marts.progress import log_to_dbt
from cluster_marts.value import customer_value

KEYS = ["snapshot_type", "snapshot_date", "customer_id"]


def model(dbt, session):
    dbt.config(materialized="table")
    log_to_dbt()
    meta = dbt.config.get("meta")
    horizons = sorted({float(meta["horizon_days"]), *(float(h) for h in meta["validation_horizons"])})
    history = to_frame(dbt.ref("int_customer_snapshot_value_histories")).drop(columns=["total_spend"])
    history = history.sort_values(KEYS, kind="stable").reset_index(drop=True)
    # one snapshot's figures at a time, each turned into Arrow before the next (no pandas concat of them all)
    parts = [pa.Table.from_pandas(
        customer_value(rows.reset_index(drop=True), horizons, random_state=int(meta["random_state"]),
                       sample_size=int(meta["sample_size"]), model="int_customer_value_snapshots"),
        preserve_index=False) for _, rows in history.groupby(["snapshot_type", "as_of_at"], sort=True)]
    if not parts:  # no snapshot: no rows, the columns still typed
        return customer_value(history, horizons, model="int_customer_value_snapshots")
    return pa.concat_tables(parts)
