"""The demand page: how the DFUs were clustered, what each cluster's demand looks like, what was set aside.

Every number and name comes from the demand marts:

- **lead**: DFUs clustered, the chosen k, the rule that chose it and the silhouette there (``dfu_k_selection``);
- **choosing k**: inertia with the knee, silhouette, the gap statistic with s_k and the votes, and the table;
- **clusters**: label, pattern, volume tier, size and share of every cluster (``dfu_cluster_labels``,
  ``dfu_cluster_summary``) and small multiples of its members' normalised monthly demand: each DFU's demand
  divided by its own mean over the window (``int_dfu_demand_window``), median and interquartile band per
  month, computed in DuckDB (:func:`member_quantiles`);
- **labels**: DFUs per label (a label can span several clusters);
- **examples**: the DFUs nearest to each cluster's centre (``dfu_cluster_assignments.distance_to_centroid``)
  with their descriptions from ``dim_dfu``;
- **quarantine**: the DFUs that were not clustered and why (``dfu_features_quarantine``).

The centroids (``dfu_cluster_centroids``) live in feature space, not in months, so the curves are drawn
from the members' series.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from cluster_marts.profiling.vocabulary import silhouette_band
from cluster_marts.reporting.html import figure, figure_grid, fmt, section, table
from cluster_marts.reporting.site.data import Marts
from cluster_marts.reporting.site.demand_figures import cluster_curves_figure, k_selection_figure, label_counts_figure
from cluster_marts.reporting.site.k_selection import VOTES

__all__ = ["DOMAIN", "DESCRIPTIONS", "EXAMPLES_PER_CLUSTER", "FILE", "MARTS", "QUARANTINE_ROWS", "TITLE", "build",
           "member_quantiles"]

TITLE = "Demand"
#: the domain of var ``cluster_marts_domains`` the page shows: written only when it is on
DOMAIN = "demand"
FILE = "demand.html"
MARTS: tuple[str, ...] = ("dfu_k_selection", "dfu_cluster_labels", "dfu_cluster_summary", "dfu_cluster_assignments",
                          "int_dfu_demand_window", "dfu_features_quarantine", "dim_dfu")
#: columns of dim_dfu that describe a DFU, shown beside the examples when the table has them
DESCRIPTIONS: tuple[str, ...] = ("item_id", "brand", "prod_cat_desc", "region")
EXAMPLES_PER_CLUSTER = 3
QUARANTINE_ROWS = 20

K_COLUMNS = ["k", "inertia", "silhouette", "calinski_harabasz", "davies_bouldin", "gap", "gap_sd",
             "smallest_cluster_share", "is_eligible"]
K_HEADERS = {"calinski_harabasz": "Calinski-Harabasz", "davies_bouldin": "Davies-Bouldin", "gap_sd": "s_k",
             "smallest_cluster_share": "smallest cluster", "is_eligible": "eligible"}

QUANTILES_SQL = """
with members as (
    select a.cluster_id, w.dfu_id, w.sales_month, w.demand,
           avg(w.demand) over (partition by w.dfu_id) as window_mean
    from int_dfu_demand_window as w
    inner join dfu_cluster_assignments as a on a.dfu_id = w.dfu_id
)
select cluster_id, sales_month,
       quantile_cont(demand / nullif(window_mean, 0), 0.25) as q25,
       quantile_cont(demand / nullif(window_mean, 0), 0.5) as median,
       quantile_cont(demand / nullif(window_mean, 0), 0.75) as q75,
       count(demand / nullif(window_mean, 0)) as members
from members
group by cluster_id, sales_month
order by cluster_id, sales_month
"""


def member_quantiles(marts: Marts) -> pd.DataFrame:
    """Per cluster and calendar month, the 25th, 50th and 75th percentile of the members' normalised demand.

    A member's normalised demand is its demand in the month over its own mean demand across its window in
    ``int_dfu_demand_window``; a DFU whose mean is zero has no normalised demand and is left out. Months are
    calendar months (``sales_month``), so a DFU with a shorter history counts only in the months it has.

    Returns
    -------
    pandas.DataFrame
        ``cluster_id``, ``sales_month``, ``q25``, ``median``, ``q75``, ``members`` (DFUs counted that month).
    """
    return marts.df(QUANTILES_SQL)


def _k_selection(marts: Marts) -> pd.DataFrame:
    ks = marts.df(f"select {', '.join([*K_COLUMNS, *VOTES])}, selection_rule, silhouette_method, algorithm, "
                  "features_used from dfu_k_selection order by k")
    flags = ks[list(VOTES)].fillna(False).astype(bool)
    ks["picked_by"] = [", ".join(name for flag, name in VOTES.items() if row[flag]) or "-"
                       for _, row in flags.iterrows()]
    return ks


def _clusters(marts: Marts) -> pd.DataFrame:
    return marts.df("""
        select l.cluster_id, l.cluster_assignment, l.cluster_label, l.pattern, l.volume_tier, l.dfu_count,
               s.dfu_share, l.avg_demand, l.cv_demand
        from dfu_cluster_labels as l
        left join dfu_cluster_summary as s on s.cluster_id = l.cluster_id
        order by l.cluster_id""")


def _lead(marts: Marts, ks: pd.DataFrame) -> str:
    n_dfus = int(marts.scalar("select count(*) from dfu_cluster_assignments"))
    n_labels = int(marts.scalar("select count(distinct cluster_label) from dfu_cluster_labels"))
    quarantined = int(marts.scalar("select count(*) from dfu_features_quarantine"))
    chosen = ks[ks["is_chosen"].fillna(False).astype(bool)]
    if chosen.empty:
        return (f'<p class="warning">{n_dfus} DFUs are clustered, but dfu_k_selection marks no chosen k '
                f"({quarantined} more DFUs are in quarantine).</p>")
    row = chosen.iloc[0]
    features = [f for f in str(row["features_used"]).split(",") if f]
    silhouette = row["silhouette"]
    return (f"<p><strong>{n_dfus}</strong> DFUs (demand forecasting units) are clustered by their monthly demand "
            f"into <strong>k = {int(row['k'])}</strong> clusters carrying {n_labels} distinct labels "
            f"({escape(str(row['algorithm']))} on {len(features)} features: {escape(', '.join(features))}); "
            f"{quarantined} more DFUs are in quarantine. k was chosen by the rule "
            f"<code>{escape(str(row['selection_rule']))}</code>. Mean silhouette at k = {int(row['k'])}: "
            f"<strong>{escape(fmt(silhouette))}</strong> ({escape(silhouette_band(silhouette))}; "
            f"silhouette {escape(str(row['silhouette_method']))}).</p>")


def _k_section(ks: pd.DataFrame, out_dir: Path) -> str:
    src = k_selection_figure(ks, out_dir)
    fig = figure(src, "Inertia, silhouette, gap statistic and votes against k",
                 "Circled: the k each criterion picks; dotted red line: the chosen k. Gap error bars are s_k.",
                 wide=True)
    note = ('<p class="muted">One row per k evaluated (dfu_k_selection); the chosen row is highlighted. '
            "Eligible: every cluster reaches the minimum share.</p>")
    return figure_grid([fig]) + note + table(ks, [*K_COLUMNS, "picked_by"], highlight=ks["is_chosen"].fillna(False),
                                             percent=["smallest_cluster_share"],
                                             headers={**K_HEADERS, "picked_by": "picked by"})


def _cluster_section(marts: Marts, clusters: pd.DataFrame, out_dir: Path) -> str:
    src = cluster_curves_figure(member_quantiles(marts), clusters, out_dir)
    fig = figure(src, "Median and interquartile band of normalised monthly demand per cluster",
                 "Each DFU's monthly demand divided by its own mean over the window (1 = its mean, dashed); "
                 "line: median across the cluster's DFUs per month; band: 25th-75th percentile.", wide=True)
    columns = ["cluster_id", "cluster_assignment", "cluster_label", "pattern", "volume_tier", "dfu_count",
               "dfu_share", "avg_demand", "cv_demand"]
    headers = {"cluster_id": "cluster", "cluster_assignment": "cluster name", "cluster_label": "label",
               "volume_tier": "volume tier", "dfu_count": "DFUs", "dfu_share": "share",
               "avg_demand": "mean demand", "cv_demand": "CV"}
    note = ('<p class="muted">Cluster name: the label, numbered when several clusters earn the same label. '
            "Mean demand and CV (coefficient of variation) are the members' averages (dfu_cluster_labels).</p>")
    return note + table(clusters, columns, percent=["dfu_share"], headers=headers) + figure_grid([fig])


def _label_section(clusters: pd.DataFrame, out_dir: Path) -> str:
    labels = (clusters.groupby("cluster_label", sort=False)
              .agg(pattern=("pattern", lambda s: ", ".join(sorted(set(s)))),
                   volume_tier=("volume_tier", lambda s: ", ".join(sorted(set(s)))),
                   clusters=("cluster_id", "size"), dfu_count=("dfu_count", "sum"), dfu_share=("dfu_share", "sum"))
              .reset_index().sort_values(["dfu_count", "cluster_label"], ascending=[False, True]))
    src = label_counts_figure(labels, out_dir)
    fig = figure(src, "Bar chart of DFUs per label", "DFUs per label, summed over the clusters that carry it.",
                 wide=True)
    labels_table = table(labels, ["cluster_label", "pattern", "volume_tier", "clusters", "dfu_count", "dfu_share"],
                         percent=["dfu_share"], headers={"cluster_label": "label", "volume_tier": "volume tier",
                                                         "dfu_count": "DFUs", "dfu_share": "share"})
    return figure_grid([fig]) + labels_table


def _examples_section(marts: Marts) -> str:
    present = set(marts.df("select column_name from information_schema.columns "
                           "where table_schema = 'main' and table_name = 'dim_dfu'")["column_name"])
    described = [c for c in DESCRIPTIONS if c in present]
    extra = "".join(f", d.{c}" for c in described)
    examples = marts.df(f"""
        select a.cluster_id, a.cluster_assignment, a.dfu_id, a.distance_to_centroid{extra}
        from dfu_cluster_assignments as a
        left join dim_dfu as d on d.dfu_id = a.dfu_id
        qualify row_number() over (partition by a.cluster_id order by a.distance_to_centroid, a.dfu_id) <= ?
        order by a.cluster_id, a.distance_to_centroid, a.dfu_id""", [EXAMPLES_PER_CLUSTER])
    note = (f'<p class="muted">The {EXAMPLES_PER_CLUSTER} DFUs of each cluster nearest to its centre '
            "(distance in the scaled feature space)" +
            (f", described by dim_dfu ({', '.join(described)})" if described else
             "; dim_dfu has no descriptive columns") + ".</p>")
    return note + table(examples, ["cluster_id", "cluster_assignment", "dfu_id", "distance_to_centroid", *described],
                        headers={"cluster_id": "cluster", "cluster_assignment": "cluster name", "dfu_id": "DFU",
                                 "distance_to_centroid": "distance to centre", "prod_cat_desc": "category",
                                 "item_id": "item"})


def _quarantine_section(marts: Marts) -> str:
    total = int(marts.scalar("select count(*) from dfu_features_quarantine"))
    if not total:
        return '<p class="callout">No DFU is in quarantine: every DFU with sales was clustered.</p>'
    reasons = marts.df("select quarantine_reason, count(*) as dfus from dfu_features_quarantine "
                       "group by 1 order by 2 desc, 1")
    rows = marts.df("select dfu_id, quarantine_reason, months_of_history from dfu_features_quarantine "
                    "order by dfu_id limit ?", [QUARANTINE_ROWS])
    shown = f"the first {len(rows)} of {total}" if total > len(rows) else f"all {total}"
    headers = {"quarantine_reason": "reason", "dfus": "DFUs", "dfu_id": "DFU", "months_of_history": "months of history"}
    return (f'<p class="warning">{total} DFU(s) were not clustered (dfu_features_quarantine).</p>'
            + table(reasons, ["quarantine_reason", "dfus"], headers=headers)
            + f'<p class="muted">DFUs in quarantine, {shown} by id:</p>'
            + table(rows, ["dfu_id", "quarantine_reason", "months_of_history"], headers=headers))


def build(marts: Marts, out_dir: Path) -> str:
    """The demand page body: lead, k selection, clusters, labels, examples, quarantine."""
    ks = _k_selection(marts)
    clusters = _clusters(marts)
    return "".join([
        _lead(marts, ks),
        section("Choosing k", _k_section(ks, out_dir), "k-selection"),
        section("Clusters", _cluster_section(marts, clusters, out_dir), "clusters"),
        section("Labels", _label_section(clusters, out_dir), "labels"),
        section("Example DFUs per cluster", _examples_section(marts), "examples"),
        section("Quarantine", _quarantine_section(marts), "quarantine"),
    ])
