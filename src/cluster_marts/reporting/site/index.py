"""The index page: what was built, what was set aside, what to look at, and links to every page.

- **at a glance**: one card per domain (entities clustered, clusters, the latest run);
- **pages**: a link to the page of every domain the warehouse's last build had on (var
  ``cluster_marts_domains``), and a note for each domain it left out;
- **warnings**: creators the region seed does not map (they fall into Other), customer axes that were
  not clustered and why, quarantined rows, and the warn-level tests of the last ``dbt build`` when its
  ``target/run_results.json`` belongs to the build that wrote this warehouse (table ``dbt_invocation``);
- **runs**: the latest registered run of every domain, axis and method (``clustering_runs``);
- **rows**: the row count of every mart the pages read;
- **quarantine**: rows set aside, per source and reason.

Only the domains of the last build are read (:attr:`Marts.domains`): a domain switched off is left out even
when an earlier build left its tables in the warehouse. What the index reads of a domain
(:data:`DOMAIN_MARTS`) is declared with the domain's page in ``models/exposures.yml``, so a domain switched
off takes its exposure with it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from pathlib import Path
from types import ModuleType

import pandas as pd

from cluster_marts.reporting.html import section, table
from cluster_marts.reporting.site.data import Marts
from cluster_marts.reporting.site.k_selection import K_SELECTION_MARTS
from cluster_marts.warehouse import DOMAINS

__all__ = ["DOMAIN_MARTS", "FILE", "MARTS", "QUARANTINES", "TITLE", "build", "reads", "warnings"]

TITLE = "Cluster marts"
FILE = "index.html"
#: quarantine table -> the source it sets rows aside from
QUARANTINES: dict[str, str] = {
    "stg_customer_orders_quarantine": "customer orders (raw rows)",
    "stg_ai_models_quarantine": "AI model catalogue (raw rows)",
    "stg_sales_monthly_quarantine": "monthly sales (raw rows)",
    "provider_features_quarantine": "providers (feature rows)",
    "dfu_features_quarantine": "demand units (feature rows)",
    "customer_features_quarantine": "customers (feature rows)",
}
#: what the index reads of each domain (each part is skipped when its table is missing)
DOMAIN_MARTS: dict[str, tuple[str, ...]] = {
    "providers": ("provider_clusters", "int_ai_models_regioned", "stg_ai_models_quarantine",
                  "provider_features_quarantine"),
    "demand": ("dfu_cluster_assignments", "stg_sales_monthly_quarantine", "dfu_features_quarantine"),
    "customers": ("customer_fit_metrics", "customer_lapse_risk", "stg_customer_orders_quarantine",
                  "customer_features_quarantine"),
}
#: what the index reads whatever the domains
MARTS: tuple[str, ...] = ("clustering_runs",)


def reads(marts: Marts) -> set[str]:
    """The tables the index may read: its own and those of the domains the warehouse's last build had on."""
    return {*MARTS, *(table for domain in marts.domains for table in DOMAIN_MARTS.get(domain, ()))}


def _readable(marts: Marts, table_name: str) -> bool:
    return table_name in reads(marts) and not marts.missing([table_name])


def _cards(marts: Marts) -> str:
    cards = []
    queries = {
        "Providers": ("provider_clusters", "select count(*), count(distinct cluster_id) from provider_clusters",
                      "{0} providers in {1} clusters"),
        "Demand": ("dfu_cluster_assignments",
                   "select count(*), count(distinct cluster_id) from dfu_cluster_assignments",
                   "{0} demand units in {1} clusters"),
        "Customers": ("customer_fit_metrics",
                      "select max(n_samples), count(distinct axis) filter (where status = 'fitted') "
                      "from customer_fit_metrics", "{0} customers on {1} axes"),
        "Lapsing now": ("customer_lapse_risk",
                        "select count(*) filter (where is_lapsing), max(snapshot_date) from customer_lapse_risk "
                        "where snapshot_date = (select max(snapshot_date) from customer_lapse_risk)",
                        "{0} customers broke their rhythm at the {1} snapshot"),
    }
    for title, (table_name, sql, text) in queries.items():
        if table_name not in reads(marts):
            continue
        if marts.missing([table_name]):
            body = '<span class="muted">not built</span>'
        else:
            row = marts.df(sql).iloc[0].tolist()
            body = f'<div class="big">{escape(str(row[0]))}</div>{escape(text.format(*row))}'
        cards.append(f'<div class="card"><strong>{escape(title)}</strong>{body}</div>')
    return f'<div class="cards">{"".join(cards)}</div>'


def _warn_tests(marts: Marts, target_dir: Path) -> list[str]:
    """Warn-level tests of the last dbt build, when its run results belong to this warehouse's build."""
    path = target_dir / "run_results.json"
    if marts.missing(["dbt_invocation"]) or not path.is_file():
        return []
    invocation = marts.scalar("select invocation_id from dbt_invocation")
    results = json.loads(path.read_text())
    if results.get("metadata", {}).get("invocation_id") != invocation:
        return []
    return [f"dbt test {row['unique_id'].split('.')[2]} warned: {row.get('message') or ''}".strip()
            for row in results.get("results", []) if row.get("status") == "warn"]


def warnings(marts: Marts, target_dir: Path = Path("target")) -> list[str]:
    """What a reader of the marts should know before trusting them, in words."""
    notes = []
    if _readable(marts, "int_ai_models_regioned"):
        other = marts.df("select provider_name, count(*) as n from int_ai_models_regioned where region = 'Other' "
                         "group by 1 order by 2 desc, 1")
        if len(other):
            names = ", ".join(other["provider_name"].head(8)) + (" ..." if len(other) > 8 else "")
            notes.append(f"{len(other)} creator(s) are not in seeds/provider_regions.csv and count as region "
                         f"Other ({int(other['n'].sum())} models): {names}")
    if _readable(marts, "customer_fit_metrics"):
        skipped = marts.df("select axis, any_value(reason) as reason from customer_fit_metrics "
                           "where status = 'skipped' group by 1 order by 1")
        notes += [f"customer axis {a} was not clustered: {r}" for a, r in zip(skipped["axis"], skipped["reason"])]
    for name, source in QUARANTINES.items():
        if _readable(marts, name):
            n = int(marts.scalar(f"select count(*) from {name}"))
            if n:
                notes.append(f"{n} row(s) of {source} are in quarantine ({name}): see the table below")
    return notes + _warn_tests(marts, target_dir)


def _runs(marts: Marts) -> str:
    """The fits in the marts now (the chosen row of each k selection), with when each was first registered."""
    parts = [f"select '{domain}' as domain, coalesce(axis, '') as scope, coalesce(method, algorithm) as method, "
             f"run_id, k, n_samples, silhouette from {table} where is_chosen"
             for domain, table in K_SELECTION_MARTS.items() if domain in marts.domains and not marts.missing([table])]
    if not parts:
        return '<p class="muted">no k-selection mart in this warehouse</p>'
    runs = marts.df(
        f"select fits.*, strftime(registered.first_registered_at, '%Y-%m-%d %H:%M') as first_registered "
        f"from ({' union all '.join(parts)}) as fits left join (select domain, run_id, min(registered_at) as "
        "first_registered_at from clustering_runs group by all) as registered using (domain, run_id) "
        "order by domain, scope, method")
    return table(runs, list(runs.columns), headers={"scope": "axis / scope", "k": "k", "n_samples": "rows",
                                                    "first_registered": "first registered (UTC)"})


def _row_counts(marts: Marts, pages: Sequence[ModuleType]) -> str:
    read = sorted({t for module in pages for t in module.MARTS})
    missing = set(marts.missing(read))
    names = [t for t in read if t not in missing]
    counts = pd.DataFrame({"mart": names, "rows": [int(marts.scalar(f"select count(*) from {n}")) for n in names]})
    return table(counts, ["mart", "rows"])


def _quarantine(marts: Marts) -> str:
    parts = []
    for name, source in QUARANTINES.items():
        if not _readable(marts, name):
            continue
        reasons = marts.df(f"select quarantine_reason as reason, count(*) as rows from {name} "
                           "group by 1 order by 2 desc, 1")
        parts.append(pd.DataFrame({"source": source, "table": name, "reason": reasons["reason"],
                                   "rows": reasons["rows"]}) if len(reasons) else
                     pd.DataFrame({"source": [source], "table": [name], "reason": ["(none)"], "rows": [0]}))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["source", "table", "reason",
                                                                                      "rows"])
    return table(frame, ["source", "table", "reason", "rows"])


def build(marts: Marts, out_dir: Path, pages: Sequence[ModuleType] = (), workbench: str | None = None) -> str:
    """The index body: cards, warnings, links, runs, row counts and quarantine."""
    links = "".join(f'<li><a href="{escape(m.FILE)}">{escape(m.TITLE)}</a>: {escape(m.__doc__.splitlines()[0])}</li>'
                    for m in pages)
    if workbench:
        links += f'<li><a href="{escape(workbench)}">Workbench</a>: one page per clustering spec of specs/</li>'
    elif "workbench" in marts.domains:
        links += '<li class="muted">Workbench: no workbench marts in this warehouse</li>'
    on = escape(", ".join(marts.domains))
    links += "".join(f'<li class="muted">{escape(domain.capitalize())}: not built (the last build of this '
                     f"warehouse had <code>cluster_marts_domains: [{on}]</code>; add {escape(domain)} to build "
                     "it)</li>" for domain in DOMAINS if domain not in marts.domains)
    notes = warnings(marts)
    calm = [text for domain, text in (("providers", "every creator has a region"),
                                      ("customers", "every axis was clustered")) if domain in marts.domains]
    warned = ("".join(f'<p class="warning">{escape(n)}</p>' for n in notes) if notes
              else f'<p class="callout">No warnings: {", ".join([*calm, "nothing is in quarantine"])}.</p>')
    sections = [section("At a glance", _cards(marts), "glance"), section("Pages", f"<ul>{links}</ul>", "pages"),
                section("Warnings", warned, "warnings")]
    if not marts.missing(["clustering_runs"]):
        sections.append(section("Runs", '<p class="muted">The fit behind every mart: one per domain, axis / scope '
                                "and method, named by its run_id (the k-selection marts; first registered in "
                                "clustering_runs).</p>" + _runs(marts), "runs"))
    sections += [section("Rows per mart", _row_counts(marts, pages), "rows"),
                 section("Quarantine", '<p class="muted">Every input row ends in a usable table or here, with '
                         "its reason.</p>" + _quarantine(marts), "quarantine")]
    return "".join(sections)
