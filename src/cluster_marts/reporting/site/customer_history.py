"""The history sections of the customers page: segment transitions, drift severities, lapse timelines.

All three read the snapshot marts of one snapshot type (the build's primary type), whose segment ids are
those of the snapshots' reference model (customer_reference_model), not of the segmentation above:

- **transitions**: for the latest period, the dominant segment at its start x at its end, row-normalised,
  one heatmap per axis (activity first) and a table of who stayed and who moved;
- **drift**: customers per severity band at each snapshot, one small multiple per axis, and the counts;
- **lapse**: the customers most at risk at the latest snapshot (flagged as lapsing first, then by lapse
  score), each with a pre-rendered timeline of activity memberships and lapse score; a ``<select>``
  shows one at a time (:data:`SCRIPT`); without JavaScript the first stays visible.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pandas as pd

from cluster_marts.reporting.customer_card import default_snapshot_type
from cluster_marts.reporting.html import figure, figure_grid, section, table
from cluster_marts.reporting.site import customer_history_figures as figs
from cluster_marts.reporting.site.data import Marts
from cluster_marts.reporting.site.plotting import save

__all__ = ["CHOOSER_ID", "LAPSE_CUSTOMERS", "SCRIPT", "TIMELINE_AXIS", "lapse_choices", "sections",
           "snapshot_type"]

PAGE = "customers"
#: the axis of the membership timelines and the first transition matrix (the lapse score's drift axis)
TIMELINE_AXIS = "activity"
LAPSE_CUSTOMERS = 10
CHOOSER_ID = "lapse-chooser"
#: shows the timeline figure whose id is the chooser's value and hides the others (no network)
SCRIPT = f"""
(function () {{
  var chooser = document.getElementById("{CHOOSER_ID}");
  if (!chooser) {{ return; }}
  var show = function () {{
    var figures = document.querySelectorAll("figure[data-timeline]");
    for (var i = 0; i < figures.length; i++) {{ figures[i].hidden = figures[i].id !== chooser.value; }}
  }};
  chooser.addEventListener("change", show);
  show();
}})();
"""


def snapshot_type(marts: Marts) -> str | None:
    """The snapshot type the page reads: the build's primary type; in a warehouse without the catalog's
    mark, ``monthly`` when there are monthly snapshots, else the type of the latest snapshot (None without
    snapshots)."""
    return default_snapshot_type(marts.scalar, "customer_membership_snapshots")


def _axis_order(axes) -> list[str]:
    return sorted(set(axes), key=lambda a: (a != TIMELINE_AXIS, a))


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", str(text))


def _transitions(marts: Marts, out_dir: Path, kind: str) -> str:
    moves = marts.df(
        "select axis, period_start, period_end, from_segment_id, to_segment_id, "
        "sum(customer_count)::bigint as customers from customer_segment_transitions where snapshot_type = ? "
        "group by axis, period_start, period_end, from_segment_id, to_segment_id "
        "qualify dense_rank() over (partition by axis order by period_end desc, period_start desc) = 1 "
        "order by axis, from_segment_id, to_segment_id", [kind])
    if moves.empty:
        return section("Segment transitions", '<p class="muted">No transitions yet: they need two snapshots.</p>',
                       "transitions")
    figures, rows = [], []
    for axis in _axis_order(moves["axis"]):
        part = moves[moves["axis"] == axis]
        period = f"{part['period_start'].iloc[0]:%Y-%m-%d} to {part['period_end'].iloc[0]:%Y-%m-%d}"
        src = save(figs.transition_heatmap(part, axis, period), out_dir, PAGE, f"transitions_{_slug(axis)}")
        figures.append(figure(src, f"{axis} segment transitions", f"{axis}, {period}: rows add up to 100%."))
        changed = part[part["from_segment_id"] != part["to_segment_id"]].sort_values(
            ["customers", "from_segment_id", "to_segment_id"], ascending=[False, True, True])
        rows.append({"axis": axis, "period": period, "compared": int(part["customers"].sum()),
                     "stayed": int(part.loc[part["from_segment_id"] == part["to_segment_id"], "customers"].sum()),
                     "moved": int(changed["customers"].sum()),
                     "moves": ", ".join(f"{a} → {b}: {n}" for a, b, n in zip(
                         changed["from_segment_id"], changed["to_segment_id"], changed["customers"])) or "none"})
    intro = ('<p class="muted">Dominant segment of every customer at the two latest snapshots (segment ids of the '
             "snapshots' reference model). Colour: share of the row; text: customers and share.</p>")
    body = intro + figure_grid(figures) + table(pd.DataFrame(rows), ["axis", "period", "compared", "stayed",
                                                                     "moved", "moves"],
                                                headers={"compared": "customers compared",
                                                         "moves": "moves (from → to: customers)"})
    return section("Segment transitions, latest month", body, "transitions")


def _drift(marts: Marts, out_dir: Path, kind: str) -> str:
    counts = marts.df("select axis, snapshot_date, severity, min(severity_rank) as severity_rank, "
                      "count(*) as customers from customer_drift where snapshot_type = ? group by all "
                      "order by axis, snapshot_date, severity_rank", [kind])
    if counts.empty:
        return section("Drift severity", '<p class="muted">No drift yet: it needs two snapshots.</p>', "drift")
    ageing = set(marts.df("select axis from customer_drift where snapshot_type = ? group by axis "
                          "having bool_or(abs(severity_score - drift_score) > 1e-12)", [kind])["axis"])
    axes = _axis_order(counts["axis"])
    src = save(figs.drift_severities(counts, axes, ageing), out_dir, PAGE, "drift_severity")
    order = counts.groupby("severity")["severity_rank"].min().sort_values().index.tolist()
    wide = (counts.pivot_table(index=["axis", "snapshot_date"], columns="severity", values="customers",
                               aggfunc="sum").reindex(columns=order).fillna(0).astype(int).reset_index())
    wide["snapshot_date"] = wide["snapshot_date"].map(lambda d: f"{d:%Y-%m-%d}")
    wide = wide.assign(rank=wide["axis"].map(axes.index)).sort_values(["rank", "snapshot_date"])
    latest = wide.groupby("axis").tail(1)
    note = ("Severity compares each customer's memberships with the previous snapshot; on the axes marked "
            "ageing-adjusted (" + (", ".join(sorted(ageing)) or "none") + ") it discounts the drift expected "
            "from time passing at the customer's usual pace.")
    body = (f'<p class="muted">{escape(note)}</p>'
            + figure_grid([figure(src, "drift severity per snapshot", "Customers per severity band at each snapshot "
                                  "(" + ", ".join(order) + ").", wide=True)])
            + "<p>At the latest snapshot:</p>" + table(latest, ["axis", "snapshot_date", *order])
            + "<details><summary>Counts at every snapshot</summary>"
            + table(wide, ["axis", "snapshot_date", *order]) + "</details>")
    return section("Drift severity per snapshot", body, "drift")


def lapse_choices(marts: Marts, kind: str) -> pd.DataFrame:
    """The customers of the timeline chooser: at the latest snapshot, those flagged as lapsing by lapse
    score (highest first), filled up to :data:`LAPSE_CUSTOMERS` with the next highest scores."""
    return marts.df(
        "select customer_id, snapshot_date, lapse_score, coalesce(is_lapsing, false) as is_lapsing, reason "
        "from customer_lapse_risk where snapshot_type = ? and snapshot_date = "
        "(select max(snapshot_date) from customer_lapse_risk where snapshot_type = ?) "
        f"order by coalesce(is_lapsing, false) desc, lapse_score desc nulls last, customer_id limit {LAPSE_CUSTOMERS}",
        [kind, kind])


def _lapse(marts: Marts, out_dir: Path, kind: str) -> str:
    chosen = lapse_choices(marts, kind)
    if chosen.empty:
        return section("Lapse risk timelines", '<p class="muted">No lapse scores yet.</p>', "lapse")
    ids = chosen["customer_id"].astype(str).tolist()
    timeline = marts.df(
        "select coalesce(s.customer_id, l.customer_id) as customer_id, "
        "coalesce(s.snapshot_date, l.snapshot_date) as snapshot_date, s.memberships, l.lapse_score, l.is_lapsing "
        "from (select customer_id, snapshot_date, memberships from customer_membership_snapshots "
        "      where axis = ? and snapshot_type = ? and list_contains(?, customer_id)) s "
        "full join (select customer_id, snapshot_date, lapse_score, is_lapsing from customer_lapse_risk "
        "      where snapshot_type = ? and list_contains(?, customer_id)) l "
        "on s.customer_id = l.customer_id and s.snapshot_date = l.snapshot_date order by 1, 2",
        [TIMELINE_AXIS, kind, ids, kind, ids])
    options, figures = [], []
    for i, row in enumerate(chosen.itertuples(index=False)):
        ident = f"timeline-{i + 1}-{_slug(row.customer_id)}"
        flag = "lapsing" if row.is_lapsing else "not flagged"
        label = f"{row.customer_id} ({flag}, score {row.lapse_score:.3f}): {row.reason or 'no reason'}"
        options.append(f'<option value="{escape(ident)}">{escape(label)}</option>')
        history = timeline[timeline["customer_id"] == row.customer_id]
        src = save(figs.membership_timeline(history, row.customer_id, TIMELINE_AXIS), out_dir, PAGE,
                   f"timeline_{i + 1}_{_slug(row.customer_id)}")
        attrs = f' id="{escape(ident)}" data-timeline="{escape(str(row.customer_id))}"' + (" hidden" if i else "")
        figures.append(figure(src, f"timeline of customer {row.customer_id}", label, wide=True, attrs=attrs))
    n_lapsing = int(chosen["is_lapsing"].sum())
    latest = f"{chosen['snapshot_date'].iloc[0]:%Y-%m-%d}"
    intro = (f"<p>At the latest snapshot ({latest}), the {len(chosen)} customers most at risk: {n_lapsing} flagged as "
             "lapsing (highest lapse score first)" + (", then the highest lapse scores of the others"
                                                      if n_lapsing < len(chosen) else "")
             + f". Each timeline shows the customer's memberships of the {TIMELINE_AXIS} segments at every snapshot "
             "(reference model), the lapse score and a red cross where the customer was flagged.</p>")
    chooser = (f'<p><label for="{CHOOSER_ID}">Customer: </label><select id="{CHOOSER_ID}">{"".join(options)}'
               "</select></p>")
    return section("Lapse risk timelines", intro + chooser + figure_grid(figures), "lapse")


def sections(marts: Marts, out_dir: Path, kind: str | None) -> list[str]:
    """The transitions, drift and lapse sections for snapshots of type ``kind`` (a note without snapshots)."""
    if kind is None:
        return [section("Snapshot history", '<p class="muted">No membership snapshots yet: transitions, drift and '
                        "lapse risk need the snapshot marts (var customer_snapshots_enabled).</p>", "history")]
    return [_transitions(marts, out_dir, kind), _drift(marts, out_dir, kind), _lapse(marts, out_dir, kind)]
