"""The bad-input catalogue (tests/integration/bad_inputs.py), built as a user would.

Each case points its source's path var at its file and builds that source's
staging models and their data tests (rows_conserved among them) into a fresh
warehouse, with the project's staging layer (its own files, copied: the rest of
the project is not needed and would triple the parse time). Cases run two at a
time, one dbt process each.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest
from bad_inputs import CASES, SOURCES, Case, Fails, Quarantined, Succeeds
from conftest import PROJECT_ROOT, run_dbt


def _staging_project(root: Path) -> Path:
    """The project's staging layer alone (sources, staging models, macros): the
    same files, parsed in a fraction of the whole project's time."""
    project = root / "project"
    (project / "models").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "dbt_project.yml", project)
    shutil.copytree(PROJECT_ROOT / "macros", project / "macros")
    shutil.copytree(PROJECT_ROOT / "models" / "staging", project / "models" / "staging")
    shutil.copy(PROJECT_ROOT / "models" / "sources.yml", project / "models")
    return project


def _build(case: Case, root: Path, project: Path, raw: Path) -> dict:
    folder = root / case.name
    folder.mkdir(parents=True)
    location = case.write(folder)
    path_var, columns_var, models, usable_model = SOURCES[case.source]
    dbt_vars = {path_var: str(location)}
    if case.columns:
        dbt_vars[columns_var] = case.columns
    db = folder / "warehouse.duckdb"
    if case.table:
        dbt_vars[path_var.replace("_path", "_table")] = case.table
        if case.table != "main.missing":
            con = duckdb.connect(str(db))
            con.execute(f"create table {case.table} as select * from '{location}'")
            con.close()
    done = run_dbt(["build", "--select", f"source:raw.{case.source} {models}", "--exclude-resource-type",
                    "unit_test"], db=db, project_dir=project, raw=raw, tmp=folder, dbt_vars=dbt_vars)
    outcome = {"returncode": done.returncode, "output": done.stdout + done.stderr, "location": location}
    if done.returncode == 0:
        con = duckdb.connect(str(db), read_only=True)
        source_sql = case.table or f"'{location}'"
        outcome["source_rows"] = con.sql(f"select count(*) from {source_sql}").fetchall()[0][0]
        outcome["usable"] = con.sql(f"select count(*) from {usable_model}").fetchall()[0][0]
        outcome["reasons"] = dict(con.sql(
            f"select quarantine_reason, count(*) from {usable_model}_quarantine group by 1").fetchall())
        con.close()
    return outcome


@pytest.fixture(scope="module")
def outcomes(raw_dir, tmp_path_factory) -> dict[str, dict]:
    root = tmp_path_factory.mktemp("bad_inputs")
    project = _staging_project(root)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda case: (case.name, _build(case, root, project, raw_dir)), CASES)
    return dict(results)


def test_the_catalogue_has_at_least_eighteen_files():
    assert len(CASES) >= 18
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_bad_input_ends_as_expected(case, outcomes):
    outcome = outcomes[case.name]
    output = outcome["output"]
    assert "Binder Error" not in output, output[-3000:]
    if isinstance(case.expect, Fails):
        assert outcome["returncode"] != 0, f"{case.name} built, but should have stopped"
        for words in case.expect.words:
            assert words in output, f"{case.name}: message lacks {words!r}:\n{output[-3000:]}"
        return
    assert outcome["returncode"] == 0, f"{case.name} failed:\n{output[-4000:]}"
    quarantined = sum(outcome["reasons"].values())
    # nothing lost: every row of the file is usable or quarantined
    assert outcome["usable"] + quarantined == outcome["source_rows"]
    if isinstance(case.expect, Quarantined):
        assert outcome["reasons"] == case.expect.reasons
    else:
        assert isinstance(case.expect, Succeeds)
        assert outcome["reasons"] == {}
        assert outcome["usable"] == case.expect.usable
