"""The browser check notices what a reader would: a console error, a missing figure, a blank page."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from cluster_marts.reporting.site import browser

pytestmark = pytest.mark.integration


def _png(color: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.full((40, 60, 3), color, dtype=np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_ink_share_counts_non_background_pixels():
    image = np.full((10, 10, 3), 255, dtype=np.uint8)
    image[:3, :5] = (20, 20, 200)  # 15 of 100 pixels
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    assert browser.ink_share(buffer.getvalue()) == pytest.approx(0.15)


def test_a_broken_page_is_reported_and_a_good_one_is_not(tmp_path):
    (tmp_path / "ok.png").write_bytes(_png((30, 90, 160)))
    good = tmp_path / "good.html"
    good.write_text('<!DOCTYPE html><html><head><title>Good</title></head><body><h1>Good</h1>'
                    '<img src="ok.png" alt="ok" style="width:600px"></body></html>')
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><head><title>Bad</title></head><body>'
                   '<img src="missing.png" alt="gone"><script>console.error("boom"); undefinedCall();</script>'
                   "</body></html>")
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><head><title>Blank</title></head><body></body></html>")
    inline = base64.b64encode(_png((200, 30, 30))).decode()
    (tmp_path / "inline.html").write_text(f'<html><body><img src="data:image/png;base64,{inline}"></body></html>')
    checks = {c.page: c for c in browser.check_site([good, bad, blank, tmp_path / "inline.html"])}
    assert checks["good.html"].problems == [] and checks["good.html"].images == 1
    assert checks["good.html"].ink_share > 0.03
    problems = checks["bad.html"].problems
    assert any("boom" in p for p in problems) and any("undefinedCall" in p for p in problems)
    assert checks["bad.html"].broken_images == ["missing.png"]
    assert any(p.startswith("request failed: file://") and p.endswith("missing.png") for p in problems)
    assert checks["blank.html"].ink_share < 0.001 and checks["blank.html"].problems == []
    assert checks["inline.html"].broken_images == []
