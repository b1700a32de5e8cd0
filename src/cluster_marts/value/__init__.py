"""Customer value: expected orders and spend per customer over a horizon, and the chance they are alive.

- :mod:`~cluster_marts.value.history`: purchase histories (days, one purchase per customer-day), checked;
- :mod:`~cluster_marts.value.mbgnbd`: MBG/NBD, purchase days and ``p_alive`` (maximum likelihood);
- :mod:`~cluster_marts.value.gammagamma`: Gamma-Gamma, the mean value of a purchase day (maximum likelihood);
- :mod:`~cluster_marts.value.predict`: both fitted on one population and every customer predicted.
"""

from cluster_marts.value.gammagamma import GammaGamma
from cluster_marts.value.mbgnbd import MBGNBD
from cluster_marts.value.predict import HISTORY_COLUMNS, MODEL_NAME, VALUE_COLUMNS, customer_value

__all__ = ["HISTORY_COLUMNS", "MBGNBD", "MODEL_NAME", "VALUE_COLUMNS", "GammaGamma", "customer_value"]
