"""The domains switched by var cluster_marts_domains: every folder, seed, source, singular test and page
exposure of a domain has its switch in dbt_project.yml, with one default everywhere; the readers of the
warehouse (report site, workbench report) show only the domains its last build had on."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
import yaml
from marts_fixture import write_warehouse

from cluster_marts.reporting.site import build_site, site_nav
from cluster_marts.reporting.workbench import run_workbench_report
from cluster_marts.warehouse import DOMAINS, built_domains

ROOT = Path(__file__).resolve().parents[2]
SWITCH = re.compile(r"\{\{ (.+) \}\}")
ONE = re.compile(r"'(\w+)' in var\('cluster_marts_domains', \(env_var\('CLUSTER_MARTS_DOMAINS', '([\w,]*)'\) "
                 r"\| replace\(' ', ''\)\)\.split\(','\)\)")
#: folders named after something other than their domain
FOLDER_DOMAIN = {"value": "customers"}


def _project() -> dict:
    return yaml.safe_load((ROOT / "dbt_project.yml").read_text())


def _domains_of(config: dict) -> set[str]:
    """The domains an `+enabled` switch requires (all of them must be on), checking its default list."""
    expression = SWITCH.fullmatch(config["+enabled"]).group(1)
    parts = expression.split(" and ")
    found = set()
    for part in parts:
        match = ONE.fullmatch(part)
        assert match, f"not a domain switch: {part}"
        assert tuple(match.group(2).split(",")) == DOMAINS, part
        found.add(match.group(1))
    return found


@pytest.mark.parametrize("resource", ["models", "data_tests"])  # a folder's tests follow its models
def test_every_folder_of_a_domain_has_its_switch(resource):
    models = _project()[resource]["cluster_marts"]
    for layer in ("staging", "features", "marts"):
        for folder in sorted(p for p in (ROOT / "models" / layer).iterdir() if p.is_dir()):
            if folder.name in ("registry",):  # reads every domain that is on (macro cluster_marts_domains)
                assert "+enabled" not in models[layer].get(folder.name, {})
                continue
            assert _domains_of(models[layer][folder.name]) == {FOLDER_DOMAIN.get(folder.name, folder.name)}, folder
    for folder in sorted(p for p in (ROOT / "python_models").iterdir() if p.is_dir() and p.name != "__pycache__"):
        assert _domains_of(models[folder.name]) == {FOLDER_DOMAIN.get(folder.name, folder.name)}, folder
    if resource == "data_tests":
        return
    fits = models["workbench"]["fits"]
    assert _domains_of(fits["int_workbench_fit_customers"]) == {"workbench", "customers"}


def test_every_seed_source_singular_test_and_page_exposure_has_its_switch():
    project = _project()
    seeds = project["seeds"]["cluster_marts"]
    for seed in sorted((ROOT / "seeds").glob("*.csv")):
        assert len(_domains_of(seeds[seed.stem])) == 1, seed.name
    tests = project["data_tests"]["cluster_marts"]
    for test in sorted((ROOT / "tests" / "dbt").glob("*.sql")):
        assert len(_domains_of(tests[test.stem])) == 1, test.name
    sources = yaml.safe_load((ROOT / "models" / "sources.yml").read_text())["sources"]
    switches = project["sources"]["cluster_marts"]["raw"]
    for table in next(s for s in sources if s["name"] == "raw")["tables"]:
        domains = _domains_of(switches[table["name"]])
        for test in table.get("data_tests", []):  # the project's switch does not reach a table's own tests
            (config,) = [args.get("config", {}) for args in test.values()]
            assert _domains_of({"+enabled": config.get("enabled", "")}) == domains, table["name"]
    exposures = yaml.safe_load((ROOT / "models" / "exposures.yml").read_text())["exposures"]
    switched = project["exposures"]["cluster_marts"]
    for exposure in exposures:
        if exposure["name"] == "report_index":
            assert exposure["name"] not in switched
        else:
            assert len(_domains_of(switched[exposure["name"]])) == 1, exposure["name"]


def test_the_macro_knows_the_same_domains():
    macro = (ROOT / "macros" / "domains.sql").read_text()
    known = re.search(r"set known = \[([^\]]*)\]", macro).group(1)
    assert tuple(re.findall(r"'(\w+)'", known)) == DOMAINS


@pytest.mark.parametrize(("row", "expected"), [
    (None, DOMAINS),  # no record: a warehouse built before the column, every domain
    ("customers", ("customers",)),
    ("workbench,providers", ("providers", "workbench")),
])
def test_the_domains_of_the_last_build_are_read_from_the_warehouse(row, expected):
    con = duckdb.connect()
    if row is not None:
        con.execute("create table dbt_invocation as select 'abc' as invocation_id, ? as domains", [row])
    assert built_domains(con) == expected


def test_the_site_shows_only_the_domains_of_the_last_build(tmp_path):
    db = write_warehouse(tmp_path / "w.duckdb")  # every domain's marts, as an earlier full build left them
    with duckdb.connect(str(db)) as con:
        con.execute("create table dbt_invocation as select 'abc' as invocation_id, 'customers' as domains")
    out = tmp_path / "site"
    pages = build_site(db, out, ROOT / "specs", log=lambda _: None)
    assert sorted(p.name for p in pages) == ["customers.html", "index.html"]
    assert not (out / "providers.html").exists() and not (out / "workbench").exists()
    index = (out / "index.html").read_text()
    assert "providers in" not in index and "provider_clusters" not in index
    for domain in ("Providers", "Demand", "Workbench"):
        assert f"{domain}: not built (the last build of this warehouse had <code>cluster_marts_domains: " \
               "[customers]</code>" in index
    assert 'href="providers.html"' not in index and 'href="customers.html"' in index
    assert site_nav(("customers",)) == (("Index", "index.html"), ("Customers", "customers.html"))


def test_the_workbench_report_of_a_build_without_the_workbench_is_a_note(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create table dbt_invocation as select 'abc' as invocation_id, 'customers' as domains")
    assert run_workbench_report(db, tmp_path / "workbench", ROOT / "specs") == 0
    assert "left the workbench out (var cluster_marts_domains: customers)" in capsys.readouterr().out
    assert not (tmp_path / "workbench").exists()
