"""Optional Parquet export of the published tables, swapped in whole.

``<root>`` is a symbolic link to one version folder
``<root>.versions/<published_at>-<invocation>/`` holding ``<table>/<table>.parquet``
per table (its description and its columns' as key-value metadata:
``description``, ``column_descriptions`` as JSON) and the ``published.json`` manifest. A publish writes a new version
folder, then points a new link at it and renames the link over ``<root>``
(atomic), so a tool listing ``<root>`` sees one whole version. The previous
version is kept (a reader may still be in it); older ones are removed.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import duckdb

from cluster_marts.publish.audit import PublishError
from cluster_marts.publish.docs import parquet_metadata
from cluster_marts.publish.sql import quote, sql_literal

KEEP_VERSIONS = 2


def export_parquet(serving: Path, root: Path, tables: Sequence[str], manifest: dict, version: str) -> Path:
    """Write ``tables`` of the serving file as Parquet under a new version of ``root``; return it."""
    if root.exists() and not root.is_symlink():
        raise PublishError(f"{root} exists and is not a link written by publish: move it away or choose "
                           "another folder (CLUSTER_MARTS_PARQUET_DIR / --parquet)")
    versions = root.with_name(root.name + ".versions")
    folder, n = versions / version, 1
    while folder.exists():  # a second publish of one build within a second
        n += 1
        folder = versions / f"{version}-{n}"
    version = folder.name
    partial = versions / f".{version}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    con = duckdb.connect(str(serving), read_only=True)
    try:
        for table in tables:
            (partial / table).mkdir()
            target = sql_literal(partial / table / f"{table}.parquet")
            metadata = parquet_metadata(manifest.get("tables", {}).get(table, {}))
            con.execute(f"copy main.{quote(table)} to {target} (format parquet{metadata})")
    finally:
        con.close()
    (partial / "published.json").write_text(json.dumps(manifest, indent=2))
    partial.rename(folder)
    link = root.with_name(f".{root.name}.link")
    link.unlink(missing_ok=True)
    link.symlink_to(folder.relative_to(root.parent))
    os.replace(link, root)
    _prune(versions, keep=folder)
    return folder


def _prune(versions: Path, keep: Path) -> None:
    """Keep ``keep`` and the newest other version; remove the rest and partial leftovers."""
    done = sorted((p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".")),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    others = [p for p in done if p != keep]
    for old in others[KEEP_VERSIONS - 1:]:
        shutil.rmtree(old, ignore_errors=True)
    for partial in versions.glob(".*.partial"):
        if partial.name != f".{keep.name}.partial":
            shutil.rmtree(partial, ignore_errors=True)
