"""Labels, baselines and metrics of the lapse holdout evaluation (:mod:`benchmarks.lapse_eval`).

Every function here reads plain frames: the orders (as written by a generator), the truth table and the
rows of ``customer_lapse_risk``. Definitions (the evaluation's docstring points here):

- **usable orders** (:func:`usable_orders`): the rows ``stg_customer_orders`` keeps: customer, timestamp, a finite
  amount >= 0 and an item count >= 1, one row per ``order_id`` (the earliest);
- **calibration file** (:func:`calibration_orders`): the raw rows ordered before the calibration date ``C``,
  with every return made on or after ``C`` undone (``is_returned`` false, ``returned_at`` null), so the
  build sees neither an order nor a return from its future;
- **label** (:func:`outcome_labels`): for each customer with a usable order before ``C``, true when they
  place no usable order in ``[C, C + N)``;
- **history** (:func:`customer_history`) at a moment ``at``, from the usable orders before it, in days:
  ``x`` = distinct order days - 1, ``t_x`` = last order day - first order day, ``T`` = ``at`` - first
  order day, and ``recency_days`` = ``at`` - last order timestamp (fractional: few ties);
- **precision at q** (:func:`precision_at`): the share of label-true customers among the
  ``max(1, round(q * n))`` highest scores (ties: by customer id);
- **lead time** (:func:`lead_times`): for a planted lapser, its *final silence* starts at its last usable
  order in the full data; the lapser is *eligible* when its lapse started on or before the latest snapshot
  date and that last order falls before the end of the latest snapshot, i.e. some snapshot can see the
  silence. The *first flag* is the earliest snapshot whose end
  (``snapshot_date`` + 1 day) is after that last order and at which the scorer flags the lapser; the lead
  time is ``C + N`` (the end of the holdout: the gap is still open there) minus the end of that snapshot,
  in days; the median is over the flagged eligible lapsers (how many of them were flagged is reported);
- **recipe** (:func:`recipe_scores`): ``is_lapsing`` at the latest snapshot over every customer in the
  mart, against the planted lapsers whose lapse started on or before that snapshot date (the others
  cannot be seen yet; a flagged lapser whose lapse is still to come counts as a false positive).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from sklearn.metrics import roc_auc_score

from cluster_marts.lapse.bgnbd import BGNBD

__all__ = ["usable_orders", "calibration_orders", "outcome_labels", "customer_history", "bgnbd_no_purchase",
           "precision_at", "ranking_metrics", "due_lapsers", "lead_times", "recipe_scores", "top_k_flags"]

DAY = pd.Timedelta(days=1)


def usable_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """``customer_id``, ``ordered_at`` of the rows ``stg_customer_orders`` keeps (module docstring)."""
    amount = pd.to_numeric(orders["amount"], errors="coerce")
    ok = (orders["order_id"].notna() & orders["customer_id"].notna() & orders["ordered_at"].notna()
          & np.isfinite(amount) & (amount >= 0) & (orders["item_count"] >= 1))
    kept = orders.loc[ok, ["order_id", "customer_id", "ordered_at"]].sort_values(["ordered_at", "order_id"])
    return kept.drop_duplicates("order_id")[["customer_id", "ordered_at"]].reset_index(drop=True)


def calibration_orders(orders: pa.Table, cut: pd.Timestamp) -> pa.Table:
    """The raw rows ordered before ``cut``, returns on or after ``cut`` undone (same schema)."""
    before = orders.filter(pc.less(orders["ordered_at"], pa.scalar(cut.to_datetime64(), orders["ordered_at"].type)))
    late = pc.fill_null(pc.greater_equal(before["returned_at"],
                                         pa.scalar(cut.to_datetime64(), before["returned_at"].type)), False)
    returned = pc.and_(before["is_returned"], pc.invert(late))
    returned_at = pc.if_else(late, pa.scalar(None, before["returned_at"].type), before["returned_at"])
    before = before.set_column(before.schema.get_field_index("is_returned"), "is_returned", returned)
    return before.set_column(before.schema.get_field_index("returned_at"), "returned_at", returned_at)


def outcome_labels(usable: pd.DataFrame, cut: pd.Timestamp, horizon_days: int) -> pd.Series:
    """``True`` = no usable order in ``[cut, cut + horizon)``, for every customer ordering before ``cut``."""
    known = usable.loc[usable["ordered_at"] < cut, "customer_id"].unique()
    window = usable["ordered_at"].between(cut, cut + horizon_days * DAY, inclusive="left")
    came_back = set(usable.loc[window, "customer_id"])
    return pd.Series([c not in came_back for c in known], index=pd.Index(known, name="customer_id"),
                     name="no_order").sort_index()


def customer_history(usable: pd.DataFrame, at: pd.Timestamp) -> pd.DataFrame:
    """BG/NBD summary and recency of every customer from the usable orders before ``at`` (in days)."""
    before = usable[usable["ordered_at"] < at]
    days = before["ordered_at"].dt.normalize()
    grouped = before.assign(day=days).groupby("customer_id")
    first, last = grouped["day"].min(), grouped["day"].max()
    return pd.DataFrame({
        "x": grouped["day"].nunique() - 1,
        "t_x": (last - first) / DAY,
        "T": (at.normalize() - first) / DAY,
        "recency_days": (at - grouped["ordered_at"].max()) / DAY,
    }).sort_index()


def bgnbd_no_purchase(history: pd.DataFrame, horizon_days: int) -> pd.Series:
    """BG/NBD fitted on ``history``: probability of no purchase in the next ``horizon_days``."""
    model = BGNBD().fit(history["x"], history["t_x"], history["T"])
    return pd.Series(model.prob_no_purchase(horizon_days, history["x"], history["t_x"], history["T"]),
                     index=history.index, name="bgnbd")


def _ranked(score: pd.Series) -> pd.Index:
    """Customer ids by score, highest first, ties by customer id."""
    frame = pd.DataFrame({"score": score.to_numpy(), "customer_id": score.index})
    return pd.Index(frame.sort_values(["score", "customer_id"], ascending=[False, True])["customer_id"])


def precision_at(label: pd.Series, score: pd.Series, share: float) -> float:
    """Share of label-true customers among the ``max(1, round(share * n))`` highest scores."""
    top = _ranked(score)[:max(1, round(share * len(score)))]
    return float(label.loc[top].mean())


def ranking_metrics(label: pd.Series, score: pd.Series) -> dict[str, float]:
    """ROC AUC and precision at the top 5 % and 10 % of ``score`` against ``label`` (same index)."""
    score = score.loc[label.index]
    return {"auc": float(roc_auc_score(label.to_numpy(), score.to_numpy())),
            "p_at_5": precision_at(label, score, 0.05), "p_at_10": precision_at(label, score, 0.10)}


def top_k_flags(score: pd.Series, k: int) -> set:
    """The ``k`` customers with the highest scores (ties by customer id)."""
    return set(_ranked(score)[:k])


def due_lapsers(truth: pd.DataFrame, latest: pd.Timestamp) -> set:
    """The planted lapsers whose lapse started on or before the snapshot date ``latest``."""
    return set(truth.loc[truth["is_lapser"] & (pd.to_datetime(truth["lapse_start"]) <= latest), "customer_id"])


def lead_times(flags: pd.DataFrame, last_order: pd.Series, truth: pd.DataFrame, latest: pd.Timestamp,
               horizon_end: pd.Timestamp) -> dict[str, float | int | None]:
    """Median lead time of the flagged eligible lapsers (module docstring).

    ``flags``: ``customer_id``, ``snapshot_date`` of every (customer, snapshot) flagged by the scorer;
    ``last_order``: each customer's last usable order in the full data; ``truth``: the planted lapsers
    (``customer_id``, ``is_lapser``, ``lapse_start``); ``latest``: the latest snapshot date;
    ``horizon_end``: ``C + N``.
    """
    eligible = sorted(c for c in due_lapsers(truth, latest)
                      if c in last_order.index and last_order[c] < latest + DAY)
    ends = pd.to_datetime(flags["snapshot_date"]) + DAY
    silent = flags.assign(end=ends)[flags["customer_id"].isin(eligible)]
    silent = silent[silent["end"] > silent["customer_id"].map(last_order)]
    first = silent.groupby("customer_id")["end"].min()
    leads = (horizon_end - first) / DAY
    return {"median_days": float(leads.median()) if len(leads) else None,
            "flagged": int(len(leads)), "eligible": len(eligible)}


def recipe_scores(flagged: set, truth: pd.DataFrame, latest: pd.Timestamp) -> dict[str, float | int | None]:
    """Precision and recall of the flagged customers against the planted lapsers due by ``latest``."""
    due = due_lapsers(truth, latest)
    hits = len(flagged & due)
    return {"flagged": len(flagged), "due": len(due), "true_positives": hits,
            "precision": hits / len(flagged) if flagged else None, "recall": hits / len(due) if due else None}
