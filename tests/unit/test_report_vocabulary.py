"""One report vocabulary: the silhouette bands of Kaufman & Rousseeuw, read the same in every report.

The expected words and cut-offs are written out here (0.71-1.00 strong, 0.51-0.70 reasonable,
0.26-0.50 weak, <= 0.25 no substantial structure), not read from the module.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from marts_fixture import fake_marts

from cluster_marts.adapters.workbench.menu import Clustering
from cluster_marts.adapters.workbench.recommend import interpretation
from cluster_marts.profiling.vocabulary import effect_band, silhouette_band, silhouette_scale
from cluster_marts.reporting.providers.narrative import section_segments, section_validation
from cluster_marts.reporting.workbench.html import metric_meaning

READINGS = [(1.0, "strong structure"), (0.71, "strong structure"), (0.70, "reasonable structure"),
            (0.51, "reasonable structure"), (0.50, "weak structure"), (0.26, "weak structure"),
            (0.25, "no substantial structure"), (0.0, "no substantial structure"),
            (-0.4, "no substantial structure")]


@pytest.mark.parametrize(("silhouette", "words"), READINGS)
def test_kaufman_rousseeuw_bands(silhouette: float, words: str) -> None:
    assert silhouette_band(silhouette) == words


def test_undefined_silhouette_and_scale() -> None:
    assert silhouette_band(float("nan")) == silhouette_band(None) == "undefined (fewer than two clusters)"
    assert silhouette_scale() == ("above 0.70 strong structure, above 0.50 reasonable structure, above 0.25 "
                                  "weak structure, otherwise no substantial structure (Kaufman & Rousseeuw)")


def test_effect_bands_of_tomczak_and_tomczak() -> None:
    assert [effect_band(e) for e in (0.5, 0.26, 0.2, 0.08, 0.05, 0.01, 0.0)] == [
        "large", "large", "medium", "medium", "small", "small", "negligible"]


@pytest.mark.parametrize(("silhouette", "words"), [(0.8, "strong structure"), (0.6, "reasonable structure"),
                                                   (0.4, "weak structure"), (0.1, "no substantial structure")])
def test_every_report_reads_a_silhouette_the_same_way(silhouette: float, words: str) -> None:
    # provider markdown: the chosen k's silhouette and a segment's mean silhouette
    marts = fake_marts()
    ks = marts["provider_k_selection"].copy()
    ks.loc[ks["is_chosen"], "silhouette"] = silhouette
    text = "\n".join(section_validation(ks, {"elbow": "e.png", "silhouette": "s.png"}))
    assert f"silhouette **{silhouette:.3f}** ({words};" in text
    summary = marts["provider_cluster_summary"].assign(mean_silhouette=silhouette)
    segments = "\n".join(section_segments(summary, marts["provider_clusters"]))
    assert segments.count(f"Mean silhouette {silhouette:.3f} ({words}).") == len(summary)
    # workbench notes and HTML metric table
    fit = Clustering("kmeans", np.zeros(4, dtype=np.int64), np.ones(4), np.zeros((2, 1)), 0.0)
    notes = interpretation({"silhouette": silhouette}, pd.DataFrame(), pd.DataFrame(), fit, 0)
    assert notes[0] == f"kmeans found 2 clusters; silhouette {silhouette:.3f}: {words}."
    assert metric_meaning("silhouette", silhouette).startswith(f"{words}: -1 to 1;")
