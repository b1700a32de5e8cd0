"""Runs visible where teams already look: every fit of the build logged to an MLflow tracking server.

``cluster-marts track --uri URI`` (run by ``make build`` when ``TRACKING_URI`` / ``CLUSTER_MARTS_TRACKING_URI``
is set; off by default) reads the k-selection marts of every domain (:data:`K_SELECTION`: one schema for
all, ``models/marts/_k_selection__models.yml``) and logs one MLflow run per domain, axis (the workbench:
spec) and method, named by the fit's ``run_id``:

- **parameters**: the fit settings (``settings_json``, flattened), k, algorithm, selection rule, features,
  rows;
- **metrics**: the chosen k's scores (inertia, silhouette, Calinski-Harabasz, Davies-Bouldin, gap, BIC, ...),
  and every score by k as a metric history (step = k); a workbench fit logs the scores of the fit its spec
  asked for (``workbench_metrics``, with ARI and NMI when the spec has a target) and the clusters it found;
- **artifacts**: the k-selection table (``k_selection.csv``) and its figure (``k_selection.png``).

Tags ``cluster_marts.domain``, ``.axis`` (the workbench: the spec's name), ``.method`` and ``.run_id``
identify a fit; one already logged is
not logged again, so rerunning after an unchanged build adds nothing. Tracking never fails the build:
when MLflow is not installed or the server cannot be reached, a warning says so and the command exits 0.
A ``file:`` store (a folder, as in the tests) is allowed explicitly (``MLFLOW_ALLOW_FILE_STORE``).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cluster_marts.reporting.site.data import Marts
from cluster_marts.reporting.site.k_selection import K_SELECTION_MARTS
from cluster_marts.warehouse import MartError

__all__ = ["EXPERIMENT", "K_SELECTION", "METRICS", "SCOPE", "Fit", "fits", "log_fits", "run_track"]

EXPERIMENT = "cluster_marts"
K_SELECTION = {**K_SELECTION_MARTS, "workbench": "workbench_k_selection"}
#: the column of a k-selection mart naming the part of the domain a fit covers (default: axis)
SCOPE = {"workbench": "spec_name"}
#: scores logged when present (not null) in the chosen row, and by k
METRICS = ("inertia", "silhouette", "calinski_harabasz", "davies_bouldin", "gap", "gap_sd", "bic", "aic",
           "partition_coefficient", "partition_entropy", "reconstruction_error", "balance", "combined_score",
           "smallest_cluster_share", "largest_share")


@dataclass
class Fit:
    """One fit: its identity, the chosen row and every row of its k selection."""

    domain: str
    axis: str
    method: str
    run_id: str
    chosen: pd.Series
    k_selection: pd.DataFrame
    #: the fit's own scores and k, when they are not the chosen row's (the workbench: workbench_metrics)
    fitted: dict[str, float] = field(default_factory=dict)

    @property
    def tags(self) -> dict[str, str]:
        return {"cluster_marts.domain": self.domain, "cluster_marts.axis": self.axis,
                "cluster_marts.method": self.method, "cluster_marts.run_id": self.run_id}

    def params(self) -> dict[str, str]:
        row = self.chosen
        params = {"k": int(self.fitted.get("k", row["k"])),
                  "algorithm": self.method if self.fitted else row["algorithm"],
                  "selection_rule": row["selection_rule"], "features": row["features"],
                  "n_samples": int(row["n_samples"])}
        try:
            settings = json.loads(row["settings_json"] or "{}")
        except ValueError:
            settings = {"settings_json": row["settings_json"]}
        params |= {f"setting.{key}": value for key, value in settings.items()}
        return {key: str(value)[:500] for key, value in params.items()}  # MLflow caps parameter values

    def metrics(self) -> dict[str, float]:
        chosen = {m: float(self.chosen[m]) for m in METRICS if m in self.chosen.index and pd.notna(self.chosen[m])}
        return chosen | {m: v for m, v in self.fitted.items() if m != "k"}


def _workbench_fitted(marts: Marts) -> dict[str, dict[str, float]]:
    """Spec -> the scores of its fit (workbench_metrics) and the clusters it found (noise aside)."""
    if marts.missing(["workbench_metrics", "workbench_clusters"]):
        return {}
    scores = marts.df("select spec_name, metric, value from workbench_metrics where value is not null "
                      "and not isnan(value)")
    found = marts.df("select spec_name, count(distinct cluster_id) filter (where cluster_id >= 0) as k "
                     "from workbench_clusters group by 1")
    fitted: dict[str, dict[str, float]] = {name: {"k": float(k)} for name, k in zip(found["spec_name"], found["k"])}
    for name, metric, value in zip(scores["spec_name"], scores["metric"], scores["value"]):
        fitted.setdefault(name, {})[str(metric)] = float(value)
    return fitted


def fits(marts: Marts) -> list[Fit]:
    """Every fit of the warehouse's k-selection marts (the domains its last build had on, when built)."""
    found = []
    for domain, table in K_SELECTION.items():
        if domain not in marts.domains or marts.missing([table]):
            continue
        scope = SCOPE.get(domain, "axis")
        fitted = _workbench_fitted(marts) if domain == "workbench" else {}
        rows = marts.df(f"select * from {table} order by {scope}, method, k")
        for (axis, method, run_id), group in rows.groupby([scope, "method", "run_id"], dropna=False, sort=True):
            chosen = group[group["is_chosen"].fillna(False).astype(bool)]
            if len(chosen):
                row = chosen.iloc[0]  # a domain with one method per fit leaves method null: its algorithm
                axis = "" if pd.isna(axis) else str(axis)
                found.append(Fit(domain, axis, str(row["algorithm"] if pd.isna(method) else method), str(run_id),
                                 row, group.reset_index(drop=True), fitted.get(axis, {})))
    return found


def _already_logged(client, experiment_id: str, fit: Fit) -> bool:
    query = " and ".join(f"tags.`{key}` = '{value}'" for key, value in fit.tags.items())
    return bool(client.search_runs([experiment_id], filter_string=query, max_results=1))


def log_fits(db_path: str | Path, uri: str, experiment: str = EXPERIMENT,
             draw: Callable[[pd.DataFrame, Path], Path] | None = None) -> list[str]:
    """Log every fit not yet logged; returns the MLflow run ids written (module docstring).

    ``draw(k_selection, path)`` writes the k-selection figure (default: the report site's k-selection panel).
    Raises whatever MLflow raises; :func:`run_track` turns that into a warning.
    """
    import mlflow

    if uri.startswith("file:") or "://" not in uri:
        os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    # an unreachable server is a warning after a few seconds, not minutes of retries
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "1")
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "10")
    if draw is None:
        from cluster_marts.reporting.site.k_selection import k_selection_panel as draw
    mlflow.set_tracking_uri(uri)
    experiment_id = mlflow.set_experiment(experiment).experiment_id
    client = mlflow.MlflowClient()
    written = []
    with Marts(db_path) as marts, tempfile.TemporaryDirectory() as scratch:
        for fit in fits(marts):
            if _already_logged(client, experiment_id, fit):
                continue
            name = f"{fit.domain}.{fit.axis + '.' if fit.axis else ''}{fit.method}.{fit.run_id}"
            folder = Path(scratch) / name
            folder.mkdir()
            fit.k_selection.to_csv(folder / "k_selection.csv", index=False)
            draw(fit.k_selection, folder / "k_selection.png")
            with mlflow.start_run(run_name=fit.run_id, tags=fit.tags) as run:
                mlflow.log_params(fit.params())
                mlflow.log_metrics(fit.metrics())
                for metric in METRICS:
                    if metric in fit.k_selection.columns:
                        for k, value in zip(fit.k_selection["k"], fit.k_selection[metric]):
                            if pd.notna(value):
                                mlflow.log_metric(f"{metric}_by_k", float(value), step=int(k))
                mlflow.log_artifacts(str(folder))
                written.append(run.info.run_id)
    return written


def run_track(db_path: str | Path, uri: str | None, experiment: str = EXPERIMENT) -> int:
    """CLI entry: 0 always once the warehouse is readable (a warning when tracking is unavailable); 1 when the
    warehouse cannot be read."""
    if not uri:
        print("track: no tracking URI (set TRACKING_URI or CLUSTER_MARTS_TRACKING_URI): nothing logged")
        return 0
    try:
        written = log_fits(db_path, uri, experiment)
    except MartError as exc:
        print(f"track failed: {exc}", file=sys.stderr)
        return 1
    except ImportError:
        print("warning: tracking is on but MLflow is not installed (pip install '.[tracking]'): nothing logged",
              file=sys.stderr)
        return 0
    except Exception as exc:  # noqa: BLE001 - tracking must never fail the build
        print(f"warning: could not log the fits to {uri} ({type(exc).__name__}: {exc}); the build is unaffected",
              file=sys.stderr)
        return 0
    print(f"track: logged {len(written)} new fit(s) to {uri} (experiment {experiment})")
    return 0
