"""The workbench HTML report in a real browser (headless Chromium), on the warehouse of `make dbt-test`.

For every spec page the report writes:

* every ``<img src>`` of the page points to an existing PNG;
* a copy of the page, in the same folder (so the relative links resolve the
  same way) with a probe script added, is loaded and its DOM dumped: after the
  window ``load`` event every ``<img>`` must have ``naturalWidth > 0``, i.e.
  Chromium decoded every figure.  The report itself stays free of JavaScript;
* a 1280 x 2400 screenshot of the page is not blank and has far more colours
  than a screenshot of the same page with its images stripped, so the figures
  are really painted.

Chromium missing is a failure, not a skip: run ``scripts/ensure_chromium.sh``.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import matplotlib.image as mpimg
import numpy as np
import pytest
from conftest import PROJECT_ROOT

from cluster_marts.reporting.workbench import FIGURE_FILES, load_specs, run_workbench_report

pytestmark = pytest.mark.integration
WINDOW = "1280,2400"
PROBE = """<script>
window.addEventListener("load", function () {
  var rows = Array.prototype.map.call(document.images, function (img) {
    return [img.getAttribute("src"), img.complete, img.naturalWidth, img.naturalHeight];
  });
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(rows);
  document.body.appendChild(pre);
});
</script>"""


class _Images(HTMLParser):
    """Collects the ``src`` of every ``<img>``."""

    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.append(dict(attrs).get("src") or "")


def _chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("chromium is not on PATH: run scripts/ensure_chromium.sh (installs the Debian package)")
    return path


def _run(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={profile}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, f"chromium failed ({done.returncode}): {done.stderr[-2000:]}"
    return done


def _screenshot(page: Path, png: Path, profile: Path) -> np.ndarray:
    _run([f"--screenshot={png}", f"--window-size={WINDOW}", page.as_uri()], profile)
    assert png.exists(), f"chromium wrote no screenshot of {page}"
    pixels = (mpimg.imread(png)[..., :3] * 255).round().astype(np.uint32)
    return pixels


def _n_colours(pixels: np.ndarray) -> int:
    packed = (pixels[..., 0] << 16) | (pixels[..., 1] << 8) | pixels[..., 2]
    return int(np.unique(packed).size)


@pytest.fixture(scope="module")
def report(db_path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("workbench_report")
    code = run_workbench_report(db_path, out, specs_dir=PROJECT_ROOT / "specs", root=PROJECT_ROOT)
    assert code == 0, "run_workbench_report failed; see stderr"
    return out


@pytest.fixture(scope="module")
def spec_names(db_path) -> list[str]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        names = [r[0] for r in con.execute("select distinct spec_name from workbench_assignments "
                                           "order by spec_name").fetchall()]
    finally:
        con.close()
    assert names, "workbench_assignments holds no spec"
    return names


def test_every_spec_has_a_page_with_its_figures(report, spec_names):
    specs = load_specs(PROJECT_ROOT / "specs")
    for name in spec_names:
        page = report / name / "index.html"
        assert page.exists(), f"no page for spec {name}"
        parser = _Images()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.sources == [FIGURE_FILES[k] for k in specs[name].figures], name
        for src in parser.sources:
            assert (page.parent / src).is_file(), f"{name}: <img src={src!r}> points to no file"


def test_chromium_decodes_every_image(report, spec_names, tmp_path):
    for name in spec_names:
        page = report / name / "index.html"
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html.lower(), "the report must stay free of JavaScript"
        probe = page.with_name("_probe.html")  # same folder: relative links resolve as in the page
        probe.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
        dom = _run(["--dump-dom", "--virtual-time-budget=10000", probe.as_uri()], tmp_path / f"profile_{name}").stdout
        probe.unlink()
        found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
        assert found, f"{name}: the probe did not run; DOM tail: {dom[-500:]!r}"
        images = json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&"))
        expected = _Images()
        expected.feed(html)
        assert [row[0] for row in images] == expected.sources and images, name
        broken = [row for row in images if not (row[1] and row[2] > 0 and row[3] > 0)]
        assert not broken, f"{name}: images not decoded by chromium: {broken}"


def test_screenshot_shows_the_figures(report, spec_names, tmp_path):
    for name in spec_names:
        page = report / name / "index.html"
        shot = _screenshot(page, tmp_path / f"{name}.png", tmp_path / f"profile_{name}")
        assert shot.shape[:2] == (2400, 1280)
        colours = _n_colours(shot)
        assert colours > 500, f"{name}: screenshot looks blank ({colours} colours)"
        bare = page.with_name("_no_images.html")
        bare.write_text(re.sub(r"<img [^>]*>", "", page.read_text(encoding="utf-8")), encoding="utf-8")
        without = _n_colours(_screenshot(bare, tmp_path / f"{name}_bare.png", tmp_path / f"profile_bare_{name}"))
        bare.unlink()
        assert colours > 2 * without + 500, (
            f"{name}: figures do not show in the screenshot ({colours} colours vs {without} without images)")
        shutil.copy(tmp_path / f"{name}.png", report / f"{name}_screenshot.png")  # kept for a human look
