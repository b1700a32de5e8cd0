"""The project on Spark: the build on a local SparkSession and the engine's scoring on Spark DataFrames.

- :mod:`~cluster_marts.spark.build`: ``cluster-marts build --target spark``, SQL waves through dbt-spark and
  Python models through :mod:`~cluster_marts.spark.python_models`, in one process;
- :mod:`~cluster_marts.spark.scoring`: fit on a seeded sample drawn to the driver, score every row on the
  executors (``mapInPandas``).

Nothing here is imported by the DuckDB path; pyspark and dbt-spark come with the ``spark`` extra.
"""
