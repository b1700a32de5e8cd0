"""Segment names on a second, differently built orders generator, and names that hold when a month is added.

The same first builds also check the category breadth axis against the generator's planted category
specialists (:func:`benchmarks.lapse_generator.category_specialists`).

The lapse evaluation's generator (``benchmarks.lapse_generator``: day-by-day Poisson orders, weekly and
yearly seasonality, personas one_shot, sporadic, monthly, weekly, gifter) writes 2,000 customers per
seed. Per seed: a build of the customer segments on the orders before the last month, then a second
build into the same warehouse with every order. On the first build the engagement names are read
against the planted personas; across the builds, customers without an order in the added month must
keep their engagement segment's name and id (the ids are kept by the fit, the names recomputed from
the kept segments' centres).

The names' ARI is not held to the demo's 0.8 here: this generator draws each customer's rate from a gamma
(coefficient of variation 0.58), so sporadic, monthly and weekly customers overlap on every engagement
feature, and a supervised classifier trained on the planted answers (5-fold cross-validated) reaches an ARI
of only about 0.65 on the engagement features against the names the personas mean. The test prints both
figures and asserts what the personas do allow: every one-shot customer is named one_time, the majority
names, and (almost) no weekly customer is named one_time.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import planted
import pytest
from conftest import PROJECT_ROOT, run_dbt
from sklearn.metrics import adjusted_rand_score

from benchmarks.lapse_generator import write

pytestmark = pytest.mark.integration
#: the personas the engagement features set apart, and the names the rules mean for them (sporadic and
#: gifting customers order a few times a year: the fit keeps them with the one-shot buyers)
PERSONA_NAMES = {"one_shot": "one_time", "monthly": "active_hobbyist", "weekly": "super_engaged"}
#: every planted persona -> the engagement name the rules mean for it (sporadic and gifting customers share one)
MEANT_NAMES = PERSONA_NAMES | {"sporadic": "occasional", "gifter": "occasional"}
ENGAGEMENT_FEATURES = ["log_frequency", "log_monetary", "orders_per_month"]
MIN_ONE_SHOT_NAMED_ONE_TIME = 0.95
MAX_WEEKLY_NAMED_ONE_TIME = 0.02  # a weekly customer planted to lapse early can look like a one-off buyer
MIN_KEPT_SHARE = 0.9
BUILD = ["build", "-s", "+customer_segments", "--exclude-resource-type", "test", "--exclude-resource-type",
         "unit_test"]


def _engagement(db) -> pd.DataFrame:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.sql("select customer_id, segment_id, segment_name from customer_segments "
                       "where axis = 'engagement' and method = 'fcm'").df()


@pytest.mark.parametrize("seed", [7, 3])
def test_names_on_a_second_generator_hold_across_builds(seed, tmp_path):
    raw = write(tmp_path / "raw", n_customers=2_000, seed=seed)
    orders = pd.read_parquet(raw / "customer_orders.parquet")
    month_start = orders["ordered_at"].max().to_period("M").start_time
    orders[orders["ordered_at"] < month_start].to_parquet(raw / "orders_before.parquet", index=False)
    db = tmp_path / "warehouse.duckdb"

    first = run_dbt(BUILD, db=db, project_dir=PROJECT_ROOT, raw=raw, tmp=tmp_path,
                    dbt_vars={"customer_orders_path": str(raw / "orders_before.parquet")})
    assert first.returncode == 0, first.stdout[-4000:]
    with duckdb.connect(str(db), read_only=True) as con:
        query = lambda sql: con.sql(sql).df()  # noqa: E731
        truth = pd.read_parquet(raw / "lapse_truth.parquet")
        truth = truth[truth["customer_id"].isin(query("select customer_id from customer_features")["customer_id"])]
        ari, majority, n_names = planted.name_recovery(query, truth)
        ceiling = planted.supervised_name_ceiling(query, truth, MEANT_NAMES, ENGAGEMENT_FEATURES)
        specialists = {method: planted.specialist_recovery(query, truth, method) for method in planted.DEFAULT_METHODS}
    # the generator's own category specialists (95 % of their orders in one favourite category)
    for method, (specialist_ari, specialists_named) in specialists.items():
        print(f"seed {seed}: ARI({method} {planted.BREADTH_AXIS} segments, planted specialists) = "
              f"{specialist_ari:.3f}; named {specialists_named:.1%}")
    for specialist_ari, specialists_named in specialists.values():
        assert specialist_ari >= planted.MIN_SPECIALIST_ARI and specialists_named >= planted.MIN_SPECIALISTS_NAMED
    before = _engagement(db)
    named = before.merge(truth, on="customer_id")
    base = named["segment_name"].str.replace(r"_[0-9]+$", "", regex=True)
    meant_ari = adjusted_rand_score(named["persona"].map(MEANT_NAMES), base)
    print(f"seed {seed}: ARI(engagement names, personas) = {ari:.3f}, against the meant names {meant_ari:.3f} "
          f"(supervised ceiling {ceiling:.3f}); {n_names} names; majority {majority}")
    assert n_names >= 4
    assert {persona: majority[persona] for persona in PERSONA_NAMES} == PERSONA_NAMES
    assert (base[named["persona"] == "one_shot"] == "one_time").mean() >= MIN_ONE_SHOT_NAMED_ONE_TIME
    assert (base[named["persona"] == "weekly"] == "one_time").mean() <= MAX_WEEKLY_NAMED_ONE_TIME

    second = run_dbt(BUILD, db=db, project_dir=PROJECT_ROOT, raw=raw, tmp=tmp_path)
    assert second.returncode == 0, second.stdout[-4000:]
    after = _engagement(db)
    quiet = set(orders["customer_id"]) - set(orders.loc[orders["ordered_at"] >= month_start, "customer_id"])
    both = before.merge(after, on="customer_id", suffixes=("_before", "_after"))
    both = both[both["customer_id"].isin(quiet)]
    kept = ((both["segment_id_before"] == both["segment_id_after"])
            & (both["segment_name_before"] == both["segment_name_after"])).mean()
    print(f"seed {seed}: {kept:.1%} of {len(both)} customers without a new order keep engagement name and id")
    assert len(both) > 1_000 and kept >= MIN_KEPT_SHARE
