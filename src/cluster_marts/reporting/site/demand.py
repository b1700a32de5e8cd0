"""The demand page (placeholder: to be written)."""

from __future__ import annotations

from pathlib import Path

from cluster_marts.reporting.site.data import Marts

TITLE = "Demand"
FILE = "demand.html"
MARTS: tuple[str, ...] = ()


def build(marts: Marts, out_dir: Path) -> str:
    return "<p>to be written</p>"
