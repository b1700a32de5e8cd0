"""Partial builds as people type them: `dbt build -s +<customer mart>` on an empty warehouse exits 0 without
extra flags, for every customer mart.

dbt's default (eager) indirect selection adds every test with one selected parent, also when its other
parents are not part of the build. Such a test must not fail on the missing tables: it reads them through
macro skip_unless_built, which skips it (a note in the log) when one is absent. Checked here for every
customer mart from the manifest, without building: the selection of `+<mart>` (the mart, its ancestors and
the tests eager selection adds, the same set `dbt ls` lists, checked for one mart) holds no test with an
unselected parent that is not guarded. The real empty-warehouse builds without flags are those of
tests/integration/test_fresh_builds.py (customer_segments, customer_memberships, customer_lapse_risk)."""

from __future__ import annotations

import json

import pytest
from conftest import PROJECT_ROOT, run_dbt

pytestmark = pytest.mark.integration

GUARD = "macro.cluster_marts.skip_unless_built"


@pytest.fixture(scope="module")
def manifest(raw_dir, tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("partial_parse")
    done = run_dbt(["parse"], db=tmp / "parse.duckdb", project_dir=PROJECT_ROOT, raw=raw_dir, tmp=tmp)
    assert done.returncode == 0, done.stdout[-3000:]
    return json.loads((tmp / "dbt_target" / "manifest.json").read_text())


def _customer_marts(manifest: dict) -> list[str]:
    return sorted(node["unique_id"] for node in manifest["nodes"].values()
                  if node["resource_type"] == "model"
                  and node["original_file_path"].startswith("models/marts/customers/")
                  and not node["name"].startswith("int_"))


def _selection(manifest: dict, mart: str) -> tuple[set[str], set[str]]:
    """(`+mart`'s nodes, the tests eager selection adds: those with one selected parent)."""
    selected, todo = set(), [mart]
    while todo:
        node = todo.pop()
        if node not in selected:
            selected.add(node)
            todo.extend(parent for parent in manifest["parent_map"].get(node, [])
                        if not parent.startswith("test."))
    tests = {unique_id for unique_id, node in manifest["nodes"].items()
             if node["resource_type"] == "test" and set(node["depends_on"]["nodes"]) & selected}
    return selected, tests


def _guarded(manifest: dict, test: str) -> bool:
    """The test calls skip_unless_built (directly or through the macros it calls)."""
    seen, todo = set(), list(manifest["nodes"][test]["depends_on"]["macros"])
    while todo:
        macro = todo.pop()
        if macro == GUARD:
            return True
        if macro not in seen and macro in manifest["macros"]:
            seen.add(macro)
            todo.extend(manifest["macros"][macro]["depends_on"]["macros"])
    return False


def test_no_customer_mart_selects_an_unguarded_test_with_a_parent_it_does_not_build(manifest):
    marts = _customer_marts(manifest)
    assert len(marts) >= 15
    unguarded = {}
    for mart in marts:
        selected, tests = _selection(manifest, mart)
        outside = [test for test in tests
                   if not set(manifest["nodes"][test]["depends_on"]["nodes"]) <= selected]
        assert outside or mart.endswith("customer_memberships"), mart  # the guard is exercised
        unguarded.update({test: mart for test in outside if not _guarded(manifest, test)})
    assert not unguarded, f"tests that fail a partial build on an empty warehouse (test: mart): {unguarded}"


def test_the_selection_is_the_one_dbt_ls_lists(manifest, raw_dir, tmp_path):
    mart = "model.cluster_marts.customer_lapse_risk"
    done = run_dbt(["ls", "-s", "+customer_lapse_risk", "--resource-type", "test", "--output", "json",
                    "--output-keys", "unique_id"], db=tmp_path / "ls.duckdb", project_dir=PROJECT_ROOT,
                   raw=raw_dir, tmp=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:]
    listed = {json.loads(line)["unique_id"] for line in done.stdout.splitlines() if line.startswith("{")}
    assert listed == _selection(manifest, mart)[1]

