"""The dbt exposures declare each report page and exactly the marts its module reads."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from cluster_marts.reporting import workbench
from cluster_marts.reporting.site import DOMAIN_PAGES, index

ROOT = Path(__file__).resolve().parents[2]


def _exposures() -> dict[str, dict]:
    data = yaml.safe_load((ROOT / "models" / "exposures.yml").read_text())
    return {e["name"]: e for e in data["exposures"]}


def _refs(exposure: dict) -> set[str]:
    return {re.fullmatch(r"ref\('([^']+)'\)", ref).group(1) for ref in exposure["depends_on"]}


def test_every_page_is_an_exposure_reading_what_the_page_reads():
    exposures = _exposures()
    pages = {"report_index": (index, "reports/index.html")} | {
        f"report_{m.FILE.removesuffix('.html')}": (m, f"reports/{m.FILE}") for m in DOMAIN_PAGES}
    assert set(exposures) == {*pages, "report_workbench"}
    for name, (module, url) in pages.items():
        assert exposures[name]["url"] == url
        # what the index reads of a domain is declared with the domain's page (a domain switched off by var
        # cluster_marts_domains takes it along)
        index_part = set(index.DOMAIN_MARTS.get(getattr(module, "DOMAIN", ""), ()))
        assert _refs(exposures[name]) == set(module.MARTS) | index_part, name
    assert set(index.DOMAIN_MARTS) == {m.DOMAIN for m in DOMAIN_PAGES}
    assert _refs(exposures["report_workbench"]) == set(workbench.MARTS)


def test_every_declared_mart_is_a_model_or_seed_of_the_project():
    names = {p.stem for folder in ("models", "python_models", "seeds") for p in (ROOT / folder).rglob("*")
             if p.suffix in (".sql", ".py", ".csv")}
    for name, exposure in _exposures().items():
        assert _refs(exposure) <= names, (name, _refs(exposure) - names)
