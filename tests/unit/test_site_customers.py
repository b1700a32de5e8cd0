"""The customers page of the report site on a hand-made warehouse: exact counts, the skipped axis, the chooser.

The warehouse: axis ``activity`` fitted by fcm and gmm (fcm is shown), segment 0 subdivided into 0.0 (3
customers) and 0.1 (2), segments 1 (3) and 2 (2), three transitioning customers; axis ``returns`` skipped
by every method with a reason; two periods of transitions, drift at two snapshots, and lapse scores of 13
customers at the latest snapshot, 4 of them flagged as lapsing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser

import duckdb
import pandas as pd
import pytest

from cluster_marts.reporting.site import customers
from cluster_marts.reporting.site.customer_history import CHOOSER_ID, SCRIPT
from cluster_marts.reporting.site.data import Marts

SNAPSHOTS = [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)]
SKIP_REASON = "every feature of the axis is constant (return_rate)"
#: activity fcm: (customer, top-level segment, path, depth, max membership)
FCM_ROWS = [("A1", 0, "0.0", 1, 0.95), ("A2", 0, "0.0", 1, 0.90), ("A3", 0, "0.0", 1, 0.45),
            ("A4", 0, "0.1", 1, 0.80), ("A5", 0, "0.1", 1, 0.62), ("A6", 1, "1", 0, 0.99),
            ("A7", 1, "1", 0, 0.55), ("A8", 1, "1", 0, 0.70), ("A9", 2, "2", 0, 0.58), ("A10", 2, "2", 0, 0.97)]
#: latest-snapshot lapse risk: (customer, lapse score, is lapsing)
LAPSE = [("L01", 0.90, True), ("L02", 0.95, True), ("L03", 0.80, True), ("L04", 0.85, True), ("N01", 0.99, False),
         ("N02", 0.70, False), ("N03", 0.60, False), ("N04", 0.50, False), ("N05", 0.40, False),
         ("N06", 0.30, False), ("N07", 0.20, False), ("N08", 0.10, False), ("N09", 0.05, False)]
EXPECTED_CHOOSER = ["L02", "L01", "L04", "L03", "N01", "N02", "N03", "N04", "N05", "N06"]


def _marts() -> dict[str, pd.DataFrame]:
    fit = pd.DataFrame([
        ("activity", "fcm", "fitted", None, 3, 0.61, 0.5, 0.3, 4),
        ("activity", "gmm", "fitted", None, 2, 0.55, 0.7, 0.4, 3),
        ("returns", "fcm", "skipped", SKIP_REASON, None, None, None, None, None),
        ("returns", "gmm", "skipped", SKIP_REASON, None, None, None, None, None),
    ], columns=["axis", "method", "status", "reason", "k", "silhouette", "max_share_before_subdivision",
                "max_share_after_subdivision", "n_leaf_segments"]).astype({"k": "Int64", "n_leaf_segments": "Int64"})
    segments = pd.DataFrame(
        [(c, "activity", "fcm", s, p, d, m, m < 0.6) for c, s, p, d, m in FCM_ROWS]
        + [(c, "activity", "gmm", 0, "0", 0, 0.3, True) for c, *_ in FCM_ROWS],  # gmm rows must not be counted
        columns=["customer_id", "axis", "method", "segment_id", "segment_path", "depth", "max_membership",
                 "is_transitioning"])
    profiles = pd.DataFrame(
        [("activity", "fcm", s, str(s), f, n, mean, True) for s, n in ((0, 5), (1, 3), (2, 2))
         for f, mean in (("log_orders", 1.0 + s), ("log_recency", 5.0 - s))]
        + [("activity", "fcm", 0, "0.0", "log_orders", 3, 9.0, False)],
        columns=["axis", "method", "segment_id", "segment_path", "feature", "size", "mean", "is_top_level"])
    transitions = pd.DataFrame(
        [("activity", 0, 0, "monthly", 5, False, SNAPSHOTS[0], SNAPSHOTS[1]),
         ("activity", 1, 1, "monthly", 4, False, SNAPSHOTS[0], SNAPSHOTS[1]),
         ("activity", 0, 0, "monthly", 4, False, SNAPSHOTS[1], SNAPSHOTS[2]),
         ("activity", 0, 1, "monthly", 2, True, SNAPSHOTS[1], SNAPSHOTS[2]),
         ("activity", 1, 1, "monthly", 3, False, SNAPSHOTS[1], SNAPSHOTS[2]),
         ("activity", 1, 0, "monthly", 1, True, SNAPSHOTS[1], SNAPSHOTS[2])],
        columns=["axis", "from_segment_id", "to_segment_id", "snapshot_type", "customer_count", "is_change",
                 "period_start", "period_end"])
    bands = {"STABLE": 0, "MINOR": 1, "MODERATE": 2, "SIGNIFICANT": 3, "MAJOR": 4}
    drift_rows = [(SNAPSHOTS[1], s) for s in ["STABLE"] * 3 + ["MINOR"]] + \
                 [(SNAPSHOTS[2], s) for s in ["STABLE", "STABLE", "MODERATE", "MAJOR"]]
    drift = pd.DataFrame([(f"D{i}", "activity", "monthly", d, s, bands[s], 0.5, 0.25, 0.25)
                          for i, (d, s) in enumerate(drift_rows)],
                         columns=["customer_id", "axis", "snapshot_type", "snapshot_date", "severity",
                                  "severity_rank", "drift_score", "ageing_adjusted_drift", "severity_score"])
    ids = [c for c, *_ in LAPSE]
    snapshots = pd.DataFrame([(c, "activity", "monthly", d, [0.2 + 0.3 * i, 0.8 - 0.3 * i], 1 if i < 2 else 0)
                              for c in ids for i, d in enumerate(SNAPSHOTS)],
                             columns=["customer_id", "axis", "snapshot_type", "snapshot_date", "memberships",
                                      "dominant_segment_id"])
    lapse = pd.DataFrame([(c, "monthly", SNAPSHOTS[2], score, flag, f"reason of {c}") for c, score, flag in LAPSE]
                         + [("N09", "monthly", SNAPSHOTS[1], 0.999, True, "an older snapshot")],
                         columns=["customer_id", "snapshot_type", "snapshot_date", "lapse_score", "is_lapsing",
                                  "reason"])
    lapse["lapse_rank"] = lapse.groupby("snapshot_date")["lapse_score"].rank(ascending=False).astype(int)
    #: the primary method's named segments (customer_profile_axes) and what each name means
    leaf_names = {"0.0": ("dormant", "quiet"), "0.1": ("quiet_higher_orders", "quiet"),
                  "1": ("active_now", "active_now"), "2": ("typical", "typical")}
    profile_axes = pd.DataFrame([(c, "activity", "fcm", p, *leaf_names[p], "r1") for c, s, p, d, m in FCM_ROWS],
                                columns=["customer_id", "axis", "method", "segment_path", "segment_name",
                                         "segment_group", "run_id"])
    names = pd.DataFrame([("segmentation", "r1", "activity", "fcm", p, name, "rule" if p != "2" else "generated",
                           f"meaning of {name}") for p, (name, _) in leaf_names.items()],
                         columns=["fit", "run_id", "axis", "method", "segment_path", "segment_name", "name_source",
                                  "description"])
    return {"customer_fit_metrics": fit, "customer_profile_axes": profile_axes, "customer_segment_names": names,
            "customer_segments": segments, "customer_segment_profiles": profiles,
            "customer_segment_transitions": transitions, "customer_drift": drift,
            "customer_membership_snapshots": snapshots, "customer_lapse_risk": lapse}


class _Page(HTMLParser):
    """The tables (rows of cell texts), the chooser's options and the figures of a page body."""

    def __init__(self):
        super().__init__()
        self.tables, self.options, self.figures, self.cards = [], [], [], []
        self._cell, self._option = None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "option":
            self._option = [attrs["value"], ""]
        elif tag == "figure":
            self.figures.append({"id": attrs.get("id"), "hidden": "hidden" in attrs,
                                 "timeline": attrs.get("data-timeline")})
        elif tag == "img":
            self.figures[-1]["src"] = attrs["src"]

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.tables[-1][-1].append(self._cell)
            self._cell = None
        elif tag == "option":
            self.options.append(tuple(self._option))
            self._option = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._option is not None:
            self._option[1] += data

    def rows(self, header: str) -> list[list[str]]:
        """The rows (cell texts) of the table whose header row starts with ``header``."""
        return next(t[1:] for t in self.tables if t and t[0] and t[0][0] == header)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("customers_site")
    db = tmp / "wh.duckdb"
    con = duckdb.connect(str(db))
    for name, frame in _marts().items():
        con.register("frame", frame)
        con.execute(f"create table {name} as select * from frame")
        con.unregister("frame")
    con.execute("alter table customer_membership_snapshots alter memberships type double[]")
    con.close()
    with Marts(db) as marts:
        html = customers.build(marts, tmp / "site")
    page = _Page()
    page.feed(html)
    return html, page, tmp / "site"


def test_page_reads_the_marts_it_declares(built):
    html, _, _ = built
    assert set(customers.MARTS) == set(_marts())


def test_overview_counts_axes_and_names_the_skipped_axis_with_its_reason(built):
    html, page, _ = built
    assert "Axis returns was not segmented: " + SKIP_REASON in html
    assert "Axis: returns" not in html and "Axis: activity" in html
    assert ">10</div>" in html  # customers segmented (distinct ids)
    assert ">1 of 2</div>" in html and ">2024-03-31</div>" in html
    assert page.rows("axis") == [["activity", "fcm", "gmm", "3", "4", "0.61", "50.0%", "30.0%"]]


def test_segment_sizes_before_and_after_subdivision_and_transitioning(built):
    html, page, _ = built
    assert page.rows("segment") == [["0", "5", "0.0", "1", "3", "1"], ["0", "5", "0.1", "1", "2", "0"],
                                    ["1", "3", "1", "0", "3", "1"], ["2", "2", "2", "0", "2", "1"]]
    assert "<strong>3</strong> transitioning customers" in html
    assert "the threshold (0.6) lies between the highest transitioning (0.58) and the lowest settled (0.62)" in html


def test_latest_transitions_are_counted(built):
    _, page, _ = built
    transitions = next(t for t in page.tables if t[0][:2] == ["axis", "period"])[1:]
    assert transitions == [["activity", "2024-02-29 to 2024-03-31", "10", "7", "3", "0 → 1: 2, 1 → 0: 1"]]


def test_severity_counts_per_snapshot_in_severity_order(built):
    _, page, _ = built
    every = [t for t in page.tables if t[0][:2] == ["axis", "snapshot_date"]][-1]
    assert every[0] == ["axis", "snapshot_date", "STABLE", "MINOR", "MODERATE", "MAJOR"]
    assert every[1:] == [["activity", "2024-02-29", "3", "1", "0", "0"], ["activity", "2024-03-31", "2", "0", "1", "1"]]


def test_chooser_lists_the_lapsing_customers_first_then_the_highest_scores(built):
    _, page, _ = built
    assert [label.split(" ")[0] for _, label in page.options] == EXPECTED_CHOOSER
    assert page.options[0][1] == "L02 (lapsing, score 0.950): reason of L02"
    assert page.options[4][1].startswith("N01 (not flagged, score 0.990)")


def test_each_timeline_is_a_png_with_the_id_of_its_option_only_the_first_visible(built):
    _, page, site = built
    timelines = [f for f in page.figures if f["timeline"]]
    assert [f["id"] for f in timelines] == [value for value, _ in page.options]
    assert [f["timeline"] for f in timelines] == EXPECTED_CHOOSER
    assert [f["hidden"] for f in timelines] == [False] + [True] * 9
    assert len(page.figures) == 3 + 1 + 1 + 10  # profile, tree, membership; transitions; drift; timelines
    for fig in page.figures:
        assert (site / fig["src"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", fig["src"]


def test_script_shows_the_chosen_figure_by_id(built):
    _, page, _ = built
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    ids = [value for value, _ in page.options]
    harness = f"""
    var figures = {json.dumps(ids)}.map(function (id) {{ return {{id: id, hidden: false}}; }});
    var listeners = [];
    var chooser = {{value: figures[0].id, addEventListener: function (t, f) {{ listeners.push(f); }}}};
    var document = {{
      getElementById: function (id) {{ return id === "{CHOOSER_ID}" ? chooser : null; }},
      querySelectorAll: function (q) {{ return q === "figure[data-timeline]" ? figures : []; }}
    }};
    {SCRIPT}
    var first = figures.map(function (f) {{ return f.hidden; }});
    chooser.value = figures[2].id;
    listeners.forEach(function (f) {{ f(); }});
    console.log(JSON.stringify([first, figures.map(function (f) {{ return f.hidden; }})]));
    """
    out = subprocess.run([node, "-e", harness], capture_output=True, text=True, timeout=20, check=True)
    first, chosen = json.loads(out.stdout)
    assert first == [False] + [True] * 9
    assert chosen == [True, True, False] + [True] * 7
    assert f'<select id="{CHOOSER_ID}">' in built[0]


def test_method_shown_is_fcm_else_the_first_fitted_and_threshold_from_the_marts():
    fit = pd.DataFrame({"axis": ["a", "a", "b", "b", "b", "c"],
                        "method": ["gmm", "fcm", "neural", "gmm", "fcm", "fcm"],
                        "status": ["fitted", "fitted", "fitted", "fitted", "skipped", "skipped"]})
    assert customers.shown_methods(fit) == {"a": "fcm", "b": "gmm"}
    assert customers.transition_threshold(0.5987, 0.6016) == 0.6
    assert customers.transition_threshold(0.612, 0.6125) == 0.6121
    assert customers.transition_threshold(None, 0.7) is None


def test_missing_snapshots_give_a_note(tmp_path):
    db = tmp_path / "wh.duckdb"
    con = duckdb.connect(str(db))
    for name, frame in _marts().items():
        con.register("frame", frame)
        con.execute(f"create table {name} as select * from frame where false" if name == "customer_membership_snapshots"
                    else f"create table {name} as select * from frame")
        con.unregister("frame")
    con.close()
    with Marts(db) as marts:
        html = customers.build(marts, tmp_path / "site")
    assert "No membership snapshots yet" in html and CHOOSER_ID not in html


def test_customers_by_segment_name_come_first_after_the_overview(built):
    """One row per named segment of the primary method: its group, customers, share and meaning."""
    _, page, _ = built
    rows = page.rows("segment name")
    assert [r[:4] for r in rows] == [
        ["active_now", "active_now", "3", "30.0%"], ["dormant", "quiet", "3", "30.0%"],
        ["quiet_higher_orders", "quiet", "2", "20.0%"], ["typical", "typical", "2", "20.0%"]]
    assert rows[1][4:] == ["rule", "meaning of dormant"] and rows[-1][4] == "generated"

