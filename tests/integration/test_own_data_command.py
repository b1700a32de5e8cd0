"""The README's own-data command, end to end: `make build VARS='{...}'` as the README writes it, on a shop's
CSV (the demo orders under the README's column names), then `make report`, into a fresh warehouse.

The build covers the customer domain only (`cluster_marts_domains: [customers]`): the serving file holds
the shop's customers and no table of another domain, the reports cover the customers alone, no demo data
is written (RAW points at a folder that must stay absent) and the user's folder gets no new file."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import PROJECT_ROOT

pytestmark = pytest.mark.integration

COMMAND = re.compile(r"make build VARS='(.+)'")
#: tables of the other domains (providers, demand, workbench)
OTHER_DOMAINS = re.compile(r"^(provider_|dfu_|workbench_|regional_comparison$|dim_dfu$)")
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


def test_the_documented_own_data_command_builds_publishes_and_reports_the_customers_alone(raw_dir, tmp_path):
    text = _documented_vars()
    documented = yaml.safe_load(text)
    assert documented["cluster_marts_domains"] == ["customers"]
    mapping = documented["customer_orders_columns"]  # ours: the shop's
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

    assert "cluster-marts demo" not in build.stdout and not (out / "demo").exists(), "demo data was written"
    assert sorted(user.iterdir()) == shop_files, "the build wrote into the user's folder"
    assert "left the workbench out" in build.stdout

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
