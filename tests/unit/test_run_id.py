"""One run id function (cluster_marts.identity.run_id) for every domain and the workbench."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest

from cluster_marts.identity.run_id import run_id

IDS = pd.Series([3, 5, 8], dtype="int64")
X = np.array([[0.0, 1.5], [2.0, -1.0], [4.0, 0.25]])
SETTINGS = {"scaling": "standard", "features": ("a", "b"), "k_max": 8}


def test_documented_formula():
    # sha1 over: sorted-key JSON of the settings, pandas row hashes of the ids, float32 bytes of X; 16 hex
    digest = hashlib.sha1(b'{"features": ["a", "b"], "k_max": 8, "scaling": "standard"}')
    digest.update(pd.util.hash_pandas_object(IDS, index=False).to_numpy().tobytes())
    digest.update(X.astype(np.float32).tobytes())
    assert run_id(SETTINGS, IDS, X) == digest.hexdigest()[:16]
    assert len(run_id(SETTINGS, IDS, X)) == 16 and int(run_id(SETTINGS, IDS, X), 16) >= 0


def test_each_input_counts_and_nothing_else():
    base = run_id(SETTINGS, IDS, X)
    assert run_id(dict(reversed(list(SETTINGS.items()))), IDS, X) == base          # key order
    assert run_id(SETTINGS, IDS.copy(), X.astype(np.float32).astype(np.float64)) == base
    assert run_id({**SETTINGS, "k_max": 9}, IDS, X) != base
    assert run_id(SETTINGS, pd.Series([3, 5, 9]), X) != base
    assert run_id(SETTINGS, IDS.astype(str), X) != base                              # "3" is not 3
    assert run_id(SETTINGS, IDS, X + np.array([[0, 0], [0, 1e-5], [0, 0]])) != base
    assert run_id(SETTINGS, IDS[::-1].reset_index(drop=True), X[::-1]) != base       # row order matters
    with_target = pd.DataFrame({"id": IDS, "target": ["x", "y", "x"]})
    assert run_id(SETTINGS, with_target, X) != base
    assert run_id(SETTINGS, with_target.assign(target=["x", "y", "y"]), X) != run_id(SETTINGS, with_target, X)


@dataclass(frozen=True)
class Block:
    name: str
    params: MappingProxyType


def test_setting_values_without_a_json_form():
    settings = {"block": Block("kmeans", MappingProxyType({"n_init": 10})), "tags": frozenset({"b", "a"}),
                "seed": np.int64(42), "weights": np.array([0.4, 0.6])}
    plain = {"block": {"name": "kmeans", "params": {"n_init": 10}}, "tags": ["a", "b"], "seed": 42,
             "weights": [0.4, 0.6]}
    assert run_id(settings, IDS, X) == run_id(plain, IDS, X)
    assert json.dumps(plain)  # the plain twin is JSON
    with pytest.raises(TypeError, match="run_id: setting value .* has no JSON form"):
        run_id({"bad": object()}, IDS, X)


def test_the_last_bits_of_a_feature_do_not_change_the_run_but_a_real_change_does():
    rng = np.random.default_rng(0)
    X = rng.normal(10, 3, (500, 3))
    ids = pd.Series(range(500))
    base = run_id({"k": 3}, ids, X)
    assert run_id({"k": 3}, ids, np.nextafter(X, np.inf)) == base  # one unit in the last place, every value
    assert run_id({"k": 3}, ids, X * (1 + 1e-12)) == base
    changed = X.copy()
    changed[17, 1] *= 1 + 1e-5
    assert run_id({"k": 3}, ids, changed) != base
