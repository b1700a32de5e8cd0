"""The HTML page of one workbench spec: self-contained, no JavaScript, every text escaped.

:func:`build_page` turns the spec and its rows of the eight workbench marts
into one HTML document; figures are linked with relative ``<img>`` paths
(written next to the page by :mod:`~cluster_marts.reporting.workbench.figures`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path

import pandas as pd

from cluster_marts.config.spec import Spec
from cluster_marts.profiling.vocabulary import silhouette_band, silhouette_scale
from cluster_marts.reporting.html import fmt as _fmt
from cluster_marts.reporting.html import page, section
from cluster_marts.reporting.html import table as _table

__all__ = ["CAPTIONS", "LANDING_COLUMNS", "METRIC_NOTES", "build_index", "build_page", "landing_rows",
           "metric_meaning"]

METRIC_NOTES = {
    "silhouette": "-1 to 1; higher = tighter, better separated clusters (noise rows left out); "
                  + silhouette_scale(),
    "calinski_harabasz": "between / within dispersion; higher = better",
    "davies_bouldin": "average similarity of each cluster to its closest one; lower = better",
    "inertia": "within-cluster sum of squares (centroid methods only)",
    "ari": "adjusted Rand index against the target; 1 = identical, 0 = chance",
    "nmi": "normalised mutual information with the target; 0 to 1, higher = better",
    "stability": "mean adjusted Rand index of refits on bootstrap resamples; near 1 = the clusters come back "
                 "on every resample, lower = they depend on which rows were drawn",
}
CAPTIONS = {
    "scatter": "Every row in two dimensions, coloured by cluster. Grey points are noise (cluster -1); "
               "black rings mark flagged outliers (they stay in the fit).",
    "silhouette": "Silhouette of every non-noise row, sorted within each cluster. Bars reaching right are well "
                  "placed; bars left of 0 sit closer to another cluster. The dashed line is the mean.",
    "heatmap": "Cluster profiles: the member mean of every feature after scaling. Red = above the overall mean, "
               "blue = below; the strongest colours show what sets a cluster apart.",
    "dendrogram": "How agglomerative clustering merged the rows, truncated to the last merges; the dashed line "
                  "cuts the tree into the run's clusters.",
}
_WIDE_HEATMAP = 8  # features
def _summary(spec: Spec) -> str:
    src = spec.source
    source = f"{src.path} ({src.format})" if src.path else f"dbt {src.describe()}"
    pre = spec.preprocessing
    red = pre.reduction
    out = pre.outliers
    params = ", ".join(f"{k}={v}" for k, v in spec.algorithm.params.items()) or "defaults"
    k = "found by the algorithm"
    if spec.n_clusters:
        k = f"n_clusters = {spec.n_clusters}"
    elif spec.k_range:
        k = f"chosen by silhouette over k = {spec.k_range[0]}..{spec.k_range[1]}"
    outliers = {"none": "off", "isolation_forest": f"isolation_forest, contamination {out.contamination}",
                "zscore": f"zscore, flagged when |z| > {out.z}"}[out.method]
    items = [
        ("source", source), ("id column", spec.id_column), ("features", ", ".join(spec.features)),
        ("target", spec.target or "none"), ("algorithm", f"{spec.algorithm.name} ({params})"), ("k", k),
        ("scaling", pre.scaling), ("variance filter", f"min_variance = {pre.min_variance}"),
        ("reduction", "none" if red.method == "none" else f"{red.method}, {red.n_components} components"),
        ("outliers", outliers), ("random_state", str(spec.random_state)), ("spec file", Path(spec.file).name),
    ]
    return "<dl>" + "".join(f"<dt>{escape(a)}</dt><dd>{escape(b)}</dd>" for a, b in items) + "</dl>"


def _comparison(comp: pd.DataFrame) -> str:
    comp = comp.reset_index(drop=True)
    flag = comp["is_recommended"].fillna(False).astype(bool)
    winner = comp[flag]
    if len(winner):
        row = winner.iloc[0]
        call = (f'<div class="callout"><strong>Recommended: {escape(str(row["algorithm"]))}</strong> '
                f'({escape(_fmt(row["n_clusters"]))} clusters) &mdash; {escape(str(row["reason"]))}</div>')
    else:
        call = '<div class="callout">No compared algorithm found two or more clusters.</div>'
    cols = ["algorithm", "n_clusters", "silhouette", "noise_share", "is_recommended", "reason"]
    return call + _table(comp, cols, highlight=flag, percent=("noise_share",))


def _outliers(assign: pd.DataFrame) -> str:
    if assign["outlier_score"].isna().all():
        return '<p class="muted">Outlier detection is off for this spec (preprocessing.outliers.method: none).</p>'
    flagged = int(assign["is_outlier"].astype(bool).sum())
    top = assign.sort_values(["outlier_score", "id"], ascending=[False, True], kind="stable").head(10)
    return (f"<p>{flagged} of {len(assign)} rows are flagged as outliers; the 10 highest scores "
            "(higher = more anomalous):</p>"
            + _table(top, ["id", "cluster_id", "outlier_score", "is_outlier", "is_noise"]))


def _figures(figures: Sequence[tuple[str, str]], notes: Mapping[str, str], n_features: int) -> str:
    parts = []
    for key, file in figures:  # two per row; the dendrogram and a heatmap of many features span the row
        wide = ' class="wide"' if key == "dendrogram" or (key == "heatmap" and n_features > _WIDE_HEATMAP) else ""
        parts.append(f'<figure{wide}><img src="{escape(file)}" alt="{escape(key)} of the clustering">'
                     f"<figcaption><strong>{escape(key.capitalize())}.</strong> {escape(CAPTIONS[key])}"
                     "</figcaption></figure>")
    grid = f'<div class="figures">{"".join(parts)}</div>' if parts else ""
    grid += "".join(f'<p class="muted">{escape(key)}: {escape(note)}</p>' for key, note in notes.items())
    return grid or '<p class="muted">The spec asks for no figures.</p>'


def metric_meaning(metric: str, value: float) -> str:
    """How to read a metric (:data:`METRIC_NOTES`); a silhouette leads with its band, e.g.

    >>> metric_meaning("silhouette", 0.6).split(":")[0]
    'reasonable structure'
    """
    note = METRIC_NOTES.get(metric, "")
    return f"{silhouette_band(value)}: {note}" if metric == "silhouette" else note


def build_page(spec: Spec, marts: Mapping[str, pd.DataFrame], figures: Sequence[tuple[str, str]],
               figure_notes: Mapping[str, str] | None = None, nav: Sequence[tuple[str, str]] = ()) -> str:
    """One spec's report as an HTML document.

    Parameters
    ----------
    spec : Spec
        The spec the marts were built from.
    marts : mapping of str to DataFrame
        Short table name (``assignments``, ``clusters``, ...) -> the spec's rows.
    figures : sequence of (key, relative file)
        Figures drawn, in display order.
    figure_notes : mapping of str to str, optional
        Figures the spec asks for but that could not be drawn -> why.
    nav : sequence of (label, href), optional
        The report site's navigation, hrefs relative to this page.

    Returns
    -------
    str
    """
    metrics = marts["metrics"].copy()
    metrics["meaning"] = [metric_meaning(m, v) for m, v in zip(metrics["metric"], metrics["value"])]
    sugg = marts["suggestions"]
    interp = sugg["name"].str.startswith("interpretation_")
    notes = "".join(f"<li>{escape(str(n))}</li>" for n in sugg.loc[interp, "note"])
    importance = marts["feature_importance"].sort_values("importance", ascending=False, kind="stable")
    sections = [
        ("Interpretation", f"<ul>{notes}</ul>" if notes else '<p class="muted">no notes</p>'),
        ("Spec", _summary(spec)),
        ("Metrics", _table(metrics, ["metric", "value", "meaning"])),
        ("Figures", _figures(figures, figure_notes or {}, marts["centres"]["feature"].nunique())),
        ("Algorithm comparison", _comparison(marts["comparison"])),
        ("Clusters", _table(marts["clusters"].sort_values("cluster_id"),
                            ["cluster_id", "size", "share", "density", "compactness", "separation"],
                            percent=("share",))),
        ("Feature importance", '<p class="muted">ANOVA F across clusters; importance = share of the total F.</p>'
         + _table(importance, ["feature", "f_statistic", "importance"], percent=("importance",))),
        ("Representatives", '<p class="muted">Rows closest to each cluster centre.</p>'
         + _table(marts["representatives"].sort_values(["cluster_id", "rank"]),
                  ["cluster_id", "rank", "id", "distance"])),
        ("Outliers", _outliers(marts["assignments"])),
        ("Suggestions", _table(sugg[~interp], ["name", "value", "note"])),
    ]
    body = "".join(f"<section><h2>{escape(t)}</h2>{html}</section>" for t, html in sections)
    n_rows = len(marts["assignments"])
    return page(f"Workbench: {spec.name}", body, nav=nav, active="Workbench",
                subtitle=f"{n_rows} rows of {spec.source.describe()} clustered with {spec.algorithm.name}; "
                         "built from the workbench marts.")


#: the landing page's table: one row per spec (:func:`landing_rows`)
LANDING_COLUMNS = ("spec", "source", "rows", "algorithm", "k", "silhouette", "ari")


def landing_rows(specs: Mapping[str, Spec], marts: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per spec of the marts: its source, rows, algorithm, clusters found (noise aside), silhouette
    and ARI (None when the spec has no target), in spec name order."""
    assign, metrics = marts["assignments"], marts["metrics"]
    rows = []
    for name in sorted(assign["spec_name"].astype(str).unique()):
        spec = specs[name]
        mine = assign.loc[assign["spec_name"].astype(str).to_numpy() == name]
        score = metrics.loc[metrics["spec_name"].astype(str).to_numpy() == name].set_index("metric")["value"]
        k = int(mine.loc[mine["cluster_id"] >= 0, "cluster_id"].nunique())
        rows.append({"spec": name, "source": spec.source.describe(), "rows": len(mine),
                     "algorithm": spec.algorithm.name, "k": k,
                     "silhouette": score.get("silhouette"), "ari": score.get("ari") if spec.target else None})
    return pd.DataFrame(rows, columns=list(LANDING_COLUMNS))


def build_index(rows: pd.DataFrame, nav: Sequence[tuple[str, str]] = (), subtitle: str = "") -> str:
    """The workbench landing page (``<out>/index.html``): the report site's shell and navigation (``nav`` hrefs
    relative to this page), and a table of :func:`landing_rows` whose spec names link to their pages."""
    head = "".join(f"<th>{escape(c)}</th>" for c in ("spec", "source", "rows", "algorithm", "k", "silhouette",
                                                      "ARI"))
    body = []
    for _, row in rows.iterrows():
        name = escape(str(row["spec"]))
        ari = _fmt(row["ari"]) if pd.notna(row["ari"]) else "no target"
        band = f' <span class="muted">({escape(silhouette_band(row["silhouette"]))})</span>' \
            if pd.notna(row["silhouette"]) else ""
        body.append(f'<tr><td><a href="{name}/index.html">{name}</a></td><td>{escape(str(row["source"]))}</td>'
                    f'<td class="num">{escape(_fmt(row["rows"]))}</td><td>{escape(str(row["algorithm"]))}</td>'
                    f'<td class="num">{escape(_fmt(row["k"]))}</td>'
                    f'<td class="num">{escape(_fmt(row["silhouette"]))}{band}</td>'
                    f'<td class="num">{escape(ari)}</td></tr>')
    table = (f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>" if body
             else '<p class="muted">no spec in the workbench marts</p>')
    intro = ('<p>Every spec clusters one table as its YAML file says (var <code>workbench_specs_path</code>, '
             "default <code>specs/</code>); its dbt model <code>int_workbench_fit_&lt;spec&gt;</code> reads the "
             "source shown, so the lineage of dbt docs shows it too. k counts the clusters found (noise aside); "
             "ARI compares them with the spec's target column.</p>")
    return page("Clustering workbench", section("Specs", intro + table, "specs"), subtitle=subtitle, nav=nav,
                active="Workbench")
