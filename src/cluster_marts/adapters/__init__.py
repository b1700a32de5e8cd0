"""Entry points of the dbt Python models, one module per domain.

An adapter turns a model's input frame and ``config.meta`` into the typed
tables the warehouse stores; the maths lives in the folders beside it.
"""
