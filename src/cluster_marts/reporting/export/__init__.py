"""Cluster profile export for LLM analysis (``cluster-marts export``).

Reads the customer segmentation marts from the warehouse (read-only) and
writes, for one axis and each method (FCM, GMM, autoencoder + k-means), a
profile in JSON and in YAML::

    {method}_cluster_profile_{YYYYmmdd_HHMMSS}.json / .yaml

with one UTC timestamp shared by the six files. The layout follows the
profile export of the reference design and is fixed by
``schemas/cluster_profile.schema.json``; ``prompts/cluster_profile_analysis.md``
is the prompt template that goes with it (:func:`render_prompt`).

Sources
-------
``customer_fit_metrics``
    one row per axis and method: k, n_samples, run_id, features (comma
    separated), quality metrics, GMM uncertainty, method parameters.
``customer_segment_profiles``
    one row per axis, method, segment (top level and subsegments) and feature:
    size, percentage, member statistics, centre and the method's extras.

Layout (see :mod:`cluster_marts.reporting.export.profile` for the details)
------------------------------------------------------------------
``metadata``
    method (human name), method_key, axis, timestamp (ISO 8601, UTC),
    n_clusters (= k), n_samples, run_id and the method's parameters.
``metrics``
    silhouette_score and the method's metrics (only those in the marts).
``features_used``
    the axis features, in the order of ``customer_fit_metrics.features``.
``clusters``
    ``cluster_<segment_id>`` per top-level segment, with its subsegments
    (keyed by segment path) when it was subdivided.
GMM root additions
    ``mixture_weights`` (by cluster id) and ``uncertainty_metrics``.

Privacy guard: every segment or subsegment smaller than ``min_segment_size``
customers has every ``min`` and ``max`` withheld (the keys are absent, in the
feature statistics and in the membership / probability statistics) and carries
``"privacy": {"min_max_withheld": true, "reason": "segment smaller than N"}``.
Null values in the marts (e.g. the std of a one-customer segment) are
written as ``null``.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from cluster_marts.profiling.vocabulary import silhouette_scale
from cluster_marts.reporting.export.profile import (
    FIT_COLUMNS,
    FIT_TABLE,
    METHODS,
    PROFILE_COLUMNS,
    PROFILE_TABLE,
    ExportError,
    build_profile,
)
from cluster_marts.warehouse import MartError, read_marts

__all__ = ["METHODS", "ExportError", "build_profiles", "render_prompt", "run_export", "write_profile"]

DEFAULT_MIN_SEGMENT_SIZE = 5
PROMPT_REL = Path("prompts") / "cluster_profile_analysis.md"
TIMESTAMP_FORMAT = "%Y%m%d_%H%M%S"


def build_profiles(fit_metrics: Any, segment_profiles: Any, axis: str, timestamp: datetime,
                   min_segment_size: int = DEFAULT_MIN_SEGMENT_SIZE) -> dict[str, dict[str, Any]]:
    """``{method_key: profile}`` for every method of :data:`METHODS` fitted on ``axis`` (in that order).

    Raises
    ------
    ExportError
        When the axis, a method or its profile rows are missing, or the axis was skipped (not segmented).
    """
    axes = sorted(fit_metrics["axis"].dropna().unique())
    if axis not in axes:
        raise ExportError(f"axis {axis!r} not in {FIT_TABLE}; available: {', '.join(axes) or '(none)'}")
    skipped = fit_metrics[(fit_metrics["axis"] == axis) & (fit_metrics["status"] == "skipped")]
    if not skipped.empty:
        fitted = sorted(fit_metrics.loc[fit_metrics["status"] == "fitted", "axis"].dropna().unique())
        raise ExportError(f"{skipped['reason'].iloc[0]} (status 'skipped' in {FIT_TABLE}): it has no segments to "
                          f"export; segmented axes: {', '.join(fitted) or '(none)'}")
    fitted = set(fit_metrics.loc[fit_metrics["axis"] == axis, "method"])
    return {method: build_profile(fit_metrics, segment_profiles, axis, method, timestamp, min_segment_size)
            for method in METHODS if method in fitted}


def write_profile(profile: dict[str, Any], out_dir: Path, stamp: str) -> tuple[Path, Path]:
    """Write ``profile`` as ``{method_key}_cluster_profile_{stamp}.json`` and ``.yaml``."""
    stem = f"{profile['metadata']['method_key']}_cluster_profile_{stamp}"
    json_path, yaml_path = out_dir / f"{stem}.json", out_dir / f"{stem}.yaml"
    json_path.write_text(json.dumps(profile, indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                         encoding="utf-8")
    yaml_path.write_text(yaml.safe_dump(profile, sort_keys=False, allow_unicode=True, width=100),
                         encoding="utf-8")
    return json_path, yaml_path


def run_export(db_path: str | Path, out_dir: str | Path, axis: str,
               min_segment_size: int = DEFAULT_MIN_SEGMENT_SIZE) -> int:
    """Write the profile of every method fitted on ``axis`` (FCM, GMM, and neural when switched on; a JSON and
    a YAML file each) into ``out_dir``.

    Parameters
    ----------
    db_path : str or path
        DuckDB warehouse, opened read-only.
    out_dir : str or path
        Output directory, created when missing.
    axis : str
        Segmentation axis (a value of ``customer_fit_metrics.axis``).
    min_segment_size : int
        Segments with fewer customers get their min and max withheld (>= 1).

    Returns
    -------
    int
        0 on success; 1 (nothing written) when a mart, the axis or a method is
        missing, or ``min_segment_size`` is below 1.
    """
    if min_segment_size < 1:
        print(f"export: --min-segment-size must be at least 1, got {min_segment_size}", file=sys.stderr)
        return 1
    try:
        frames = read_marts(db_path, {FIT_TABLE: FIT_COLUMNS, PROFILE_TABLE: PROFILE_COLUMNS})
    except MartError as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return 1
    now = datetime.now(UTC).replace(microsecond=0)
    try:
        profiles = build_profiles(frames[FIT_TABLE], frames[PROFILE_TABLE], axis, now, min_segment_size)
    except ExportError as exc:
        print(f"export failed: {exc}", file=sys.stderr)
        return 1
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stamp = now.strftime(TIMESTAMP_FORMAT)
    for profile in profiles.values():
        for path in write_profile(profile, out, stamp):
            print(f"wrote {path}")
    return 0


def render_prompt(profile: dict[str, Any], template: str | Path | None = None) -> str:
    """The LLM prompt for ``profile``: the template's prompt part (below its first ``---``
    line) with ``{axis}``, ``{method}``, ``{silhouette_scale}`` (the report vocabulary's
    silhouette bands) and ``{json_content}`` replaced."""
    path = Path(template) if template else _find_prompt()
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    text = body.lstrip("\n") if sep else head
    return (text.replace("{axis}", str(profile["metadata"]["axis"]))
            .replace("{method}", str(profile["metadata"]["method"]))
            .replace("{silhouette_scale}", silhouette_scale())
            .replace("{json_content}", json.dumps(profile, indent=2, ensure_ascii=False)))


def _find_prompt() -> Path:
    """``prompts/cluster_profile_analysis.md`` in the working directory, else in the repository."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[4]):
        if (base / PROMPT_REL).is_file():
            return base / PROMPT_REL
    raise FileNotFoundError(f"prompt template {PROMPT_REL} not found")
