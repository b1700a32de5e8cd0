"""Cluster ids that hold from one build to the next, and the lineage of every id.

A fit's clusters are first numbered by the canonical rule
(:mod:`cluster_marts.identity.canonical`).  When the previous published fit
of the same scope is known (:class:`PreviousFit`: its clusters' member means
in original units, their RMS radius, the features and the next free id),
:func:`keep_ids` gives each new cluster a published id:

* the previous clusters' member means are put through the **current** scaler
  (``to_scaled``), so both fits are compared in one space, the current one;
* the new clusters are matched to them by the Hungarian assignment
  (:func:`scipy.optimize.linear_sum_assignment`) on euclidean distances
  between member means;
* a pair is accepted only when the distance is within the previous cluster's
  tolerance: its RMS radius (its members' root mean squared distance to their
  mean, scaled space), or :data:`SEPARATION_SHARE` of the distance to the
  nearest other previous cluster when that is larger (a cluster of identical
  rows, e.g. every customer who never returns anything, has radius 0, and
  its mean moves as soon as one member joins or leaves; within a quarter of
  the gap to its nearest neighbour it is still unambiguously the same
  cluster): a matched cluster keeps the previous id (``kept``);
* every other new cluster takes a fresh id, ``next_id, next_id + 1, ...`` in
  canonical order (``new``); ids are never reused, so a dashboard filter on a
  vanished id never silently shows another cluster;
* every previous cluster left unmatched is ``vanished``;
* another feature set (other names or order) matches nothing: every cluster
  is ``new`` and every previous one ``vanished``, with the reason;
* without a previous fit (first build, or ``--full-refresh``) ids are the
  canonical ones and every cluster is ``reset``.

:func:`lineage_events` lists those events, one row per cluster, for the
``cluster_lineage`` mart.  A rebuild on the data and settings of the
previous fit (same ``run_id``, every cluster kept) records no event.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from cluster_marts.algorithms.scores import member_means

#: a previous cluster's tolerance is at least this share of the distance to its nearest other previous cluster
SEPARATION_SHARE = 0.25

__all__ = ["PreviousFit", "IdMatch", "ClusterMemory", "keep_ids", "lineage_events", "cluster_radius", "held_and_kept",
           "match_tolerance", "SEPARATION_SHARE", "EVENTS"]

EVENTS = ("kept", "new", "vanished", "renamed", "reset")


@dataclass(frozen=True, eq=False)
class PreviousFit:
    """The clusters of the previous published fit of one scope.

    Attributes
    ----------
    run_id : str
    features : tuple of str
        The features the means are given for, in order.
    cluster_ids : ndarray of shape (m,), int64
        Published ids.
    means : ndarray of shape (m, n_features)
        Members' mean of each feature, original units.
    radius : ndarray of shape (m,)
        RMS distance of the members to their mean, in that fit's scaled space.
    next_id : int
        The first id never issued in this scope.
    """

    run_id: str
    features: tuple[str, ...]
    cluster_ids: np.ndarray
    means: np.ndarray
    radius: np.ndarray
    next_id: int


@dataclass(frozen=True, eq=False)
class IdMatch:
    """Published ids of a fit's clusters and what happened to each previous one.

    Attributes
    ----------
    ids : ndarray of shape (k,), int64
        ``ids[canonical_id]`` is the id to publish.
    previous_ids : ndarray of shape (k,), int64
        The previous id matched to each cluster, -1 when none.
    distances : ndarray of shape (k,)
        Distance to the matched previous cluster's mean (current scaled space), NaN when none.
    events : tuple of str
        ``kept``, ``new`` or ``reset`` per cluster.
    vanished : ndarray of int64
        Previous ids no cluster took.
    next_id : int
        First id never issued, after this fit.
    previous_run_id : str or None
    reason : str
        Why ids were kept or not, in words.
    """

    ids: np.ndarray
    previous_ids: np.ndarray
    distances: np.ndarray
    events: tuple[str, ...]
    vanished: np.ndarray
    next_id: int
    previous_run_id: str | None
    reason: str

    def publish(self, labels: np.ndarray) -> np.ndarray:
        """Canonical labels (``-1`` noise kept) as published ids."""
        labels = np.asarray(labels, dtype=np.int64)
        if self.ids.size == 0:
            return labels.copy()
        return np.where(labels >= 0, self.ids[np.maximum(labels, 0)], labels).astype(np.int64)


@dataclass(frozen=True, eq=False)
class ClusterMemory:
    """What a fit leaves for the next build of its scope: its ids and, per cluster in canonical order, the
    members' means in original units, their RMS radius (scaled space) and size."""

    ids: IdMatch
    features: tuple[str, ...]
    means: np.ndarray
    radius: np.ndarray
    sizes: np.ndarray


def cluster_radius(Xs: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """RMS distance of each cluster's members to their mean (NaN for an empty cluster).

    Examples
    --------
    >>> cluster_radius(np.array([[0.0], [2.0], [10.0]]), np.array([0, 0, 1]), 2).tolist()
    [1.0, 0.0]
    """
    labels = np.asarray(labels, dtype=np.int64)
    means = member_means(Xs, labels, k)
    inside = labels >= 0
    sq = np.zeros(k)
    np.add.at(sq, labels[inside], ((Xs[inside] - means[labels[inside]]) ** 2).sum(axis=1))
    counts = np.bincount(labels[inside], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, np.sqrt(sq / np.maximum(counts, 1)), np.nan)


def match_tolerance(means: np.ndarray, radius: np.ndarray) -> np.ndarray:
    """How far a new cluster's mean may be from each previous cluster's and still keep its id.

    The larger of the cluster's RMS radius and :data:`SEPARATION_SHARE` of the distance to the nearest
    other previous cluster (none for a single cluster: its radius).

    Examples
    --------
    >>> match_tolerance(np.array([[0.0], [4.0], [10.0]]), np.array([0.0, 2.0, 1.0])).tolist()
    [1.0, 2.0, 1.5]
    >>> match_tolerance(np.array([[0.0], [4.0], [np.nan]]), np.array([0.0, 2.0, np.nan])).tolist()
    [1.0, 2.0, nan]
    """
    means = np.asarray(means, dtype=np.float64)
    gaps = np.linalg.norm(means[:, None, :] - means[None, :, :], axis=2)
    gaps = np.where(np.isfinite(gaps), gaps, np.inf)  # a cluster without members (NaN mean) is nobody's neighbour
    np.fill_diagonal(gaps, np.inf)
    nearest = gaps.min(axis=1)
    nearest = np.where(np.isfinite(nearest), nearest, np.nan)  # no other cluster: the radius alone
    return np.fmax(radius, SEPARATION_SHARE * nearest)


def _fresh(k: int, previous: PreviousFit | None, reason: str, event: str) -> IdMatch:
    start = 0 if previous is None else int(previous.next_id)
    vanished = np.empty(0, dtype=np.int64) if previous is None else np.asarray(previous.cluster_ids, dtype=np.int64)
    return IdMatch(
        ids=start + np.arange(k, dtype=np.int64), previous_ids=np.full(k, -1, dtype=np.int64),
        distances=np.full(k, np.nan), events=(event,) * k, vanished=vanished, next_id=start + k,
        previous_run_id=None if previous is None else previous.run_id, reason=reason,
    )


def keep_ids(
    means_scaled: np.ndarray,
    features: Sequence[str],
    to_scaled: Callable[[np.ndarray], np.ndarray],
    previous: PreviousFit | None,
) -> IdMatch:
    """Match a fit's clusters to the previous fit's; see the module docstring.

    Parameters
    ----------
    means_scaled : ndarray of shape (k, n_features)
        Members' mean of each new cluster in the current scaled space, row
        ``i`` for canonical id ``i`` (NaN rows: clusters without members,
        never matched).
    features : sequence of str
        The features of the columns.
    to_scaled : callable
        The current scaler: original units -> current scaled space.
    previous : PreviousFit or None

    Returns
    -------
    IdMatch

    Examples
    --------
    >>> prev = PreviousFit("r0", ("x",), np.array([0, 1]), np.array([[5.0], [0.0]]), np.array([1.0, 1.0]), 2)
    >>> m = keep_ids(np.array([[0.1], [5.2], [20.0]]), ("x",), lambda a: a, prev)
    >>> m.ids.tolist(), m.events, m.vanished.tolist()
    ([1, 0, 2], ('kept', 'kept', 'new'), [])
    """
    means = np.asarray(means_scaled, dtype=np.float64)
    k = means.shape[0]
    if previous is None:
        return _fresh(k, None, "no previous fit (first build or full refresh): ids numbered afresh", "reset")
    if tuple(features) != tuple(previous.features):
        return _fresh(k, previous, f"the features changed (previous: {', '.join(previous.features)}; now: "
                      f"{', '.join(features)}): every cluster is new", "new")
    before = np.asarray(to_scaled(np.asarray(previous.means, dtype=np.float64)), dtype=np.float64)
    cost = np.linalg.norm(means[:, None, :] - before[None, :, :], axis=2)
    usable = np.where(np.isfinite(cost), cost, 1e300)
    rows, cols = linear_sum_assignment(usable)
    tolerance = match_tolerance(before, np.asarray(previous.radius, dtype=np.float64))
    accepted = np.isfinite(cost[rows, cols]) & (cost[rows, cols] <= tolerance[cols])
    rows, cols = rows[accepted], cols[accepted]
    previous_ids = np.full(k, -1, dtype=np.int64)
    previous_ids[rows] = np.asarray(previous.cluster_ids, dtype=np.int64)[cols]
    distances = np.full(k, np.nan)
    distances[rows] = cost[rows, cols]
    unmatched = np.flatnonzero(previous_ids < 0)
    ids = previous_ids.copy()
    ids[unmatched] = int(previous.next_id) + np.arange(unmatched.size)
    taken = set(previous_ids[rows].tolist())
    vanished = np.array([i for i in np.asarray(previous.cluster_ids).tolist() if i not in taken], dtype=np.int64)
    events = tuple("kept" if p >= 0 else "new" for p in previous_ids)
    return IdMatch(ids, previous_ids, distances, events, vanished, int(previous.next_id) + unmatched.size,
                   previous.run_id, f"{len(rows)} of {k} clusters matched to run {previous.run_id}")


def lineage_events(match: IdMatch, run_id: str) -> list[dict]:
    """One row per event of ``match``: ``cluster_id``, ``previous_cluster_id``, ``event``, ``distance``, ``reason``.

    Empty when the fit is the previous one (same ``run_id``, every cluster kept): nothing changed.
    """
    if match.previous_run_id == run_id and set(match.events) == {"kept"} and match.vanished.size == 0:
        return []
    rows = [
        {"cluster_id": int(i), "previous_cluster_id": None if p < 0 else int(p), "event": e,
         "distance": None if np.isnan(d) else float(d), "reason": match.reason}
        for i, p, e, d in zip(match.ids, match.previous_ids, match.events, match.distances)
    ]
    rows += [{"cluster_id": None, "previous_cluster_id": int(v), "event": "vanished", "distance": None,
              "reason": match.reason} for v in match.vanished]
    return rows


def held_and_kept(before: pd.DataFrame, after: pd.DataFrame, share: float = 0.8) -> tuple[int, int]:
    """How many clusters of ``before`` held together in ``after``, and how many of those kept their id.

    A cluster holds together when at least ``share`` of its members (rows of
    ``before`` also in ``after``) are in one cluster of ``after`` and make at
    least ``share`` of it: two clusters merged into one, or one split in two,
    are not the same cluster.  Both frames have the columns ``id`` (the
    entity) and ``cluster_id``.

    Examples
    --------
    >>> before = pd.DataFrame({"id": range(6), "cluster_id": [0, 0, 0, 1, 1, 1]})
    >>> held_and_kept(before, before.assign(cluster_id=[0, 0, 0, 7, 7, 7]))
    (2, 1)
    """
    both = before.merge(after, on="id", suffixes=("_before", "_after"))
    sizes_after = both["cluster_id_after"].value_counts()
    held = kept = 0
    for cluster_id, rows in both.groupby("cluster_id_before"):
        counts = rows["cluster_id_after"].value_counts()
        target, together = counts.index[0], counts.iat[0]
        if together / len(rows) >= share and together / sizes_after[target] >= share:
            held += 1
            kept += int(target == cluster_id)
    return held, kept
