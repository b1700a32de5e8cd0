"""cluster_marts: the clustering engine behind the dbt + DuckDB cluster marts.

Pure Python (numpy, pandas, scikit-learn, scipy). Nothing here imports dbt: the
dbt Python models under ``python_models/`` are thin adapters that read their
refs, pass their YAML settings to :mod:`cluster_marts.adapters.partition` and return a
typed DataFrame.
"""

__version__ = "0.1.0"
