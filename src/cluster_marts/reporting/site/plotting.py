"""Where the site's figures go: PNG files under ``<site>/figures/<page>/``, linked relatively.

Matplotlib with the Agg backend (no display); :func:`save` writes a figure, closes it and returns the
path the page links to.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

__all__ = ["DPI", "plt", "save", "save_to"]

DPI = 110


def save(fig, out_dir: Path, page: str, name: str) -> str:
    """Write ``fig`` to ``out_dir/figures/<page>/<name>.png``; returns ``figures/<page>/<name>.png``."""
    relative = f"figures/{page}/{name}.png"
    save_to(fig, Path(out_dir) / relative)
    return relative


def save_to(fig, path: Path) -> Path:
    """Write ``fig`` as a PNG at ``path`` (folders created), close it; returns ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return path
