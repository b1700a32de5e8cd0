"""Expected orders and spend of every customer over var customer_value_horizon_days, at the as-of date.

Thin adapter over cluster_marts.value.customer_value: MBG/NBD (purchase days, p_alive) and Gamma-Gamma
(value of a purchase day) fitted on the customers' own histories (int_customer_value_histories). Settings
in config.meta of _value__models.yml. Read it through customer_value.
"""

from cluster_marts.adapters.frames import to_frame
from cluster_marts.progress import log_to_dbt
from cluster_marts.value import customer_value


def model(dbt, session):
    dbt.config(materialized="table")
    log_to_dbt()
    meta = dbt.config.get("meta")
    history = to_frame(dbt.ref("int_customer_value_histories")).drop(columns=["total_spend"])
    history = history.sort_values("customer_id", kind="stable").reset_index(drop=True)
    return customer_value(history, (float(meta["horizon_days"]),), random_state=int(meta["random_state"]),
                          sample_size=int(meta["sample_size"]), model="int_customer_value")
