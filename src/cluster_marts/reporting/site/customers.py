"""The customers page: fuzzy segments per behavioural axis, their subdivision, transitions, drift and lapse risk.

What a reader sees, every number from the customer marts (aggregated in DuckDB, never one row per
customer in Python):

- **overview**: customers segmented, axes fitted and skipped (with the reason), the latest snapshot,
  one line per axis (the method shown, k, segments after subdivision, silhouette, largest shares);
- **customers by segment name** (:mod:`~cluster_marts.reporting.site.customer_names`): per axis the named
  segments of customer_profile (the primary method), their customers and what each name means;
- **one section per fitted axis**, for one method (``fcm`` when it was fitted, else the first fitted
  method, and the page says which): the profile heatmap of the top-level segments, the segment tree
  before and after subdivision (icicle and table), the distribution of the dominant membership with the
  transition threshold and the transitioning customers;
- **history** (:mod:`~cluster_marts.reporting.site.customer_history`): the latest month's segment
  transitions, drift severities per snapshot, and the membership timeline of the customers most at risk
  of lapsing, one at a time through a chooser (:data:`SCRIPT`).
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path

import pandas as pd

from cluster_marts.reporting.html import figure, figure_grid, fmt, section, table
from cluster_marts.reporting.site import customer_figures as figs
from cluster_marts.reporting.site import customer_history as history
from cluster_marts.reporting.site.customer_names import NAME_TABLES, names_section
from cluster_marts.reporting.site.data import Marts
from cluster_marts.reporting.site.plotting import save

__all__ = ["DOMAIN", "FILE", "MARTS", "PREFERRED_METHOD", "SCRIPT", "TITLE", "build", "shown_methods",
           "transition_threshold"]

TITLE = "Customers"
#: the domain of var ``cluster_marts_domains`` the page shows: written only when it is on
DOMAIN = "customers"
FILE = "customers.html"
PAGE = "customers"
MARTS: tuple[str, ...] = ("customer_fit_metrics", *NAME_TABLES, "customer_segments", "customer_segment_profiles",
                          "customer_segment_transitions", "customer_drift", "customer_membership_snapshots",
                          "customer_lapse_risk")
#: the method shown per axis when it was fitted (the first fitted method otherwise)
PREFERRED_METHOD = "fcm"
SCRIPT = history.SCRIPT


def shown_methods(fit: pd.DataFrame) -> dict[str, str]:
    """The method shown for every axis with a fitted method: :data:`PREFERRED_METHOD` when fitted, else
    the first fitted method by name."""
    fitted = fit[fit["status"] == "fitted"]
    return {axis: PREFERRED_METHOD if PREFERRED_METHOD in set(group["method"]) else sorted(group["method"])[0]
            for axis, group in fitted.groupby("axis", sort=True)}


def transition_threshold(highest_transitioning: float | None, lowest_settled: float | None) -> float | None:
    """The transition threshold as the marts reveal it: customer_segments flags a customer as transitioning
    when the dominant membership is below a threshold (a build variable the marts do not store), so it lies
    in ``(highest_transitioning, lowest_settled]``. Returns the roundest number there (fewest decimals,
    up to 4), or None when either side has no customer (nothing to locate it by)."""
    if highest_transitioning is None or lowest_settled is None or pd.isna(highest_transitioning) \
            or pd.isna(lowest_settled):
        return None
    for decimals in range(1, 5):
        scale = 10 ** decimals
        candidate = (math.floor(highest_transitioning * scale) + 1) / scale
        if candidate <= lowest_settled:
            return round(candidate, decimals)
    return float(lowest_settled)


def _fit_metrics(marts: Marts) -> pd.DataFrame:
    return marts.df("select axis, method, status, reason, k, silhouette, max_share_before_subdivision, "
                    "max_share_after_subdivision, n_leaf_segments from customer_fit_metrics order by axis, method")


def _skipped(fit: pd.DataFrame, shown: dict[str, str]) -> pd.DataFrame:
    """One row per axis with no fitted method, its reasons joined."""
    rows = fit[~fit["axis"].isin(list(shown))]
    return (rows.groupby("axis", sort=True)["reason"]
            .agg(lambda r: "; ".join(sorted({str(x) for x in r if pd.notna(x)})) or "no reason recorded")
            .reset_index())


def _overview(marts: Marts, fit: pd.DataFrame, shown: dict[str, str], snapshot_type: str | None) -> str:
    customers = marts.scalar("select count(distinct customer_id) from customer_segments")
    latest = marts.scalar("select max(snapshot_date) from customer_membership_snapshots where snapshot_type = ?",
                          [snapshot_type])
    skipped = _skipped(fit, shown)
    cards = [("Customers", fmt(int(customers or 0)), "segmented (customer_segments)"),
             ("Axes fitted", f"{len(shown)} of {fit['axis'].nunique()}", ", ".join(shown) or "none"),
             ("Axes skipped", str(len(skipped)), ", ".join(skipped["axis"]) or "none"),
             ("Latest snapshot", str(latest) if latest is not None else "none",
              f"{snapshot_type} snapshots" if snapshot_type else "no snapshots yet")]
    html = '<div class="cards">' + "".join(
        f'<div class="card"><strong>{escape(t)}</strong><div class="big">{escape(v)}</div>{escape(d)}</div>'
        for t, v, d in cards) + "</div>"
    html += "".join(f'<p class="warning">Axis {escape(a)} was not segmented: {escape(r)}</p>'
                    for a, r in zip(skipped["axis"], skipped["reason"]))
    rows = fit[[shown.get(a) == m for a, m in zip(fit["axis"], fit["method"])]].copy()
    fitted = fit[fit["status"] == "fitted"]
    others = {a: ", ".join(m for m in g["method"] if m != shown[a]) for a, g in fitted.groupby("axis")}
    rows["other_methods"] = rows["axis"].map(others).replace("", "none")
    html += ('<p class="muted">One method per axis is shown: fcm when it was fitted, else the first fitted method '
             "(the other fitted methods are in the marts, column method).</p>")
    html += table(rows, ["axis", "method", "other_methods", "k", "n_leaf_segments", "silhouette",
                         "max_share_before_subdivision", "max_share_after_subdivision"],
                  percent=["max_share_before_subdivision", "max_share_after_subdivision"],
                  headers={"method": "method shown", "other_methods": "also fitted", "n_leaf_segments":
                           "segments after subdivision", "max_share_before_subdivision": "largest share before",
                           "max_share_after_subdivision": "largest share after"})
    return section("Overview", html, "overview")


def _subdivision_table(leaves: pd.DataFrame) -> str:
    frame = leaves.copy()
    frame["before"] = frame.groupby("segment_id")["customers"].transform("sum")
    frame["depth"] = frame["depth"].astype(int)
    return ("<p>Customers per segment before subdivision and per subsegment after it:</p>"
            + table(frame, ["segment_id", "before", "segment_path", "depth", "customers", "transitioning"],
                    headers={"segment_id": "segment", "before": "before", "segment_path": "subsegment",
                             "customers": "after"}))


def _axis_section(marts: Marts, out_dir: Path, fit: pd.DataFrame, axis: str, method: str) -> str:
    where, params = "where axis = ? and method = ?", [axis, method]
    profiles = marts.df("select segment_id, feature, size, mean from customer_segment_profiles "
                        f"{where} and is_top_level order by segment_id, feature", params)
    leaves = marts.df("select segment_id, segment_path, any_value(depth) as depth, count(*) as customers, "
                      "count(*) filter (where is_transitioning) as transitioning from customer_segments "
                      f"{where} group by segment_id, segment_path", params)
    leaves = leaves.sort_values("segment_path", key=lambda s: s.map(figs.path_key)).reset_index(drop=True)
    bins = marts.df(f"select least(floor(max_membership * {figs.HIST_BINS}), {figs.HIST_BINS - 1})::int as bin, "
                    "coalesce(is_transitioning, false) as is_transitioning, count(*) as customers "
                    f"from customer_segments {where} and max_membership is not null group by all order by 1",
                    params)
    bounds = marts.df("select max(max_membership) filter (where is_transitioning) as high, "
                      "min(max_membership) filter (where not is_transitioning) as low "
                      f"from customer_segments {where}", params).iloc[0]
    threshold = transition_threshold(bounds["high"], bounds["low"])
    row = fit[(fit["axis"] == axis) & (fit["method"] == method)].iloc[0]
    n_transitioning = int(leaves["transitioning"].sum())
    slug = f"{axis}_{method}"
    parts = []
    if len(profiles):
        parts.append(figure(save(figs.profile_heatmap(profiles, axis, method), out_dir, PAGE, f"profile_{slug}"),
                            f"{axis} segment profiles", "Top-level segments x features: colour is the segment's "
                            "mean standardised across segments (per feature), the text the raw mean.", wide=True))
    if len(leaves):
        parts.append(figure(save(figs.subdivision_icicle(leaves, axis, method), out_dir, PAGE, f"tree_{slug}"),
                            f"{axis} segment tree", "Top row: the segments as fitted; rows below: the subsegments "
                            "a large segment was split into. Width = customers.", wide=True))
    if len(bins):
        where_line = (f"the threshold ({threshold:g}) lies between the highest transitioning "
                      f"({fmt(float(bounds['high']))}) and the lowest settled ({fmt(float(bounds['low']))}) "
                      "membership" if threshold is not None else
                      "no line: the marts have customers on one side of the threshold only")
        parts.append(figure(save(figs.membership_histogram(bins, threshold, axis, method), out_dir, PAGE,
                                 f"membership_{slug}"), f"{axis} dominant membership",
                            f"{n_transitioning} transitioning customers (dominant membership below the "
                            f"threshold); {where_line}."))
    skipped = fit[(fit["axis"] == axis) & (fit["status"] != "fitted")]
    notes = "".join(f'<p class="muted">Method {escape(m)} was skipped on this axis: {escape(str(r))}</p>'
                    for m, r in zip(skipped["method"], skipped["reason"]))
    head = (f"<p>Method shown: <strong>{escape(method)}</strong>; k = {fmt(row['k'])}, silhouette "
            f"{fmt(row['silhouette'])}, {fmt(row['n_leaf_segments'])} segments after subdivision; "
            f"<strong>{n_transitioning}</strong> transitioning customers.</p>{notes}")
    parts.append(f"<div>{_subdivision_table(leaves)}</div>")
    return section(f"Axis: {axis}", head + figure_grid(parts), f"axis-{axis}")


def build(marts: Marts, out_dir: Path) -> str:
    """The page body: overview, customers by segment name, one section per fitted axis, then transitions, drift
    and lapse timelines."""
    out_dir = Path(out_dir)
    fit = _fit_metrics(marts)
    shown = shown_methods(fit)
    snapshot_type = history.snapshot_type(marts)
    sections = [_overview(marts, fit, shown, snapshot_type), names_section(marts)]
    sections += [_axis_section(marts, out_dir, fit, axis, method) for axis, method in shown.items()]
    sections += history.sections(marts, out_dir, snapshot_type)
    return "".join(sections)
