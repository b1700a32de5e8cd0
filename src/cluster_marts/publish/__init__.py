"""Write, audit, publish: BI reads a serving warehouse that a build never touches.

``dbt build`` writes the build warehouse (``CLUSTER_MARTS_DB``) and tests it.
:func:`run_publish` then checks dbt's record of that build
(:mod:`~cluster_marts.publish.audit`): only a ``dbt build`` in which nothing
errored, failed or was skipped is published. The published tables are copied
into a new serving file that replaces the old one in one rename
(:mod:`~cluster_marts.publish.serving`), with the models' YAML descriptions as
table and column comments (:mod:`~cluster_marts.publish.docs`), optionally
exported as Parquet (:mod:`~cluster_marts.publish.parquet`, the descriptions as
key-value metadata), and described in ``published.json`` beside the serving
file (run ids, build time, rows, description and column descriptions per
table, dbt invocation, the domains the build had on).
The tables are the marts of the build's manifest: a domain switched off
(var ``cluster_marts_domains``) has no node there, so none of its tables is
published, whatever an earlier build left in the build warehouse.
A refused publish leaves the serving file as it was and exits non-zero.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from cluster_marts.publish.audit import BuildRecord, PublishError, published_models, read_build, refusal
from cluster_marts.publish.docs import table_docs
from cluster_marts.publish.parquet import export_parquet
from cluster_marts.publish.serving import built_by, copy_tables, publish_lock, remove_leftovers
from cluster_marts.warehouse import built_domains_of

__all__ = ["PublishError", "manifest_path", "publish", "run_publish"]

DEFAULT_SERVING = "target/serving.duckdb"


def manifest_path(serving: Path) -> Path:
    """``published.json`` beside the serving file."""
    return serving.with_name("published.json")


def publish(build_db: str | Path, serving: str | Path, *, target_dir: str | Path = "target",
            parquet_dir: str | Path | None = None) -> dict:
    """Publish the audited build; return the manifest written to ``published.json``.

    Raises
    ------
    PublishError
        The last dbt invocation was not a clean ``dbt build``, or its files are missing.
    """
    # absolute, not resolved: the Parquet root is a link that must stay a link
    build_db, serving = Path(os.path.abspath(build_db)), Path(os.path.abspath(serving))
    record = read_build(target_dir)
    reason = refusal(record)
    if reason:
        raise PublishError(f"not published: {reason}. {_kept(serving)}")
    invocation = built_by(build_db)
    if invocation != record.invocation_id:
        recorded = invocation or ("(none recorded: the on-run-end hook record_build_invocation is off when var "
                                  "cluster_marts_record_invocation is false)")
        raise PublishError(
            f"not published: {build_db} was last written by dbt invocation {recorded}, "
            f"but {Path(target_dir) / 'run_results.json'} is of {record.invocation_id}: publish the warehouse "
            f"that build wrote (--db / CLUSTER_MARTS_DB) with its own target folder. {_kept(serving)}")
    tables = published_models(target_dir)
    domains = built_domains_of(build_db)
    serving.parent.mkdir(parents=True, exist_ok=True)
    with publish_lock(serving):
        remove_leftovers(serving)
        summary = copy_tables(build_db, serving, tables, table_docs(target_dir, tables))
        manifest = _manifest(record, build_db, serving, summary, domains)
        if parquet_dir is not None:
            version = f"{manifest['published_at'].replace(':', '').replace('-', '')}-{record.invocation_id[:8]}"
            root = Path(os.path.abspath(parquet_dir))
            folder = export_parquet(serving, root, tables, manifest, version)
            manifest["parquet"] = {"path": str(root), "version": folder.name}
        _write_atomically(manifest_path(serving), json.dumps(manifest, indent=2))
    return manifest


def _manifest(record: BuildRecord, build_db: Path, serving: Path, summary: dict, domains: tuple[str, ...]) -> dict:
    return {
        "published_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "dbt_invocation_id": record.invocation_id,
        "build_generated_at": record.generated_at,
        "build_selection": list(record.selected),
        "build_warnings": record.n_warnings,
        "domains": list(domains),
        "build_db": str(build_db),
        "serving_db": str(serving),
        "tables": summary,
    }


def _kept(serving: Path) -> str:
    """What BI keeps reading after a refused publish."""
    try:
        last = json.loads(manifest_path(serving).read_text())
        return (f"{serving} keeps the version published at {last['published_at']} "
                f"(dbt invocation {last['dbt_invocation_id']})")
    except (OSError, ValueError, KeyError):
        return f"{serving} is unchanged" if serving.exists() else f"nothing has been published to {serving} yet"


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def run_publish(build_db: str, serving: str, target_dir: str = "target", parquet_dir: str | None = None) -> int:
    """CLI entry: publish, print what was published or why not, return the exit code."""
    try:
        manifest = publish(build_db, serving, target_dir=target_dir, parquet_dir=parquet_dir)
    except PublishError as error:
        print(f"publish: {error}", file=sys.stderr)
        return 1
    tables = manifest["tables"]
    rows = sum(table["rows"] for table in tables.values())
    print(f"published {len(tables)} tables ({rows:,} rows; domains {', '.join(manifest['domains'])}) of dbt build "
          f"{manifest['dbt_invocation_id']} to {manifest['serving_db']}; "
          f"manifest {manifest_path(Path(manifest['serving_db']))}")
    if "parquet" in manifest:
        print(f"parquet: {manifest['parquet']['path']} -> {manifest['parquet']['version']}")
    return 0
