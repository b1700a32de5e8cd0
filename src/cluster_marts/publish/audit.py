"""Audit: may this build be published, and which tables does BI read?

dbt writes ``run_results.json`` and ``manifest.json`` into its target folder at
the end of every invocation. A build may be published when the last
invocation was a ``dbt build`` in which nothing errored, failed or was
skipped (warnings are allowed: they are the project's warn-level tests). The
published tables are the models under ``models/marts/`` (the contracted
marts, their summaries, profiles, snapshots, drift and the run registry),
without the ``int_*`` helpers that live beside them, plus any model whose
``config.meta.publish`` is true.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from cluster_marts.errors import ClusterMartsError, preview

#: statuses of run_results.json that stop a publish
BLOCKING = frozenset({"error", "fail", "skipped", "runtime error"})


class PublishError(ClusterMartsError):
    """The build cannot be published (it failed, or its artefacts are missing)."""


@dataclass(frozen=True)
class BuildRecord:
    """What dbt recorded about the build being published."""

    invocation_id: str
    generated_at: str
    command: str
    selected: tuple[str, ...]
    n_results: int
    n_warnings: int
    failures: tuple[str, ...]  # "status: node" for every blocking result

    @property
    def passed(self) -> bool:
        return self.command == "build" and not self.failures


def read_build(target_dir: str | Path) -> BuildRecord:
    """The last dbt invocation's record from ``<target_dir>/run_results.json``.

    Raises
    ------
    PublishError
        No run results (nothing built yet) or a file dbt did not write.
    """
    path = Path(target_dir) / "run_results.json"
    if not path.is_file():
        raise PublishError(f"no dbt run results at {path}: run `make build` (dbt build) before publishing")
    try:
        results = json.loads(path.read_text())
        metadata, args = results["metadata"], results.get("args", {})
        rows = results["results"]
    except (ValueError, KeyError) as error:
        raise PublishError(f"{path} is not a dbt run_results.json ({error}); rerun `make build`") from error
    failures = tuple(f"{row['status']}: {row['unique_id']}" for row in rows if row["status"] in BLOCKING)
    return BuildRecord(
        invocation_id=metadata.get("invocation_id", ""),
        generated_at=metadata.get("generated_at", ""),
        command=str(args.get("which", "")),
        selected=tuple(args.get("select") or ()),
        n_results=len(rows),
        n_warnings=sum(row["status"] == "warn" for row in rows),
        failures=failures,
    )


def refusal(record: BuildRecord) -> str | None:
    """Why ``record`` must not be published, or None when it may be."""
    if record.command != "build":
        return (f"the last dbt invocation ({record.invocation_id}) was `dbt {record.command or '?'}`, "
                "not `dbt build`: run `make build` so every model and test ran")
    if record.failures:
        return (f"the last dbt build ({record.invocation_id}) had {len(record.failures)} failure(s): "
                f"{preview(record.failures, limit=5)}")
    return None


def published_nodes(target_dir: str | Path) -> list[dict]:
    """The manifest nodes (``<target_dir>/manifest.json``) of the models to publish."""
    path = Path(target_dir) / "manifest.json"
    if not path.is_file():
        raise PublishError(f"no dbt manifest at {path}: run `make build` before publishing")
    nodes = json.loads(path.read_text())["nodes"].values()
    published = []
    for node in nodes:
        if node["resource_type"] != "model" or node["config"].get("materialized") == "ephemeral":
            continue
        in_marts = len(node["fqn"]) > 1 and node["fqn"][1] == "marts" and not node["name"].startswith("int_")
        if in_marts or node["config"].get("meta", {}).get("publish") is True:
            published.append(node)
    return published


def published_models(target_dir: str | Path) -> list[str]:
    """Names of the tables to publish, from ``<target_dir>/manifest.json``, sorted."""
    names = [node.get("alias") or node["name"] for node in published_nodes(target_dir)]
    if not names:
        raise PublishError(f"{Path(target_dir) / 'manifest.json'} lists no mart to publish")
    return sorted(names)
