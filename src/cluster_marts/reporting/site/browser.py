"""Look at the report site as a person would: in headless Chromium, page by page.

:func:`check_site` opens every page from the disk (``file://``, as a reader would, no server) and records
what a reader would notice: console errors and uncaught exceptions, requests that failed (a missing
figure), images that did not load, and how much of the full-page screenshot is not background
(:data:`BACKGROUND`): a blank page has almost none. It drives the system Chromium
(``/usr/bin/chromium``, or ``CLUSTER_MARTS_CHROMIUM``) through Playwright, installing no browser.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["BACKGROUND", "PageCheck", "check_site", "chromium_path", "ink_share"]

#: a pixel whose every channel is at least this is background (white)
BACKGROUND = 245
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run")


@dataclass
class PageCheck:
    """What a reader of one page would notice."""

    page: str
    title: str = ""
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    images: int = 0
    broken_images: list[str] = field(default_factory=list)
    ink_share: float = 0.0
    screenshot: Path | None = None

    @property
    def problems(self) -> list[str]:
        """Every problem in words (empty when the page reads well)."""
        return ([f"console: {e}" for e in self.console_errors] + [f"request failed: {r}" for r in self.failed_requests]
                + [f"image did not load: {i}" for i in self.broken_images])


def chromium_path() -> str:
    """The Chromium to drive: ``CLUSTER_MARTS_CHROMIUM``, else ``chromium`` / ``chromium-browser`` on the PATH."""
    found = os.environ.get("CLUSTER_MARTS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise FileNotFoundError("no Chromium found: install the Debian package chromium (apt-get install chromium) "
                                "or set CLUSTER_MARTS_CHROMIUM to a Chromium binary")
    return found


def ink_share(png: bytes) -> float:
    """Share of the screenshot's pixels that are not background."""
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    return float((pixels < BACKGROUND).any(axis=2).mean())


def check_site(pages: Iterable[str | Path], screenshots: str | Path | None = None,
               width: int = 1200, height: int = 900) -> list[PageCheck]:
    """Open each page in headless Chromium and record what a reader would notice (module docstring)."""
    from playwright.sync_api import sync_playwright

    checks = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
        try:
            for path in pages:
                path = Path(path).resolve()
                check = PageCheck(page=path.name)
                view = browser.new_page(viewport={"width": width, "height": height})
                view.on("console", lambda m, c=check: c.console_errors.append(m.text) if m.type == "error" else None)
                view.on("pageerror", lambda e, c=check: c.console_errors.append(str(e)))
                view.on("requestfailed", lambda r, c=check: c.failed_requests.append(r.url))
                view.goto(path.as_uri(), wait_until="load")
                check.title = view.title()
                images = view.eval_on_selector_all(
                    "img", "els => els.map(e => [e.getAttribute('src'), e.complete && e.naturalWidth > 0])")
                check.images = len(images)
                check.broken_images = [src for src, ok in images if not ok]
                png = view.screenshot(full_page=True)
                check.ink_share = ink_share(png)
                if screenshots is not None:
                    check.screenshot = Path(screenshots) / f"{path.stem}.png"
                    check.screenshot.parent.mkdir(parents=True, exist_ok=True)
                    check.screenshot.write_bytes(png)
                view.close()
                checks.append(check)
        finally:
            browser.close()
    return checks
