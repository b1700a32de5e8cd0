"""One-hot encoding of categorical columns (``config.meta.categorical_features``).

:func:`cluster_marts.adapters.fitting.prepare` calls :func:`encode_categoricals` before
the numeric checks.  Each categorical column ``c`` becomes one float 0/1
column ``f"{c}={value}"`` per distinct non-null value, ordered by
``str(value)``; the generated names are appended, in that order, to the
feature list used downstream (scaling, preprocessing, ``run_id``, centroid
and scaler-parameter rows, the ``features`` column of the k-selection table).

* A null category (``None``, ``NaN``, ``pd.NA``) gives all zeros: the row is
  in no category, rather than being rejected like a null numeric feature.
* The dummies are scaled like any feature, so with ``scaling: standard`` a
  rare category weighs more than a common one; ``scaling: none`` keeps them
  0/1.  A dummy's raw variance is ``p (1 - p) <= 0.25``, so ``min_variance``
  above that drops it.
* A centroid's ``center_original`` on a dummy is the share of the cluster's
  members in that category.

With ``categorical_features`` empty nothing is encoded and the pipeline is
byte-identical to a run without the setting.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from cluster_marts.errors import InputDataError, preview

__all__ = ["category_values", "dummy_names", "one_hot", "encode_categoricals"]

_UPSTREAM = "group the values upstream in SQL (e.g. CASE WHEN ... ELSE 'other' END)"


def category_values(column: pd.Series) -> list[object]:
    """Distinct non-null values of ``column``, sorted by ``str(value)``.

    Examples
    --------
    >>> category_values(pd.Series(["b", None, "a", "b", 10, 9]))
    [10, 9, 'a', 'b']
    """
    return sorted(pd.unique(column.dropna().to_numpy(dtype=object)).tolist(), key=str)


def dummy_names(name: Hashable, values: Sequence[object]) -> list[str]:
    """``f"{name}={value}"`` for every value, in the given order.

    Examples
    --------
    >>> dummy_names("region", ["east", "west"])
    ['region=east', 'region=west']
    """
    return [f"{name}={value}" for value in values]


def one_hot(column: pd.Series, name: str, *, max_categories: int = 50, model: str = "(unnamed)") -> pd.DataFrame:
    """Encode one categorical column as float 0/1 columns.

    Parameters
    ----------
    column : Series
        Values of any hashable type; nulls become all-zero rows.
    name : str
        Column name, the prefix of the generated names.
    max_categories : int, default=50
        Most distinct non-null values allowed.
    model : str, default="(unnamed)"
        dbt model name, used in error messages.

    Returns
    -------
    DataFrame
        Columns :func:`dummy_names` of :func:`category_values`, float64,
        with ``column``'s index.

    Raises
    ------
    InputDataError
        More than ``max_categories`` values, or two values with the same text
        (e.g. ``1`` and ``"1"``), which would give the same column name.

    Examples
    --------
    >>> one_hot(pd.Series(["b", "a", None]), "c").to_dict("list")
    {'c=a': [0.0, 1.0, 0.0], 'c=b': [1.0, 0.0, 0.0]}
    """
    values = category_values(column)
    if len(values) > max_categories:
        raise InputDataError(
            f"model {model}: categorical column {name!r} (config.meta.categorical_features) has {len(values)} "
            f"distinct values, more than max_categories={max_categories}, e.g. {preview(values)}; {_UPSTREAM} "
            "or raise max_categories in config.meta"
        )
    names = dummy_names(name, values)
    same = sorted({n for n in names if names.count(n) > 1})
    if same:
        raise InputDataError(
            f"model {model}: categorical column {name!r} has distinct values that print alike ({', '.join(same)}); "
            "cast the column to text upstream in SQL so equal-looking values are one category"
        )
    codes = {value: i for i, value in enumerate(values)}
    position = np.array([-1 if pd.isna(v) else codes[v] for v in column.to_numpy(dtype=object)], dtype=np.int64)
    matrix = (position[:, None] == np.arange(len(values))[None, :]).astype(np.float64)
    return pd.DataFrame(matrix, columns=names, index=column.index)


def _check_names(block: pd.DataFrame, name: str, taken: set[object], model: str) -> None:
    clash = [c for c in block.columns if c in taken]
    if clash:
        raise InputDataError(
            f"model {model}: one-hot encoding categorical column {name!r} would create column(s) "
            f"{', '.join(map(repr, clash))}, which already exist; rename the clashing column upstream "
            "or drop it from config.meta.categorical_features"
        )


def encode_categoricals(
    frame: pd.DataFrame, columns: Sequence[str], *, max_categories: int = 50, model: str = "(unnamed)"
) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Append the one-hot columns of every categorical column to ``frame``.

    Parameters
    ----------
    frame : DataFrame
        The input rows (the categorical columns stay as they are).
    columns : sequence of str
        Categorical columns, in ``config.meta.categorical_features`` order.
    max_categories : int, default=50
    model : str, default="(unnamed)"
        dbt model name, used in error messages.

    Returns
    -------
    frame : DataFrame
        ``frame`` itself when ``columns`` is empty, else a copy with the
        generated columns appended.
    names : tuple of str
        The generated names, column by column, values ordered by ``str``.

    Raises
    ------
    InputDataError
        Missing column (lists the available ones), too many categories, or a
        generated name that is already a column or generated twice.
    """
    if not columns:
        return frame, ()
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputDataError(
            f"model {model}: categorical column(s) {', '.join(map(repr, missing))} "
            f"(config.meta.categorical_features) missing from the input; available columns: "
            f"{preview(frame.columns, limit=50)}; fix categorical_features in config.meta or the upstream model"
        )
    taken: set[object] = set(frame.columns)
    blocks = []
    for name in columns:
        block = one_hot(frame[name], name, max_categories=max_categories, model=model)
        _check_names(block, name, taken, model)
        taken.update(block.columns)
        blocks.append(block)
    names = tuple(n for block in blocks for n in block.columns)
    return pd.concat([frame, *blocks], axis=1), names
