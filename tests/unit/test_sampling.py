"""The seeded, stratified fit sample (``cluster_marts.preprocessing.sampling``)."""

from __future__ import annotations

import numpy as np
import pytest

from cluster_marts.preprocessing.sampling import STRATA, fit_sample


def _heavy_tailed(n: int, seed: int) -> np.ndarray:
    """Log-normal spend-like columns: a long tail of heavy rows."""
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.lognormal(0.0, 1.2, n), rng.lognormal(1.0, 0.8, n)])


def test_small_tables_are_fitted_on_every_row():
    X = _heavy_tailed(300, 0)
    np.testing.assert_array_equal(fit_sample(X, 300, 1), np.arange(300))
    np.testing.assert_array_equal(fit_sample(X, 10_000, 1), np.arange(300))


@pytest.mark.parametrize("seed", [0, 7])
def test_exact_size_sorted_unique_and_seeded(seed):
    X = _heavy_tailed(20_000, seed)
    rows = fit_sample(X, 1_000, seed)
    assert rows.size == 1_000 and np.unique(rows).size == 1_000
    assert (np.diff(rows) > 0).all() and rows.min() >= 0 and rows.max() < 20_000
    np.testing.assert_array_equal(rows, fit_sample(X, 1_000, seed))
    assert not np.array_equal(rows, fit_sample(X, 1_000, seed + 1))


@pytest.mark.parametrize("seed", [0, 7])
def test_every_stratum_holds_its_exact_share(seed):
    """The top 0.1 % most outlying rows (20 of 20,000) give exactly 1 of 1,000 sampled rows, every draw."""
    X = _heavy_tailed(20_000, seed)
    d = np.sqrt(((X - np.median(X, axis=0)) ** 2).sum(axis=1))
    edges = np.quantile(d, STRATA)
    for draw in range(5):
        rows = fit_sample(X, 1_000, seed * 100 + draw)
        counts = np.bincount(np.searchsorted(edges, d[rows], side="right"), minlength=len(STRATA) + 1)
        # quantile bands of 20,000 rows: 50 %, 25 %, 15 %, 5 %, 4 %, 0.9 %, 0.1 %
        assert counts.tolist() == [500, 250, 150, 50, 40, 9, 1]


def test_plain_random_sampling_would_miss_the_tail_sometimes():
    """Why stratify: a uniform draw of 1,000 of 20,000 rows holds 0 of the top 20 rows about 1 time in 3."""
    X = _heavy_tailed(20_000, 3)
    d = np.sqrt(((X - np.median(X, axis=0)) ** 2).sum(axis=1))
    top = set(np.argsort(d)[-20:].tolist())
    rng = np.random.default_rng(0)
    misses = sum(not top & set(rng.choice(20_000, 1_000, replace=False).tolist()) for _ in range(200))
    assert 30 < misses < 110
    assert all(top & set(fit_sample(X, 1_000, s).tolist()) for s in range(50))
