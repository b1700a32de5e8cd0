"""Lapse risk: who will not order again soon, and who has broken their own rhythm.

- :mod:`~cluster_marts.lapse.model`: the calibrated lapse score (logistic, on the customer's cadence).
- :mod:`~cluster_marts.lapse.scoring`: every snapshot scored by a model fitted on what was known then.
- :mod:`~cluster_marts.lapse.bgnbd`: the BG/NBD baseline of the holdout evaluation (maximum likelihood).
"""

from cluster_marts.lapse.model import INPUT_SETS, LAPSE_INPUTS, LapseModel, cadence_prior, lapse_inputs
from cluster_marts.lapse.scoring import choose_inputs, score_snapshots

__all__ = ["INPUT_SETS", "LAPSE_INPUTS", "LapseModel", "cadence_prior", "choose_inputs", "lapse_inputs",
           "score_snapshots"]
