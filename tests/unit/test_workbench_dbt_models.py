"""One dbt Python model per workbench spec: written from the specs, its literal call the spec's source."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from cluster_marts.adapters.workbench import dbt_models
from cluster_marts.config.spec import load_spec, parse_spec

ROOT = Path(__file__).resolve().parents[2]
SPEC = {"name": "toy", "id_column": "id", "features": ["a", "b"], "algorithm": {"name": "kmeans"}}


def test_the_shipped_models_are_written_from_the_shipped_specs():
    """python_models/workbench/fits/ is exactly what the writer makes of specs/ (rerun it after editing a spec)."""
    files = dbt_models.expected_files(ROOT / "specs", ROOT / dbt_models.MODELS_DIR)
    on_disk = set((ROOT / dbt_models.MODELS_DIR).glob("*"))
    assert on_disk == set(files)
    for path, text in files.items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is out of date: cluster-marts workbench-models"


def test_var_workbench_specs_lists_every_shipped_spec():
    names = sorted(load_spec(p).name for p in (ROOT / "specs").glob("*.yml"))
    project = yaml.safe_load((ROOT / "dbt_project.yml").read_text())
    assert sorted(project["vars"]["workbench_specs"]) == names
    assert project["vars"]["workbench_specs_path"] == "specs"


def test_the_call_dbt_parses_is_the_specs_source():
    by_ref = dbt_models.model_code(parse_spec({**SPEC, "source": {"ref": "customer_features"}}))
    assert re.search(r'workbench_fit\(dbt\.ref\("customer_features"\), .*reads="ref customer_features"', by_ref,
                     re.S)
    by_source = dbt_models.model_code(parse_spec({**SPEC, "source": {"source": ["raw", "wine"]}}))
    assert 'dbt.source("raw", "wine")' in by_source and 'reads="source raw.wine"' in by_source
    by_file = dbt_models.model_code(parse_spec({**SPEC, "source": {"path": "x.csv"}}))
    assert "workbench_fit(None, " in by_file and "dbt.ref" not in by_file.split('"""')[-1]
    compile(by_ref, "model.py", "exec")


def test_write_models_removes_the_models_of_removed_specs(tmp_path):
    (tmp_path / "specs").mkdir()
    for name in ("one", "two"):
        (tmp_path / "specs" / f"{name}.yml").write_text(yaml.safe_dump({**SPEC, "name": name,
                                                                         "source": {"ref": name}}))
    out = tmp_path / "models"
    dbt_models.write_models(tmp_path / "specs", out)
    assert {p.name for p in out.glob("*.py")} == {"int_workbench_fit_one.py", "int_workbench_fit_two.py"}
    (tmp_path / "specs" / "two.yml").unlink()
    dbt_models.write_models(tmp_path / "specs", out)
    assert {p.name for p in out.glob("*.py")} == {"int_workbench_fit_one.py"}
    docs = yaml.safe_load((out / dbt_models.YAML_FILE).read_text())
    assert [m["name"] for m in docs["models"]] == ["int_workbench_fit_one"]
    assert dbt_models.main(["--specs", str(tmp_path / "specs"), "--out", str(out), "--check"]) == 0


def test_the_command_writes_and_checks_the_models(tmp_path, capsys):
    from cluster_marts.cli import main as cluster_marts

    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "one.yml").write_text(yaml.safe_dump({**SPEC, "name": "one", "source": {"ref": "one"}}))
    out = tmp_path / "models"
    args = ["workbench-models", "--specs", str(tmp_path / "specs"), "--out", str(out)]
    assert cluster_marts([*args, "--check"]) != 0  # nothing written yet
    assert cluster_marts(args) == 0
    assert (out / "int_workbench_fit_one.py").is_file()
    assert cluster_marts([*args, "--check"]) == 0
