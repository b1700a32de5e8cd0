"""Provider and demand fits: prepare, then the one fit pipeline.

:func:`prepare` validates settings and input, one-hot encodes
``categorical_features`` (:mod:`cluster_marts.preprocessing.encoding`), sorts rows by id,
clips (``clip_quantile``) and scales (:mod:`cluster_marts.preprocessing.scaling`),
preprocesses (:mod:`cluster_marts.preprocessing.reduction`) and computes the
``run_id`` (of the unclipped values); every entry point of :mod:`cluster_marts.adapters.partition` starts with it,
so they all see the same matrix and the same effective settings
(``Prepared.settings``: ``features`` with the one-hot columns appended,
``categorical_features`` as configured).  :func:`fit_clustering` runs
the one fit pipeline (:mod:`cluster_marts.fitting`) on it once: k chosen on
the fit sample, canonical cluster ids (by the members' mean of the canonical
feature, ``canonical_order``, else the first kept feature, in scaled space;
ties by the members' means of the other configured features, then size),
then the previous fit's ids kept (:mod:`cluster_marts.identity.lineage`).  With PCA off, ``canonical_order``
must be a kept feature.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cluster_marts.algorithms.registry import fit_k
from cluster_marts.config.cluster import ClusterSettings, settings_from_meta
from cluster_marts.errors import InputDataError
from cluster_marts.fitting.pipeline import FitInput, KGrid, Partition, fit_partition
from cluster_marts.identity.lineage import PreviousFit
from cluster_marts.identity.run_id import run_id as content_run_id
from cluster_marts.preprocessing.encoding import encode_categoricals
from cluster_marts.preprocessing.inputs import check_frame, feature_matrix
from cluster_marts.preprocessing.reduction import Preprocessing, apply_preprocessing, fit_preprocessing
from cluster_marts.preprocessing.sampling import fit_sample
from cluster_marts.preprocessing.scaling import ScalerParams, clip, fit_scaler, transform
from cluster_marts.selection.gap import reference_fit

__all__ = [
    "Prepared", "DomainFit", "prepare", "with_categoricals", "run_id", "chosen_k", "fit_clustering", "RUN_ID_SETTINGS",
]

RUN_ID_SETTINGS = (
    "id_column", "features", "scaling", "algorithm", "random_state", "n_init",
    "silhouette_sample_size", "canonical_order",
)
# Hashed only when set away from their default, so run ids of runs without
# preprocessing or categorical features are unchanged from before these existed.
# ``features`` is hashed as effective (one-hot names appended), so select_k and
# assign_clusters on the same input and config.meta share a run_id.
_RUN_ID_OPTIONAL = {"min_variance": 0.0, "pca_components": None, "categorical_features": (), "clip_quantile": 0.0,
                    "fit_sample_size": 20_000}


@dataclass(frozen=True, eq=False)
class Prepared:
    """Validated input, sorted by id, scaled and preprocessed."""

    settings: ClusterSettings  # effective: one-hot columns appended to ``features``
    order: np.ndarray  # sorted position -> input row
    X: np.ndarray  # features (all configured) in original units, clipped by clip_quantile, sorted by id
    scaler: ScalerParams | None
    Xs: np.ndarray  # X scaled (all configured), sorted by id
    pre: Preprocessing
    Z: np.ndarray  # what the algorithm sees: kept scaled features, or PCA scores
    order_feature: str
    run_id: str
    sample: np.ndarray  # rows of Z the k grid and the fits see (fit_sample_size; every row on small tables)

    @property
    def Z_fit(self) -> np.ndarray:
        """The rows of ``Z`` the fits see."""
        return self.Z if self.sample.size == self.Z.shape[0] else self.Z[self.sample]


def run_id(settings: ClusterSettings, ids: pd.Series, X: np.ndarray) -> str:
    """:func:`cluster_marts.identity.run_id.run_id` of the fit-relevant settings, the sorted ids and the raw matrix."""
    config = {name: getattr(settings, name) for name in RUN_ID_SETTINGS}
    config.update({k: getattr(settings, k) for k, v in _RUN_ID_OPTIONAL.items() if getattr(settings, k) != v})
    return content_run_id(config, ids, X)


def _order_feature(settings: ClusterSettings, pre: Preprocessing, model: str) -> str:
    kept = pre.kept_features
    if pre.pca is None and settings.canonical_order is not None and settings.canonical_order not in kept:
        raise InputDataError(
            f"model {model}: canonical_order {settings.canonical_order!r} was dropped by "
            f"min_variance={settings.min_variance} (raw variance "
            f"{pre.variances[settings.features.index(settings.canonical_order)]:.6g}); choose a kept feature "
            f"({', '.join(kept)}) or lower min_variance in config.meta"
        )
    return settings.canonical_order or kept[0]


def with_categoricals(
    frame: pd.DataFrame, settings: ClusterSettings, model: str
) -> tuple[pd.DataFrame, ClusterSettings]:
    """Append the one-hot columns to ``frame`` and their names to ``settings.features``.

    Returns ``frame`` and ``settings`` themselves when ``categorical_features``
    is empty.
    """
    if not settings.categorical_features:
        return frame, settings
    frame, names = encode_categoricals(
        frame, settings.categorical_features, max_categories=settings.max_categories, model=model
    )
    return frame, dataclasses.replace(settings, features=settings.features + names)


def prepare(features: pd.DataFrame, meta: Mapping[str, Any] | None, model: str) -> Prepared:
    """Effective settings, checked input sorted by id, scaler, preprocessing and run id."""
    settings = settings_from_meta(meta, model=model)
    frame, settings = with_categoricals(check_frame(features, settings, model), settings, model)
    ids = frame[settings.id_column].reset_index(drop=True)
    order = ids.sort_values(kind="stable").index.to_numpy()
    raw = feature_matrix(frame, settings, model)[order]
    rid = run_id(settings, ids.iloc[order].reset_index(drop=True), raw)
    scaler = fit_scaler(raw, settings.scaling, settings.features, clip_quantile=settings.clip_quantile) if len(raw) \
        else None
    X = clip(raw, scaler) if scaler is not None else raw
    Xs = transform(X, scaler) if scaler is not None else X
    pre = fit_preprocessing(X, Xs, settings, model=model)
    Z = apply_preprocessing(Xs, pre)
    sample = fit_sample(Z, settings.fit_sample_size, settings.random_state)
    return Prepared(settings, order, X, scaler, Xs, pre, Z, _order_feature(settings, pre, model), rid, sample)


def chosen_k(k_selection: pd.DataFrame, prep: Prepared, model: str, upstream: str | None) -> int:
    """The single ``is_chosen`` k of a k-selection table from the same run."""
    name = upstream or "the k-selection input"
    missing = [c for c in ("k", "is_chosen") if c not in k_selection.columns]
    if missing:
        raise InputDataError(
            f"model {model}: {name} lacks column(s) {', '.join(missing)}; "
            "pass the output of cluster_marts.adapters.partition.select_k "
            f"(available: {', '.join(map(str, k_selection.columns))})"
        )
    chosen = k_selection["is_chosen"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if chosen.sum() != 1:
        raise InputDataError(
            f"model {model}: {name} has {int(chosen.sum())} rows with is_chosen = true; expected exactly one; "
            f"rebuild {name} (dbt build --select <k-selection model>)"
        )
    row = k_selection.loc[chosen].iloc[0]
    if "run_id" in k_selection.columns and str(row["run_id"]) != prep.run_id:
        raise InputDataError(
            f"model {model}: {name} was computed from other data or settings (run_id {row['run_id']} != "
            f"{prep.run_id}); give both models the same config.meta (id_column, features, scaling, clip_quantile, "
            "algorithm, random_state, n_init, silhouette_sample_size, canonical_order, min_variance, "
            "pca_components, categorical_features) and rebuild them together"
        )
    k = int(row["k"])
    if not 1 <= k <= prep.X.shape[0]:
        raise InputDataError(f"model {model}: chosen k={k} from {name} needs 1 <= k <= n_samples={prep.X.shape[0]}")
    return k



@dataclass(frozen=True, eq=False)
class DomainFit:
    """One provider or demand fit: the prepared input and the partition (:mod:`cluster_marts.fitting`)."""

    prep: Prepared
    partition: Partition

    @property
    def k(self) -> int:
        return self.partition.k


def fit_clustering(
    features: pd.DataFrame, meta: Mapping[str, Any] | None, *, model: str,
    previous: PreviousFit | None = None, k: int | None = None,
) -> DomainFit:
    """Prepare, choose k on the fit sample, fit once, number the clusters and keep the previous fit's ids.

    The one fit of a provider or demand build
    (:func:`~cluster_marts.fitting.pipeline.fit_partition` with the registry
    estimator of ``algorithm``, seeded, ``n_init`` restarts).  ``k`` fixes the
    number of clusters (a grid of one k, rule ``fixed``): the fit the k grid
    scored at that k.  Canonical ids order the clusters by the members' mean
    of ``canonical_order`` in scaled space (ties by the other features, then
    size); with ``previous``, matched clusters keep their published ids.
    """
    prep = prepare(features, meta, model)
    s = prep.settings
    if k is None:
        grid = KGrid(s.k_min, s.k_max, s.selection_rule, s.random_state, s.silhouette_sample_size,
                     n_clusters=s.n_clusters, min_cluster_share=s.min_cluster_share, gap_references=s.gap_references,
                     reference_fit=reference_fit(s.algorithm, s.random_state, s.n_init),
                     stability_resamples=s.resamples,
                     refit=lambda X_b, n: fit_k(s.algorithm, X_b, n, random_state=s.random_state, n_init=s.n_init))
    else:
        grid = KGrid(k, k, "fixed", s.random_state, s.silhouette_sample_size, n_clusters=k)
    scaler = prep.scaler
    data = FitInput(prep.X, prep.Xs, prep.Z, s.features, prep.sample,
                    to_scaled=lambda a: transform(clip(a, scaler), scaler) if scaler is not None else a,
                    order_column=s.features.index(prep.order_feature))
    partition = fit_partition(
        data, grid, lambda Z, n: fit_k(s.algorithm, Z, n, random_state=s.random_state, n_init=s.n_init),
        previous=previous, model=model,
    )
    return DomainFit(prep, partition)
