"""The report site in headless Chromium, built from the warehouse of `make dbt-test`, read as a person would.

Every page (index, providers, demand, customers, each workbench spec) loads from the disk with no console
error, no failed request and every image decoded, and its full-page screenshot is not blank. What each page
says comes from the marts: the checks below compare it with queries of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cluster_marts.reporting.site import build_site
from cluster_marts.reporting.site.browser import check_site

pytestmark = pytest.mark.integration
#: a page with figures paints far more than this share of its screenshot; a blank or text-only page less
MIN_INK = {"index.html": 0.05, "providers.html": 0.05, "demand.html": 0.05, "customers.html": 0.05}
MIN_WORKBENCH_INK = 0.05


@pytest.fixture(scope="module")
def site(db_path, tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    pages = build_site(db_path, out, Path(__file__).resolve().parents[2] / "specs", log=lambda _: None)
    return out, pages


@pytest.fixture(scope="module")
def checks(site):
    out, pages = site
    workbench = sorted((out / "workbench").glob("*/index.html"))
    return {str(c.screenshot.relative_to(out / "shots")) if c.screenshot else c.page: c
            for c in check_site([*pages, *workbench], screenshots=out / "shots")}


def test_every_page_loads_clean_with_every_image_and_is_not_blank(site, checks):
    out, pages = site
    assert {p.name for p in pages} == set(MIN_INK)
    for name, check in checks.items():
        assert check.problems == [], f"{name}: {check.problems}"
    for page, ink in MIN_INK.items():
        check = next(c for c in checks.values() if c.page == page and c.title != "Workbench")
        assert check.ink_share > ink, f"{page}: only {check.ink_share:.3f} of the screenshot is not background"
        if page != "index.html":
            assert check.images >= 3, f"{page} shows {check.images} figure(s)"
    workbench = [c for c in checks.values() if c.title.startswith("Workbench:")]
    assert workbench, "no workbench page was written"
    assert all(c.images >= 1 and c.ink_share > MIN_WORKBENCH_INK for c in workbench)


def test_every_link_between_pages_resolves(site):
    out, pages = site
    for page in pages:
        for href in re.findall(r'href="([^"#]+)"', page.read_text()):
            assert (page.parent / href).is_file(), f"{page.name} links to {href}, which was not written"


def test_the_index_counts_what_the_marts_hold(site, query):
    out, _ = site
    html = (out / "index.html").read_text()
    providers, clusters = query("select count(*), count(distinct cluster_id) from provider_clusters").iloc[0]
    assert f"{providers} providers in {clusters} clusters" in html
    for name in ("stg_customer_orders_quarantine", "dfu_features_quarantine"):
        n = int(query(f"select count(*) from {name}").iloc[0, 0])
        assert (f"{n} row(s)" in html) == (n > 0)
    for run_id in query("select distinct run_id from provider_clusters")["run_id"]:
        assert run_id in html


def test_the_providers_page_names_every_segment_and_the_regional_test(site, query):
    out, _ = site
    html = (out / "providers.html").read_text()
    for name in query("select segment_name from provider_cluster_summary")["segment_name"]:
        assert name in html
    p = float(query("select any_value(kruskal_p_value) from regional_comparison where metric = 'intelligence'")
              .iloc[0, 0])
    assert f"p = {p:.4g}" in html


def test_the_customer_chooser_shows_the_chosen_lapse_timeline(site, query):
    from playwright.sync_api import sync_playwright

    from cluster_marts.reporting.site.browser import CHROMIUM_ARGS, chromium_path

    out, _ = site
    flagged = query("select customer_id from customer_lapse_risk where is_lapsing and snapshot_date = "
                    "(select max(snapshot_date) from customer_lapse_risk) order by lapse_score desc, customer_id "
                    "limit 10")["customer_id"].tolist()
    assert len(flagged) >= 2
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
        view = browser.new_page()
        view.goto((out / "customers.html").as_uri())
        options = view.eval_on_selector_all("#lapse-chooser option", "els => els.map(e => e.value)")
        visible = "() => [...document.querySelectorAll('figure[data-timeline]')].filter(f => !f.hidden)" \
                  ".map(f => [f.dataset.timeline, f.querySelector('img').naturalWidth > 0])"
        assert view.evaluate(visible) == [[flagged[0], True]]
        view.select_option("#lapse-chooser", options[1])
        assert view.evaluate(visible) == [[flagged[1], True]]
        browser.close()


def test_the_workbench_landing_page_joins_the_site_with_a_row_per_spec(site, query):
    """reports/workbench/index.html: the site's navigation, one row per spec (source, rows, algorithm, k,
    silhouette, ARI), every link resolving, clean in the browser."""
    out, _ = site
    landing = out / "workbench" / "index.html"
    check, = check_site([landing], screenshots=out / "shots" / "workbench_landing")
    assert check.problems == [] and check.title == "Clustering workbench" and check.ink_share > 0.03
    html = landing.read_text()
    assert '<nav class="site">' in html and 'class="active">Workbench</a>' in html
    for page in [landing, *(out / "workbench").glob("*/index.html")]:  # the spec pages carry the navigation too
        for href in re.findall(r'href="([^"#]+)"', page.read_text()):
            assert (page.parent / href).is_file(), f"{page.relative_to(out)} links to {href}, not written"
    specs = query("select spec_name, count(*) as n, count(distinct cluster_id) filter (where cluster_id >= 0) as k "
                  "from workbench_assignments group by 1 order by 1")
    rows = re.findall(r'<tr><td><a href="(\w+)/index.html">\1</a></td><td>([^<]*)</td><td class="num">([^<]*)</td>'
                      r'<td>([^<]*)</td><td class="num">([^<]*)</td>', html)
    assert [r[0] for r in rows] == specs["spec_name"].tolist()
    for row, (_, spec) in zip(rows, specs.iterrows()):
        assert row[2].replace(",", "") == str(spec["n"]) and row[4] == str(spec["k"]), row
    assert {r[0]: r[1] for r in rows}["customers"] == "ref customer_features"
