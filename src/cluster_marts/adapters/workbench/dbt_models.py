"""One dbt Python model per workbench spec, so dbt's lineage and docs show what each spec clusters.

dbt reads the parents of a Python model from the literal strings of its ``dbt.ref("...")`` and
``dbt.source("...", "...")`` calls, so every spec gets a small model of its own,
``int_workbench_fit_<spec>``, whose only call is the spec's source (incremental, ``delete+insert`` on
``fit_key``: it reads its own previous cluster memory, so cluster ids hold across builds):

- ``source: {ref: customer_features}`` -> ``dbt.ref("customer_features")``;
- ``source: {source: [raw, wine]}`` -> ``dbt.source("raw", "wine")`` (a file declared in models/sources.yml);
- ``source: {path: ...}`` -> no parent: the adapter reads the file (off dbt's lineage; prefer a source).

:func:`write_models` writes those models and their YAML docs from the specs of a folder;
``python -m cluster_marts.adapters.workbench.dbt_models`` runs it (``--check`` only says whether the
written files are up to date). The spec names also go into var ``workbench_specs``, the list
``int_workbench_analysis`` stacks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cluster_marts.config.spec import Spec, load_spec

__all__ = ["MODELS_DIR", "YAML_FILE", "model_name", "model_code", "models_yaml", "expected_files", "write_models"]

MODELS_DIR = Path("python_models/workbench/fits")
YAML_FILE = "_workbench_fits__models.yml"


def model_name(spec: Spec) -> str:
    """``int_workbench_fit_<spec name>``."""
    return f"int_workbench_fit_{spec.name}"


def _read_call(spec: Spec) -> str:
    src = spec.source
    if src.ref is not None:
        return f'dbt.ref("{src.ref}")'
    if src.source is not None:
        return f'dbt.source("{src.source[0]}", "{src.source[1]}")'
    return "None"


def model_code(spec: Spec) -> str:
    """The Python model of one spec (its source's literal ``dbt.ref`` / ``dbt.source`` call)."""
    name = model_name(spec)
    return (
        f'"""Workbench spec {spec.name} ({Path(spec.file).name}) on {spec.source.describe()}.\n\n'
        "Written by `python -m cluster_marts.adapters.workbench.dbt_models` from the spec: the literal call below\n"
        "is the spec's parent in dbt's lineage. The analysis: cluster_marts.adapters.workbench.warehouse.\n"
        "Incremental: the previous build's cluster memory (its own rows) is read back, so a cluster that keeps\n"
        "its members keeps its id; --full-refresh numbers them afresh; a table of older columns is replaced.\n"
        '"""\n\n'
        "from cluster_marts.adapters.memory import current_layout, read_previous\n"
        "from cluster_marts.adapters.workbench.warehouse import workbench_fit\n"
        "from cluster_marts.progress import log_to_dbt\n\n\n"
        "def model(dbt, session):\n"
        "    # each build replaces every row (all share one fit_key); a table of older columns is replaced\n"
        '    dbt.config(materialized="incremental", incremental_strategy="delete+insert", unique_key="fit_key")\n'
        "    log_to_dbt()\n"
        f"    table = workbench_fit({_read_call(spec)}, dbt.config.get(\"meta\"), spec=\"{spec.name}\",\n"
        f'                          reads="{spec.source.describe()}", model="{name}",\n'
        f'                          previous=read_previous(dbt, session, "{spec.name}"))\n'
        "    return current_layout(dbt, session, table)\n"
    )


def models_yaml(specs: list[Spec]) -> str:
    """The YAML docs of every spec's model (description, config.meta)."""
    lines = [
        "version: 2",
        "",
        "# Written by `python -m cluster_marts.adapters.workbench.dbt_models` from the specs (var",
        "# workbench_specs_path, default specs/): one model per spec, its parent the spec's source. The spec",
        "# names are listed in var workbench_specs (dbt_project.yml), which int_workbench_analysis stacks.",
        "models:",
    ]
    for spec in specs:
        target = f" Target column {spec.target} (ARI, NMI)." if spec.target else ""
        lines += [
            f"  - name: {model_name(spec)}",
            "    description: >",
            f"      Workbench spec {spec.name} ({Path(spec.file).name}): {len(spec.features)} features of "
            f"{spec.source.describe()},",
            f"      clustered with {spec.algorithm.name}.{target} Every table of its analysis as one long table",
            "      (record_type, spec_name, the tables' columns, run_id, the cluster memory and lineage records as",
            "      JSON in record, fit_key); int_workbench_analysis stacks the specs. Incremental: cluster ids are",
            "      kept from the previous build.",
            "    config:",
            "      meta: &workbench" if spec is specs[0] else "      meta: *workbench",
        ]
        if spec is specs[0]:
            lines += ["        specs_path: \"{{ var('workbench_specs_path', 'specs') }}\"",
                      "        root: \"{{ var('workbench_root', '.') }}\""]
        lines += ["    columns:",
                  "      - name: record_type",
                  "        description: Which workbench table the row belongs to.",
                  "      - name: run_id",
                  "        description: Hash of the spec's settings, ids, target and raw features.",
                  "      - name: record",
                  "        description: A cluster_memory or lineage record as JSON (null on the other rows).",
                  "      - name: fit_key",
                  "        description: The spec's name on every row; the incremental model's unique key."]
    return "\n".join(lines) + "\n"


def _specs(specs_dir: str | Path) -> list[Spec]:
    files = sorted([*Path(specs_dir).glob("*.yml"), *Path(specs_dir).glob("*.yaml")])
    return sorted((load_spec(path) for path in files), key=lambda spec: spec.name)


def expected_files(specs_dir: str | Path, out_dir: str | Path = MODELS_DIR) -> dict[Path, str]:
    """Path -> text of every file :func:`write_models` writes for the specs of ``specs_dir``."""
    specs = _specs(specs_dir)
    out = Path(out_dir)
    files = {out / f"{model_name(spec)}.py": model_code(spec) for spec in specs}
    files[out / YAML_FILE] = models_yaml(specs) if specs else ""
    return files


def write_models(specs_dir: str | Path = "specs", out_dir: str | Path = MODELS_DIR) -> list[Path]:
    """Write the model of every spec and their YAML; remove models of specs that are gone. Returns the paths."""
    files = expected_files(specs_dir, out_dir)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for stale in set(out.glob("int_workbench_fit_*.py")) - set(files):
        stale.unlink()
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    return sorted(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="write one dbt Python model per workbench spec")
    parser.add_argument("--specs", default="specs", help="folder of the spec YAML files")
    parser.add_argument("--out", default=str(MODELS_DIR), help="folder of the models")
    parser.add_argument("--check", action="store_true", help="only say whether the models are up to date")
    args = parser.parse_args(argv)
    files = expected_files(args.specs, args.out)
    if args.check:
        stale = [str(p) for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
        print("\n".join(f"out of date: {p}" for p in stale) or "workbench models are up to date")
        return 1 if stale else 0
    paths = write_models(args.specs, args.out)
    names = ", ".join(p.stem.removeprefix("int_workbench_fit_") for p in paths if p.suffix == ".py")
    print(f"wrote {len(paths)} file(s) under {args.out}; var workbench_specs: [{names}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
