"""The README's own-data command, end to end: `make build VARS='{...}'` as the README writes it, on a shop's
CSV (the demo orders under the README's column names), then `make report`, into a fresh warehouse.

A host project (integration_tests/: a shop's own dbt project with this package in packages.yml) builds
the same CSV with the same column mapping into equal customer_segments.

The build covers the customer domain only (`cluster_marts_domains: [customers]`): the serving file holds
the shop's customers and no table of another domain, the reports cover the customers alone, no demo data
is written (RAW points at a folder that must stay absent) and the user's folder gets no new file."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest
import yaml
from conftest import DBT, PROJECT_ROOT

pytestmark = pytest.mark.integration

COMMAND = re.compile(r"make build VARS='(.+)'")
#: tables of the other domains (providers, demand, workbench)
OTHER_DOMAINS = re.compile(r"^(provider_|dfu_|workbench_|regional_comparison$|dim_dfu$)")
#: the host project of integration_tests/
HOST = PROJECT_ROOT / "integration_tests"
FIRST_TABLES = ("customer_profile", "customer_segments", "customer_lapse_risk", "customer_value",
                "customer_segment_names")


def _documented_vars() -> str:
    """The VARS text of the README's first `make build VARS='...'` command."""
    for line in (PROJECT_ROOT / "README.md").read_text().splitlines():
        match = COMMAND.fullmatch(line.strip())
        if match:
            return match.group(1)
    pytest.fail("README.md has no `make build VARS='...'` command")


def _make(target: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run(["make", "--no-print-directory", target, *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"make {target} failed:\n{done.stdout[-5000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def own_build(raw_dir, tmp_path_factory) -> SimpleNamespace:
    """The README's own-data command (`make build`, then `make report`) on a shop's CSV in a fresh warehouse:
    the shop's folder and its files before the build, the output folder and the build's output."""
    text = _documented_vars()
    documented = yaml.safe_load(text)
    assert documented["cluster_marts_domains"] == ["customers"]
    mapping = documented["customer_orders_columns"]  # ours: the shop's
    tmp_path = tmp_path_factory.mktemp("own_data")
    user = tmp_path / "shop"
    user.mkdir()
    orders = user / Path(documented["customer_orders_path"]).name
    columns = ", ".join(f"{ours} as {mapping.get(ours, ours)}"
                        for ours in ("order_id", "customer_id", "ordered_at", "amount"))
    duckdb.sql(f"copy (select {columns} from '{raw_dir / 'customer_orders.parquet'}') to '{orders}' (header)")
    shop_files = sorted(user.iterdir())

    out = tmp_path / "out"
    out.mkdir()
    env = {key: value for key, value in os.environ.items() if key != "CLUSTER_MARTS_TRACKING_URI"}
    env |= {"CLUSTER_MARTS_DB": str(out / "build.duckdb"), "CLUSTER_MARTS_SERVING_DB": str(out / "serving.duckdb"),
            "DBT_TARGET_PATH": str(out / "dbt_target"), "DBT_LOG_PATH": str(out / "dbt_logs"),
            "CLUSTER_MARTS_TEMP_DIR": str(out / "spill")}
    own = text.replace(documented["customer_orders_path"], str(orders))
    build = _make("build", f"VARS={own}", f"RAW={out / 'demo'}", f"REPORTS={out / 'reports'}", env=env)
    _make("report", f"REPORTS={out / 'reports'}", env=env)
    return SimpleNamespace(orders=orders, mapping=mapping, user=user, shop_files=shop_files, out=out,
                           stdout=build.stdout)


def test_the_documented_own_data_command_builds_publishes_and_reports_the_customers_alone(own_build):
    out, orders = own_build.out, own_build.orders
    assert "cluster-marts demo" not in own_build.stdout and not (out / "demo").exists(), "demo data was written"
    assert sorted(own_build.user.iterdir()) == own_build.shop_files, "the build wrote into the user's folder"
    assert "left the workbench out" in own_build.stdout

    with duckdb.connect(str(out / "serving.duckdb"), read_only=True) as con:
        tables = {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}
        assert set(FIRST_TABLES) <= tables
        assert not {t for t in tables if OTHER_DOMAINS.match(t)}, tables
        profiled = {row[0] for row in con.execute("select customer_id from customer_profile").fetchall()}
        assert {row[0] for row in con.execute("select distinct domain from clustering_runs").fetchall()} \
            == {"customers"}
    shop = {row[0] for row in duckdb.sql(f"select distinct customer_id from read_csv('{orders}') "
                                         "where customer_id is not null").fetchall()}
    assert profiled == shop  # every customer of the file (its rows without one are quarantined)
    assert json.loads((out / "published.json").read_text())["domains"] == ["customers"]

    assert sorted(p.name for p in (out / "reports").glob("*.html")) == ["customers.html", "index.html"]
    assert not (out / "reports" / "workbench").exists()
    assert "Providers: not built" in (out / "reports" / "index.html").read_text()
    _only_the_customers_in_the_manifest(out / "dbt_target" / "manifest.json")


def _host_dbt(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    done = subprocess.run([str(DBT), *args], cwd=HOST, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"dbt {' '.join(args)} in the host project failed:\n{done.stdout[-6000:]}"
    return done


def test_a_host_project_installs_the_package_and_its_segments_equal_this_projects_build(own_build, tmp_path):
    """integration_tests/ is a shop's own dbt project with cluster_marts in packages.yml and the shop's column
    mapping in its vars: `dbt build -s package:cluster_marts` on the same CSV gives the customer_segments of
    this project's own build, and the host's own stg_orders builds beside the package's staging."""
    shop_db = tmp_path / "shop.duckdb"
    env = {**os.environ, "SHOP_DB": str(shop_db), "DBT_PROFILES_DIR": str(HOST), "DO_NOT_TRACK": "1",
           "DBT_TARGET_PATH": str(tmp_path / "dbt_target"), "DBT_LOG_PATH": str(tmp_path / "dbt_logs"),
           "CLUSTER_MARTS_DOMAINS": "customers"}  # dbt renders a package's dbt_project.yml without vars
    host_vars = yaml.safe_load((HOST / "dbt_project.yml").read_text())["vars"]["cluster_marts"]
    assert host_vars["customer_orders_columns"] == own_build.mapping  # the same mapping as the README's command
    cli_vars = json.dumps({"customer_orders_path": str(own_build.orders)})
    _host_dbt("deps", env=env)
    _host_dbt("build", "-s", "package:cluster_marts", "--vars", cli_vars, env=env)
    _host_dbt("build", "-s", "package:shop_analytics", "--vars", cli_vars, env=env)
    # the var alone does not switch a package's folders: the build stops naming the environment variable
    alone = subprocess.run([str(DBT), "compile", "-s", "clustering_runs", "--vars",
                            json.dumps({"customer_orders_path": str(own_build.orders),
                                        "cluster_marts_domains": ["customers"]})],
                           cwd=HOST, env={k: v for k, v in env.items() if k != "CLUSTER_MARTS_DOMAINS"},
                           capture_output=True, text=True, timeout=600)
    assert alone.returncode != 0 and "set the environment variable CLUSTER_MARTS_DOMAINS=customers" in alone.stdout

    columns = "* exclude (run_id)"  # the build that fitted them
    with duckdb.connect(str(shop_db), read_only=True) as con:
        con.execute(f"attach '{own_build.out / 'build.duckdb'}' as own (read_only)")
        host_rows = con.execute("select count(*) from main.customer_segments").fetchall()[0][0]
        assert host_rows == con.execute("select count(*) from own.main.customer_segments").fetchall()[0][0] > 0
        for left, right in (("main", "own.main"), ("own.main", "main")):
            differ = con.execute(f"select count(*) from (select {columns} from {left}.customer_segments "
                                 f"except all select {columns} from {right}.customer_segments)").fetchall()[0][0]
            assert differ == 0, f"{differ} rows of {left}.customer_segments are not in {right}"
        where = {(schema, name) for schema, name in con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database() union all "
            "select schema_name, view_name from duckdb_views() where database_name = current_database() "
            "and not internal").fetchall()}
    # the host's own stg_orders (the shop's column names) beside the package's staging, in its own schema
    assert {("main", "stg_orders"), ("main_cluster_marts_staging", "stg_customer_orders")} <= where
    assert not {name for schema, name in where if schema == "main" and name.startswith("stg_")} - {"stg_orders"}
    assert ("main_cluster_marts_staging", "int_customer_segmentation") in where
    assert ("main", "customer_segments") in where and ("main", "dbt_invocation") not in where
    assert not {name for schema, name in where if OTHER_DOMAINS.match(name)}


def _only_the_customers_in_the_manifest(path: Path) -> None:
    """Every node dbt lists, builds or runs is the customers' or the registry's (tests that dbt switched off
    with the model or seed they test stay in `nodes` with enabled: false and no parent)."""
    manifest = json.loads(path.read_text())
    enabled = [node for node in manifest["nodes"].values() if node["config"]["enabled"]]
    other_folder = re.compile(r"/(providers|demand|workbench)/")
    other_node = re.compile(r"\.(int_)?(provider|dfu|workbench|stg_ai_models|stg_sales_monthly|stg_items|stg_dfus|"
                            r"int_ai_models|regional|dim_dfu|int_regional)")
    for node in [*enabled, *manifest["unit_tests"].values()]:
        parents = node["depends_on"].get("nodes", [])
        assert not other_folder.search(node["original_file_path"]), node["unique_id"]
        assert not [parent for parent in parents if other_node.search(parent)], node["unique_id"]
    switched_off = [node for node in manifest["nodes"].values() if not node["config"]["enabled"]]
    assert all(not node["depends_on"].get("nodes") for node in switched_off)
    assert {n["name"] for n in enabled if n["resource_type"] == "seed"} == {"customer_segment_name_rules",
                                                                             "drift_severity_bands"}
    assert set(manifest["sources"]) == {"source.cluster_marts.raw.customer_orders"}
    assert {e["name"] for e in manifest["exposures"].values()} == {"report_index", "report_customers"}
