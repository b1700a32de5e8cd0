"""Customer value on the built demo warehouse: every featured customer valued, one-order customers not
certainly alive, predicted_ltv at every snapshot, and the validation on the shop's own holdouts."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_every_featured_customer_has_a_value(query):
    value = query("select v.*, f.frequency from customer_value as v join customer_features as f using (customer_id)")
    assert len(value) == query("select count(*) as n from customer_features")["n"].iloc[0]
    assert value["model"].eq("mbgnbd_gamma_gamma").all() and value["horizon_days"].eq(365).all()
    assert value[["expected_orders", "expected_spend", "p_alive"]].notna().all().all()
    one_order = value[value["frequency"] == 1]
    assert len(one_order) > 0 and (one_order["p_alive"] < 1).all() and (one_order["expected_spend"] > 0).all()
    profile = query("select customer_id, expected_spend, p_alive from customer_profile")
    merged = profile.merge(value, on="customer_id", suffixes=("", "_value"))
    assert len(merged) == len(profile)
    assert (merged["expected_spend"] == merged["expected_spend_value"]).all()


def test_predicted_ltv_at_every_snapshot_and_the_validation_of_closed_horizons(query):
    history = query("select * from customer_value_history")
    snapshots = query("select count(*) as n from int_customer_snapshot_features")["n"].iloc[0]
    assert len(history) == snapshots and history["predicted_ltv"].notna().all()
    validation = query("select * from customer_value_validation")
    assert {90, 180} <= set(validation["horizon_days"])
    assert (validation["customers"] > 0).all()
    # the demo's orders follow the models' shape well enough: totals within 30 % at 90 days, ranks agree
    ninety = validation[validation["horizon_days"] == 90]
    assert ninety["spend_error"].abs().median() < 0.3
    assert (validation["spend_rank_correlation"] > 0.5).all()
