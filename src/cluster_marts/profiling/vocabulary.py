"""The reading of a clustering: one set of bands and words for every report.

The provider markdown report (:mod:`cluster_marts.reporting.providers`), the
workbench HTML page (:mod:`cluster_marts.reporting.workbench`), the
workbench's interpretation notes
(:func:`cluster_marts.adapters.workbench.recommend.interpretation`) and the
customer profile prompt (:mod:`cluster_marts.reporting.export`) all read a
silhouette or an effect size with the words below, so one number never gets
two readings.  The words sit beside the statistics they read, below the
adapters and the reports that both use them.

Sources
-------
Silhouette: Kaufman, L. & Rousseeuw, P. J. (1990), *Finding Groups in Data: An
Introduction to Cluster Analysis*, Wiley, ch. 2 (the reading of the average
silhouette width): 0.71-1.00 a strong structure has been found; 0.51-0.70 a
reasonable structure; 0.26-0.50 the structure is weak and could be
artificial; 0.25 or less no substantial structure.  Written here as strict
lower bounds (> 0.70, > 0.50, > 0.25) so that every real value has one band.

Epsilon-squared (Kruskal-Wallis effect size): Tomczak, M. & Tomczak, E.
(2014), "The need to report effect size estimates revisited", *Trends in
Sport Sciences* 21(1): 0.01 small, 0.08 medium, 0.26 large.
"""

from __future__ import annotations

import math

__all__ = [
    "EFFECT_BANDS",
    "NEGLIGIBLE_EFFECT",
    "NO_STRUCTURE",
    "SILHOUETTE_BANDS",
    "UNDEFINED_SILHOUETTE",
    "effect_band",
    "silhouette_band",
    "silhouette_scale",
]

#: (exclusive lower bound, words), strongest first; below the last bound: :data:`NO_STRUCTURE`.
SILHOUETTE_BANDS: tuple[tuple[float, str], ...] = (
    (0.70, "strong structure"),
    (0.50, "reasonable structure"),
    (0.25, "weak structure"),
)
NO_STRUCTURE = "no substantial structure"
UNDEFINED_SILHOUETTE = "undefined (fewer than two clusters)"

#: (inclusive lower bound, words), largest first; below the last bound: :data:`NEGLIGIBLE_EFFECT`.
EFFECT_BANDS: tuple[tuple[float, str], ...] = ((0.26, "large"), (0.08, "medium"), (0.01, "small"))
NEGLIGIBLE_EFFECT = "negligible"


def silhouette_band(silhouette: float | None) -> str:
    """Kaufman & Rousseeuw's reading of a mean silhouette.

    Examples
    --------
    >>> [silhouette_band(s) for s in (0.71, 0.70, 0.5, 0.3, 0.25, -0.2)]
    ['strong structure', 'reasonable structure', 'weak structure', 'weak structure', 'no substantial structure', \
'no substantial structure']
    >>> silhouette_band(float("nan"))
    'undefined (fewer than two clusters)'
    """
    if silhouette is None or not math.isfinite(silhouette):
        return UNDEFINED_SILHOUETTE
    for bound, words in SILHOUETTE_BANDS:
        if silhouette > bound:
            return words
    return NO_STRUCTURE


def silhouette_scale() -> str:
    """The whole silhouette scale in one phrase, for notes and prompts.

    Examples
    --------
    >>> silhouette_scale()
    'above 0.70 strong structure, above 0.50 reasonable structure, above 0.25 weak structure, \
otherwise no substantial structure (Kaufman & Rousseeuw)'
    """
    bands = ", ".join(f"above {bound:.2f} {words}" for bound, words in SILHOUETTE_BANDS)
    return f"{bands}, otherwise {NO_STRUCTURE} (Kaufman & Rousseeuw)"


def effect_band(epsilon_squared: float) -> str:
    """Magnitude of epsilon-squared (Tomczak & Tomczak 2014).

    Examples
    --------
    >>> [effect_band(e) for e in (0.3, 0.26, 0.1, 0.01, 0.005)]
    ['large', 'large', 'medium', 'small', 'negligible']
    """
    for bound, words in EFFECT_BANDS:
        if epsilon_squared >= bound:
            return words
    return NEGLIGIBLE_EFFECT
