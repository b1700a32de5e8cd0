"""Recovery of the demo's planted structure, measured on any built warehouse.

The demo (``cluster-marts demo``) plants provider tiers, demand archetypes,
customer personas and lapsing customers, and writes the answers in
``demo_truth_*`` files that no dbt model reads. Each function here measures
how well one warehouse recovers one of them; the thresholds are the suite's
claims. The default-seed tests (``test_*_pipeline.py``) and the second-seed
test (``test_second_seed.py``) call the same functions with the same
thresholds, so a claim is never checked only on the seed the code was tuned on.

``query`` is a function SQL -> DataFrame on the warehouse; ``raw_dir`` the
directory of the demo files it was built from.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import adjusted_rand_score
from sklearn.model_selection import cross_val_predict

Query = Callable[[str], pd.DataFrame]

MIN_PROVIDER_TIER_ARI = 0.9
MIN_DFU_LABEL_ACCURACY = 0.9
MIN_PERSONA_ARI = 0.8
#: the long-tail claim: plain silhouette leaves a segment above this share, balance + subdivision do not
MEGA_SEGMENT_SHARE = 0.6
MIN_DRIFT_PRECISION = MIN_DRIFT_RECALL = 0.8
MIN_STABLE_SHARE = 0.75

#: planted provider tier -> the segment name meant for it
TIER_SEGMENT_NAMES = {"frontier": "frontier premium", "budget": "budget",
                      "speed_focused": "performance-focused", "long_tail": "long tail"}
CUSTOMER_MAIN_AXIS = "engagement"
MIN_NAME_ARI = 0.8
#: planted demo persona -> the engagement name the rules (seeds/customer_segment_name_rules.csv) mean for it;
#: the fit puts super-engaged customers (8 orders a month) and active hobbyists (1.4) in one leaf, which the
#: frequency rule reads as active_hobbyist
DEMO_PERSONA_NAMES = {"one_time": "one_time", "occasional": "occasional", "active_hobbyist": "active_hobbyist",
                      "super_engaged": "active_hobbyist", "enterprise": "enterprise"}
#: the axes of the demo build (python_models/customers/_customers__models.yml), every one fitted by each default method
CUSTOMER_AXES = ("engagement", "value", "loyalty", "activity", "category_mix", "timing", "returns", "repeat_engagement",
                 "regularity", "momentum", "basket", "spend_volatility", "category_breadth", "seasonality")
DEFAULT_METHODS = ("fcm", "gmm")
#: the axes the snapshots follow (reference_axes of int_customer_reference_model)
REFERENCE_AXES = CUSTOMER_AXES[:7]
#: the axes fitted on a sub-population: axis -> its population (SQL over customer_features)
POPULATION_AXES = {"repeat_engagement": "frequency >= 2", "regularity": "frequency >= 3",
                   "momentum": "frequency >= 2 and tenure_days >= 180", "spend_volatility": "frequency >= 3",
                   "category_breadth": "frequency >= 6", "seasonality": "frequency >= 4 and tenure_days >= 365"}
#: the axis meant to find the planted category specialists, and the name the rules mean for them
BREADTH_AXIS, SPECIALIST_NAME = "category_breadth", "specialist"
MIN_SPECIALIST_ARI = MIN_SPECIALISTS_NAMED = 0.8
#: the sub-population axis of the demo (customers with two orders or more) and the names meant for its personas
REPEAT_AXIS = "repeat_engagement"
REPEAT_PERSONA_NAMES = {"occasional": "occasional_repeat", "active_hobbyist": "active_hobbyist",
                        "super_engaged": "super_engaged", "enterprise": "enterprise"}
DRIFT_AXIS = "activity"
#: personas the planted lapse is drawn from; a customer is flagged at MODERATE (rank 2) or worse
DRIFT_POOL = ("super_engaged", "enterprise")
MODERATE_RANK = 2
#: drift_score where MODERATE starts in seeds/drift_severity_bands.csv (the raw drift read on the same bands)
MODERATE_LOWER_BOUND = 0.3


def truth(raw_dir: Path, domain: str) -> pd.DataFrame:
    """The planted answer of ``domain`` (providers, dfu, customers, drift)."""
    return pd.read_parquet(Path(raw_dir) / f"demo_truth_{domain}.parquet")


# ----------------------------------------------------------------------------------------- providers

def provider_tier_ari(query: Query, raw_dir: Path) -> float:
    """ARI of ``provider_clusters`` against the planted tiers (every clustered provider has a tier)."""
    clusters = query("select provider_id, cluster_id from provider_clusters")
    joined = clusters.merge(truth(raw_dir, "providers"), on="provider_id", how="inner", validate="one_to_one")
    assert len(joined) == len(clusters) > 0, "every clustered provider has a planted tier"
    return float(adjusted_rand_score(joined["tier"], joined["cluster_id"]))


def provider_chosen_and_planted_k(query: Query, raw_dir: Path) -> tuple[list[int], int]:
    """The chosen k(s) of ``provider_k_selection`` and the number of planted tiers."""
    chosen = query("select k from provider_k_selection where is_chosen")["k"].astype(int).tolist()
    return chosen, int(truth(raw_dir, "providers")["tier"].nunique())


def provider_segment_names(query: Query, raw_dir: Path) -> dict[str, str]:
    """Planted tier -> the segment name of its members' majority cluster."""
    rows = query(
        "select c.provider_id, s.segment_name from provider_clusters c "
        "join provider_cluster_summary s using (cluster_id)"
    ).merge(truth(raw_dir, "providers"), on="provider_id")
    return rows.groupby("tier")["segment_name"].agg(lambda s: s.mode().iloc[0]).to_dict()


# ------------------------------------------------------------------------------------------- demand

def dfu_label_accuracy(query: Query, raw_dir: Path) -> tuple[float, int]:
    """Share of DFUs whose pattern (and volume tier, where planted) matches the planted archetype; and n."""
    labelled = query(
        "select a.dfu_id, l.pattern, l.volume_tier from dfu_cluster_assignments a "
        "join dfu_cluster_labels l using (cluster_id)"
    ).merge(truth(raw_dir, "dfu"), on="dfu_id", validate="one_to_one")
    assert len(labelled) > 0
    pattern_ok = labelled["pattern"] == labelled["expected_pattern"]
    tier_ok = labelled["expected_volume_tier"].isna() | (labelled["volume_tier"] == labelled["expected_volume_tier"])
    return float((pattern_ok & tier_ok).mean()), len(labelled)


# ---------------------------------------------------------------------------------------- customers

def persona_ari(query: Query, raw_dir: Path, method: str, axis: str = CUSTOMER_MAIN_AXIS) -> float:
    """ARI of the segment paths of ``method`` on ``axis`` against the planted personas (every customer)."""
    personas = truth(raw_dir, "customers")
    segments = query(
        f"select customer_id, segment_path from customer_segments where axis = '{axis}' and method = '{method}'"
    ).merge(personas, on="customer_id", validate="one_to_one")
    assert len(segments) == len(personas) > 0
    return float(adjusted_rand_score(segments["persona"], segments["segment_path"]))


def repeat_persona_recovery(query: Query, raw_dir: Path, method: str) -> tuple[float, dict[str, str]]:
    """How the repeat-customer axis recovers the planted repeat personas.

    The axis must hold exactly the customers with two orders or more (every planted persona but one_time);
    returns the ARI of its segment paths against their personas and each persona's majority segment name
    (without its uniqueness suffix).
    """
    personas = truth(raw_dir, "customers")
    repeat = personas[personas["persona"] != "one_time"]
    segments = query(
        f"select customer_id, segment_path, regexp_replace(segment_name, '_[0-9]+$', '') as name "
        f"from customer_segments where axis = '{REPEAT_AXIS}' and method = '{method}'"
    )
    assert sorted(segments["customer_id"]) == sorted(repeat["customer_id"])
    segments = segments.merge(repeat, on="customer_id", validate="one_to_one")
    majority = segments.groupby("persona")["name"].agg(lambda n: n.value_counts().index[0]).to_dict()
    return float(adjusted_rand_score(segments["persona"], segments["segment_path"])), majority


def specialist_recovery(query: Query, truth_frame: pd.DataFrame, method: str) -> tuple[float, float]:
    """How the category breadth axis finds the planted category specialists (``is_category_specialist``).

    Reads the top-level segments (``segment_id``: the subdivision goes on to split the other customers by
    how broad they are, which is no planted structure) of the axis's customers. Returns the ARI against
    the planted specialists and the share of the specialists whose segment is named ``specialist``.
    """
    segments = query(f"select customer_id, segment_id, segment_group from customer_segments "
                     f"where axis = '{BREADTH_AXIS}' and method = '{method}'")
    segments = segments.merge(truth_frame[["customer_id", "is_category_specialist"]], on="customer_id",
                              validate="one_to_one")
    assert len(segments) > 0 and segments["is_category_specialist"].any()
    named = segments.loc[segments["is_category_specialist"], "segment_group"] == SPECIALIST_NAME
    return float(adjusted_rand_score(segments["is_category_specialist"], segments["segment_id"])), float(named.mean())


def name_recovery(query: Query, personas: pd.DataFrame, method: str = "fcm", axis: str = CUSTOMER_MAIN_AXIS
                  ) -> tuple[float, dict[str, str], int]:
    """How the segment names of ``axis`` recover planted personas (``customer_id``, ``persona``).

    Returns the ARI of the leaf names without their uniqueness suffix against the personas, each
    persona's majority name, and the number of distinct names.
    """
    names = query(
        f"select customer_id, regexp_replace(segment_name, '_[0-9]+$', '') as name from customer_segments "
        f"where axis = '{axis}' and method = '{method}'"
    ).merge(personas[["customer_id", "persona"]], on="customer_id", validate="one_to_one")
    assert len(names) == len(personas) > 0
    majority = names.groupby("persona")["name"].agg(lambda n: n.value_counts().index[0]).to_dict()
    return float(adjusted_rand_score(names["persona"], names["name"])), majority, int(names["name"].nunique())


def supervised_name_ceiling(query: Query, personas: pd.DataFrame, expected: dict[str, str],
                            features: list[str]) -> float:
    """The ARI a supervised classifier reaches on the same features (5-fold cross-validated), against the
    names ``expected`` means for each persona: how far the planted personas can be told apart at all."""
    columns = ", ".join(features)
    data = query(f"select customer_id, {columns} from customer_features").merge(
        personas[["customer_id", "persona"]], on="customer_id", validate="one_to_one")
    meant = data["persona"].map(expected).fillna(data["persona"])
    predicted = cross_val_predict(HistGradientBoostingClassifier(random_state=0), data[features], meant, cv=5)
    return float(adjusted_rand_score(meant, predicted))


def long_tail_shares(query: Query, axis: str = CUSTOMER_MAIN_AXIS, method: str = "fcm") -> dict[str, float]:
    """Largest segment share of the plain-silhouette k, and of the leaves after balance + subdivision.

    Also returns ``reported_after_subdivision`` (``customer_fit_metrics``) to compare with the leaves.
    """
    k_selection = query(f"select * from customer_k_selection where axis = '{axis}' and method = '{method}'")
    silhouette_pick = k_selection[k_selection["is_silhouette_best"].astype(bool)]
    assert len(silhouette_pick) == 1
    leaves = query(f"select segment_path, count(*) as n from customer_segments "
                   f"where axis = '{axis}' and method = '{method}' group by 1")
    metrics = query(f"select * from customer_fit_metrics where axis = '{axis}' and method = '{method}'")
    return {"silhouette_k": int(silhouette_pick["k"].item()),
            "silhouette_largest": float(silhouette_pick["largest_share"].item()),
            "leaves": len(leaves), "leaf_largest": float(leaves["n"].max() / leaves["n"].sum()),
            "reported_after_subdivision": float(metrics["max_share_after_subdivision"].item())}


# -------------------------------------------------------------------------------------------- drift

def drift_flags(query: Query, raw_dir: Path, axis: str = DRIFT_AXIS) -> pd.DataFrame:
    """The drift pool (planted personas) with ``is_flagged``: any drift from the earliest planted lapse on
    at MODERATE or worse."""
    planted = truth(raw_dir, "drift")
    since = pd.Timestamp(planted["drift_start"].min()).date()
    worst = query(
        f"select customer_id, max(severity_rank) as worst_rank from customer_drift "
        f"where axis = '{axis}' and snapshot_date >= date '{since}' group by 1")
    pool = planted[planted["persona"].isin(DRIFT_POOL)]
    flagged = pool.merge(worst, on="customer_id", how="left").fillna({"worst_rank": -1})
    flagged["is_flagged"] = flagged["worst_rank"] >= MODERATE_RANK
    return flagged


def drift_precision_recall(query: Query, raw_dir: Path, axis: str = DRIFT_AXIS) -> dict[str, float]:
    """Precision and recall of the drift flags against the planted drifters of the pool."""
    flags = drift_flags(query, raw_dir, axis)
    drifters = int(flags["is_drifter"].sum())
    assert drifters > 0, "the demo plants drifters"
    true_positive = int((flags["is_flagged"] & flags["is_drifter"]).sum())
    return {"precision": true_positive / max(int(flags["is_flagged"].sum()), 1),
            "recall": true_positive / drifters, "true_positive": true_positive, "drifters": drifters,
            "pool": len(flags)}


def stable_share(query: Query, raw_dir: Path, axis: str = DRIFT_AXIS) -> float:
    """Share of STABLE month-over-month changes among the customers not planted as drifters."""
    planted = truth(raw_dir, "drift")
    stable = set(planted.loc[~planted["is_drifter"], "customer_id"])
    drift = query(f"select customer_id, severity from customer_drift where axis = '{axis}'")
    changes = drift[drift["customer_id"].isin(stable)]
    assert len(changes) > 0
    return float((changes["severity"] == "STABLE").mean())


def ageing_noise(query: Query, raw_dir: Path, axis: str = DRIFT_AXIS) -> dict[str, float | int]:
    """MODERATE-or-worse month-over-month steps read from the severity (ageing-adjusted on the ageing axes)
    and from the raw drift_score on the same bands: their share among the steps of customers who keep their
    cadence (not planted), and how many planted lapsers each flags at least once from their lapse on."""
    planted = truth(raw_dir, "drift")[["customer_id", "is_drifter", "drift_start"]]
    steps = query(f"select customer_id, snapshot_date, severity_rank, drift_score from customer_drift "
                  f"where axis = '{axis}' and snapshot_type = 'monthly'").merge(planted, on="customer_id")
    steps["adjusted"] = steps["severity_rank"] >= MODERATE_RANK
    steps["raw"] = steps["drift_score"] >= MODERATE_LOWER_BOUND
    keep = steps[~steps["is_drifter"]]
    lapsing = steps[steps["is_drifter"] & (steps["snapshot_date"] >= pd.to_datetime(steps["drift_start"]))]
    return {"adjusted_share": float(keep["adjusted"].mean()), "raw_share": float(keep["raw"].mean()),
            "lapsers_adjusted": int(lapsing.loc[lapsing["adjusted"], "customer_id"].nunique()),
            "lapsers_raw": int(lapsing.loc[lapsing["raw"], "customer_id"].nunique()),
            "lapsers": int(planted["is_drifter"].sum())}
