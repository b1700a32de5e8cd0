"""HTML reports of the clustering workbench, one page per spec, from the workbench marts.

:func:`run_workbench_report` reads the eight ``workbench_*`` marts (read-only),
and for every ``spec_name`` in them writes ``out_dir/<spec_name>/index.html``
with the figures the spec's ``figures`` key asks for (PNG, matplotlib Agg)
next to it, plus the landing page ``out_dir/index.html``: the report site's
navigation and style, one row per spec (source, rows, algorithm, k,
silhouette, ARI when the spec has a target) linking its page. Numbers come from
the marts; only the dendrogram recomputes something: the linkage of the
engine's prepared matrix of the spec's source (a dbt model of the warehouse, or
a file).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from cluster_marts.config.spec import Spec, load_spec
from cluster_marts.errors import InputDataError, SettingsError
from cluster_marts.warehouse import MartError, built_domains_of, read_marts

__all__ = ["run_workbench_report", "write_spec_report", "load_workbench_marts", "load_specs", "MARTS",
           "FIGURE_FILES"]

MARTS: dict[str, tuple[str, ...]] = {
    "workbench_assignments": ("spec_name", "id", "cluster_id", "confidence", "is_noise", "is_outlier",
                              "outlier_score", "x_2d", "y_2d", "silhouette"),
    "workbench_clusters": ("spec_name", "cluster_id", "size", "share", "density", "compactness", "separation"),
    "workbench_centres": ("spec_name", "cluster_id", "feature", "value_scaled", "value_original"),
    "workbench_metrics": ("spec_name", "metric", "value"),
    "workbench_feature_importance": ("spec_name", "feature", "f_statistic", "importance"),
    "workbench_representatives": ("spec_name", "cluster_id", "rank", "id", "distance"),
    "workbench_comparison": ("spec_name", "algorithm", "n_clusters", "silhouette", "noise_share",
                             "is_recommended", "reason"),
    "workbench_suggestions": ("spec_name", "name", "value", "note"),
}
FIGURE_FILES = {"scatter": "scatter.png", "silhouette": "silhouette.png", "heatmap": "heatmap.png",
                "dendrogram": "dendrogram.png"}
_PREFIX = "workbench_"


def load_workbench_marts(db_path: str | Path) -> dict[str, pd.DataFrame]:
    """Read the workbench marts (read-only), keyed by short name (``assignments``, ...).

    Raises
    ------
    MartError
        A mart or column is missing, or a mart is empty (the message says to run ``make build``).
    """
    return {name.removeprefix(_PREFIX): frame for name, frame in read_marts(db_path, MARTS).items()}


def load_specs(specs_dir: str | Path) -> dict[str, Spec]:
    """Every spec of ``specs_dir`` (``*.yml``, ``*.yaml``) keyed by its ``name``."""
    folder = Path(specs_dir)
    specs = {}
    for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
        spec = load_spec(path)
        specs[spec.name] = spec
    return specs


def _source_rows(spec: Spec, root: Path, db_path: str | Path) -> pd.DataFrame:
    from cluster_marts.adapters.workbench.datasets import read_source

    if spec.source.source is not None:
        raise InputDataError(f"{spec.source.describe()} is read where dbt's source points (its vars), not from "
                             "the warehouse")
    if spec.source.ref is None:
        return read_source(spec, root)
    try:  # a dbt ref is a table of the same warehouse
        return read_marts(db_path, {spec.source.ref: ()})[spec.source.ref]
    except MartError as exc:
        raise InputDataError(str(exc)) from exc


def _dendrogram(spec: Spec, assign: pd.DataFrame, root: Path, db_path: str | Path, path: Path) -> None:
    from cluster_marts.preprocessing.prepare import prepare
    from cluster_marts.reporting.workbench.figures import dendrogram_plot

    prep = prepare(spec, _source_rows(spec, root, db_path))
    n_clusters = int(assign.loc[~assign["is_noise"].astype(bool), "cluster_id"].nunique())
    dendrogram_plot(prep.X, prep.ids, str(spec.algorithm.params.get("linkage", "ward")), n_clusters, spec.name, path,
                    random_state=spec.random_state)


def write_spec_report(spec: Spec, marts: dict[str, pd.DataFrame], out_dir: str | Path,
                      db_path: str | Path, root: str | Path = ".", nav: Sequence[tuple[str, str]] = ()) -> Path:
    """Draw one spec's figures and write its page; return the page path.

    Parameters
    ----------
    spec : Spec
    marts : dict of str to DataFrame
        Short mart name -> this spec's rows (``spec_name`` dropped).
    out_dir : str or Path
        The spec's folder (page and PNGs).
    db_path : str or Path
        Warehouse, read when the spec's source is a dbt ``ref`` (dendrogram only).
    root : str or Path, default="."
        Folder the spec's source path is relative to (dendrogram only).
    nav : sequence of (label, href), optional
        The report site's navigation, hrefs relative to the page.
    """
    from cluster_marts.reporting.workbench import figures as fig
    from cluster_marts.reporting.workbench.html import build_page

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    assign = marts["assignments"]
    red = spec.preprocessing.reduction
    projection = {"pca": "PCA", "tsne": "t-SNE"}.get(red.method, "PCA") if red.n_components == 2 else "PCA"
    drawn: list[tuple[str, str]] = []
    notes: dict[str, str] = {}
    for key in spec.figures:
        path = out / FIGURE_FILES[key]
        if key == "scatter":
            fig.scatter_plot(assign, spec.name, projection, path)
        elif key == "silhouette":
            fig.silhouette_plot(assign, spec.name, path)
        elif key == "heatmap":
            if marts["centres"].empty:
                notes[key] = "not drawn: the run found no clusters"
                continue
            fig.heatmap_plot(marts["centres"], spec.name, path)
        else:
            try:
                _dendrogram(spec, assign, Path(root), db_path, path)
            except InputDataError as exc:
                notes[key] = f"not drawn: {exc}"
                print(f"workbench report: {spec.name}: dendrogram not drawn: {exc}", file=sys.stderr)
                continue
        drawn.append((key, FIGURE_FILES[key]))
    page = out / "index.html"
    page.write_text(build_page(spec, marts, drawn, notes, nav=nav), encoding="utf-8")
    return page


def run_workbench_report(db_path: str | Path, out_dir: str | Path, specs_dir: str | Path = "specs",
                         root: str | Path = ".") -> int:
    """Write every spec's report page; 0 on success, 1 with a message on stderr otherwise.

    Parameters
    ----------
    db_path : str or Path
        DuckDB warehouse holding the ``workbench_*`` marts (opened read-only).
    out_dir : str or Path
        Pages go to ``out_dir/<spec_name>/index.html``, figures next to them.
    specs_dir : str or Path, default="specs"
        Folder of the spec YAML files the marts were built from.
    root : str or Path, default="."
        Folder the specs' source paths are relative to.

    Returns
    -------
    int
        1 when a mart is missing or empty ("run `make build` first"), a spec
        file is invalid, or a spec of the marts has no file in ``specs_dir``;
        0 with a note and nothing written when the warehouse's last build left
        the workbench out (var ``cluster_marts_domains``).
    """
    from cluster_marts.reporting.site import site_nav
    from cluster_marts.reporting.workbench.html import build_index, landing_rows

    try:
        domains = built_domains_of(db_path)
        if "workbench" not in domains:
            print(f"workbench report: the last build of {db_path} left the workbench out (var "
                  f"cluster_marts_domains: {', '.join(domains)}); nothing to report")
            return 0
        marts = load_workbench_marts(db_path)
        specs = load_specs(specs_dir)
    except (MartError, SettingsError) as exc:
        print(f"workbench report failed: {exc}", file=sys.stderr)
        return 1
    names = sorted(marts["assignments"]["spec_name"].astype(str).unique())
    missing = [n for n in names if n not in specs]
    if missing:
        print(f"workbench report failed: spec(s) {', '.join(missing)} of the marts have no file in "
              f"{specs_dir}; restore them or run `make build` first", file=sys.stderr)
        return 1
    out = Path(out_dir)
    for name in names:
        rows = {key: frame.loc[frame["spec_name"].astype(str).to_numpy() == name].drop(columns="spec_name")
                .reset_index(drop=True) for key, frame in marts.items()}
        write_spec_report(specs[name], rows, out / name, db_path, root,
                          nav=[(label, f"../../{href}") for label, href in site_nav(domains)])
    out.mkdir(parents=True, exist_ok=True)
    nav = [(label, f"../{href}") for label, href in site_nav(domains)]  # the site's pages, from reports/workbench/
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    landing = build_index(landing_rows(specs, marts), nav=nav, subtitle=f"From {Path(db_path).name}, {stamp}.")
    (out / "index.html").write_text(landing, encoding="utf-8")
    print(f"wrote {len(names)} workbench report(s) under {out}: {', '.join(names)}")
    return 0
