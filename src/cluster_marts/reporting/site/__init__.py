"""The report site: one static page per domain and an index, every figure and number from the marts.

``cluster-marts report`` (``make report``, after ``make build``) writes into ``reports/``:

- ``index.html``: what was built (runs, row counts, quarantine counts per source, warnings), links;
- ``providers.html``, ``demand.html``, ``customers.html``: one page per domain
  (:mod:`~cluster_marts.reporting.site.providers`, :mod:`~.demand`, :mod:`~.customers`);
- ``workbench/``: the workbench pages (:mod:`cluster_marts.reporting.workbench`), linked from the index;
- ``figures/<page>/*.png``: the figures, linked relatively, so the site reads offline from the disk.

Each page module has ``TITLE``, ``FILE``, ``DOMAIN``, ``MARTS`` (what it reads: the exposures in
``models/exposures.yml`` declare the same) and ``build(marts, out_dir) -> str`` (the page body). A page
whose marts are missing says which and what to run, instead of failing the site. Only the domains the
warehouse's last build had on (var ``cluster_marts_domains``, :attr:`Marts.domains`) have a page, a link
and a place in the navigation; the index says which domains were left out.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

from cluster_marts.reporting.html import page
from cluster_marts.reporting.site import customers, demand, index, providers
from cluster_marts.reporting.site.data import Marts
from cluster_marts.warehouse import DOMAINS, MartError

__all__ = ["DOMAIN_PAGES", "NAV", "build_site", "run_site", "site_nav"]

DOMAIN_PAGES: tuple[ModuleType, ...] = (providers, demand, customers)
WORKBENCH = "workbench/index.html"


def site_nav(domains: Sequence[str] = DOMAINS) -> tuple[tuple[str, str], ...]:
    """The navigation of a site of ``domains``: the index, each domain's page, the workbench when it is on."""
    return (("Index", "index.html"), *((module.TITLE, module.FILE) for module in DOMAIN_PAGES
                                       if module.DOMAIN in domains),
            *((("Workbench", WORKBENCH),) if "workbench" in domains else ()))


#: the navigation with every domain on
NAV: tuple[tuple[str, str], ...] = site_nav()


def _body(module: ModuleType, marts: Marts, out: Path) -> str:
    lacking = marts.missing(module.MARTS)
    if lacking:
        return (f'<p class="warning">This page reads {", ".join(lacking)}, which the warehouse '
                f"{marts.db_path} does not have: run <code>make build</code>, then <code>make report</code>.</p>")
    return module.build(marts, out)


def _workbench(db_path: Path, out: Path, specs_dir: Path, log: Callable[[str], None]) -> bool:
    from cluster_marts.reporting.workbench import run_workbench_report

    return run_workbench_report(db_path=db_path, out_dir=out / "workbench", specs_dir=specs_dir) == 0


def build_site(db_path: str | Path, out_dir: str | Path, specs_dir: str | Path = "specs",
               log: Callable[[str], None] = print) -> list[Path]:
    """Write every page of the site under ``out_dir``; returns the pages written.

    Raises
    ------
    MartError
        When the warehouse is missing or cannot be opened.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    written = []
    with Marts(db_path) as marts:
        nav = site_nav(marts.domains)
        pages = [module for module in DOMAIN_PAGES if module.DOMAIN in marts.domains]
        for module in pages:
            log(f"report: {module.FILE}")
            html = page(module.TITLE, _body(module, marts, out), subtitle=f"From {marts.db_path.name}, {stamp}.",
                        nav=nav, active=module.TITLE, script=getattr(module, "SCRIPT", ""))
            (out / module.FILE).write_text(html, encoding="utf-8")
            written.append(out / module.FILE)
        for domain in (d for d in DOMAINS if d not in marts.domains):
            log(f"report: {domain} not built in {marts.db_path.name} (var cluster_marts_domains): no page")
        workbench = "workbench" in marts.domains and _workbench(Path(db_path), out, Path(specs_dir), log)
        body = index.build(marts, out, pages=pages, workbench=WORKBENCH if workbench else None)
    html = page(index.TITLE, body, subtitle=f"From {Path(db_path).name}, {stamp}.", nav=nav, active="Index")
    (out / index.FILE).write_text(html, encoding="utf-8")
    return [out / index.FILE, *written]


def run_site(db_path: str | Path, out_dir: str | Path, specs_dir: str | Path = "specs") -> int:
    """CLI entry: 0 when the site is written, 1 with a message when the warehouse cannot be read."""
    try:
        pages = build_site(db_path, out_dir, specs_dir)
    except MartError as exc:
        print(f"report failed: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {len(pages)} pages under {out_dir}: open {Path(out_dir) / 'index.html'}")
    return 0
