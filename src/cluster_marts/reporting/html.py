"""The HTML kit of every report page: one style sheet, value formatting, tables, figures, the page shell.

Pages are self-contained static HTML (no server, no network): figures are PNG files next to the page,
linked with relative ``<img>`` paths; every text is escaped. The report site
(:mod:`cluster_marts.reporting.site`) and the workbench pages (:mod:`cluster_marts.reporting.workbench`)
both build on it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["STYLE", "figure", "figure_grid", "fmt", "markdown", "page", "section", "table"]

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;color:#222;
line-height:1.45;padding:0 1rem}h1{margin-bottom:.2rem}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;
margin-top:2rem}table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}th,td{border:1px solid #ccc;
padding:.25rem .6rem;text-align:left}th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.recommended td{background:#e6f4ea;font-weight:600}.callout{background:#e6f4ea;border-left:4px solid #2e7d32;
padding:.6rem 1rem;margin:.8rem 0}.warning{background:#fff4e5;border-left:4px solid #ed6c02;padding:.6rem 1rem;
margin:.8rem 0}.muted{color:#666;font-size:.9rem}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:1rem}figure{margin:0}
figure.wide{grid-column:1/-1}
figure img{width:100%;height:auto;border:1px solid #ddd}figcaption{color:#444;font-size:.9rem;margin-top:.3rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
nav.site{display:flex;gap:1.2rem;border-bottom:1px solid #ddd;padding-bottom:.5rem;margin-bottom:1rem}
nav.site a{text-decoration:none;color:#1565c0}nav.site a.active{font-weight:700;color:#222}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:.8rem}
.card{border:1px solid #ddd;border-radius:6px;padding:.6rem .9rem}.card .big{font-size:1.6rem;font-weight:700}
.report img{max-width:100%;height:auto;border:1px solid #ddd}
"""


def fmt(value: Any) -> str:
    """A cell value as text: ``n/a`` for missing, yes/no, 4 significant digits, thousands separators."""
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, float | np.floating):
        return f"{value:.4g}" if abs(value) < 1e5 else f"{value:,.0f}"
    if isinstance(value, int | np.integer):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    return str(value)


def table(frame: pd.DataFrame, columns: Sequence[str], highlight: pd.Series | None = None,
          percent: Sequence[str] = (), headers: Mapping[str, str] | None = None) -> str:
    """An HTML table of ``columns`` of ``frame``; rows where ``highlight`` is true are emphasised,
    ``percent`` columns shown as percentages, ``headers`` renames column headings."""
    if frame.empty:
        return '<p class="muted">no rows</p>'
    headers = headers or {}
    head = "".join(f"<th>{escape(headers.get(c, c))}</th>" for c in columns)
    rows = []
    for i, (_, row) in enumerate(frame.iterrows()):
        cls = ' class="recommended"' if highlight is not None and bool(highlight.iloc[i]) else ""
        cells = []
        for c in columns:
            v = row[c].item() if isinstance(row[c], np.generic) else row[c]
            num = isinstance(v, int | float) and not isinstance(v, bool)
            text = f"{v:.1%}" if c in percent and num and not math.isnan(v) else fmt(v)
            attr = ' class="num"' if num else ""
            cells.append(f"<td{attr}>{escape(text)}</td>")
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def figure(src: str, alt: str, caption: str = "", *, wide: bool = False, attrs: str = "") -> str:
    """One ``<figure>``: the image at the relative path ``src`` with its alt text and caption."""
    cls = ' class="wide"' if wide else ""
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure{cls}{attrs}><img src="{escape(src)}" alt="{escape(alt)}">{cap}</figure>'


def figure_grid(figures: Sequence[str]) -> str:
    """Figures (from :func:`figure`) two per row on a wide screen."""
    return f'<div class="figures">{"".join(figures)}</div>' if figures else ""


def section(title: str, body: str, anchor: str = "") -> str:
    """A titled ``<section>``; ``anchor`` becomes its id (for links from the index)."""
    ident = f' id="{escape(anchor)}"' if anchor else ""
    return f"<section{ident}><h2>{escape(title)}</h2>{body}</section>"


def page(title: str, body: str, *, subtitle: str = "", nav: Sequence[tuple[str, str]] = (), active: str = "",
         script: str = "") -> str:
    """A whole HTML document: the style sheet, a navigation bar of ``(label, href)``, the title and
    ``body``; ``script`` (inline JavaScript, no network) goes at the end of the body."""
    current = ' class="active"'
    links = "".join(f'<a href="{escape(href)}"{current if label == active else ""}>{escape(label)}</a>'
                    for label, href in nav)
    bar = f'<nav class="site">{links}</nav>' if links else ""
    sub = f'<p class="muted">{escape(subtitle)}</p>' if subtitle else ""
    tail = f"<script>{script}</script>" if script else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{STYLE}</style></head>'
            f"<body>{bar}<h1>{escape(title)}</h1>{sub}{body}{tail}</body></html>\n")


def markdown(text: str) -> str:
    """CommonMark with tables as HTML (raw HTML in ``text`` is escaped, not passed through)."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)
