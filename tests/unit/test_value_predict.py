"""customer_value: every customer valued (one-order customers too), one fit for every horizon, seeded."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from value_simulation import simulate_gamma_gamma, simulate_mbgnbd

from cluster_marts.errors import InputDataError
from cluster_marts.value import MODEL_NAME, customer_value


def _history(n=1_500, seed=1):
    x, t_x, T, _ = simulate_mbgnbd((0.8, 40.0, 2.5, 4.0), n, 300.0, 0.0, seed=seed)
    return pd.DataFrame({"customer_id": [f"C{i:05d}" for i in range(n)], "repeat_days": x.astype(int),
                         "days_first_to_last": t_x, "days_since_first": T,
                         "repeat_day_value": simulate_gamma_gamma((6.0, 4.0, 15.0), x, seed=seed)})


def test_every_customer_is_valued_at_every_horizon():
    history = _history()
    value = customer_value(history, (90, 365), random_state=0)
    assert len(value) == 2 * len(history)
    assert value["model"].eq(MODEL_NAME).all()
    assert value[["expected_orders", "expected_spend", "p_alive", "expected_avg_order_value"]].notna().all().all()
    one_order = value[value["customer_id"].isin(history.loc[history["repeat_days"] == 0, "customer_id"])]
    assert (one_order["p_alive"] < 1).all() and (one_order["expected_spend"] > 0).all()
    # the population mean value for everyone without a repeat purchase
    assert one_order["expected_avg_order_value"].nunique() == 1
    by_horizon = value.groupby("horizon_days")["expected_orders"].sum()
    assert by_horizon[90] < by_horizon[365]


def test_seeded_sample_and_not_fitted_population():
    history = _history(n=800)
    first = customer_value(history, random_state=3, sample_size=500)
    assert first.equals(customer_value(history, random_state=3, sample_size=500))
    none_repeat = history.assign(repeat_days=0, days_first_to_last=0.0, repeat_day_value=np.nan)
    empty = customer_value(none_repeat)
    assert empty["model"].eq("not_fitted").all() and empty["expected_spend"].isna().all()
    with pytest.raises(InputDataError, match="repeat_day_value"):
        customer_value(history.drop(columns="repeat_day_value"))
