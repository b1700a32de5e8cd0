"""Shape of the benchmark harness (benchmarks are measured by ``make bench``, not asserted)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from sklearn.metrics import silhouette_score

import benchmarks.__main__ as bench_main
from benchmarks import customers_baseline as bench_customers_baseline
from benchmarks.harness import (
    BASELINES,
    DEMO_STAGE,
    RAW_VARS,
    SEED,
    STAGES,
    StageResult,
    baseline_command,
    dbt_command,
    demo_command,
    format_table,
    race_command,
    raw_dir,
    summarise,
)
from benchmarks.quality import ari
from benchmarks.race import exact_silhouette, race_meta
from benchmarks.targets import evaluate, format_targets, measurements
from cluster_marts.config.segmentation import expand_axis


def test_stage_table_is_ordered_and_named() -> None:
    names = [stage.name for stage in STAGES]
    assert names[0] == "seed" and len(set(names)) == len(names)
    assert all(stage.args and stage.args[0] in {"seed", "run", "build"} for stage in STAGES)


def test_every_domain_but_shared_has_a_baseline() -> None:
    domains = {stage.domain for stage in STAGES} - {"shared"}
    assert domains == set(BASELINES) == {"provider", "demand", "customers"}


def test_customer_stages_select_the_customer_paths_in_dag_order() -> None:
    customers = [stage for stage in STAGES if stage.domain == "customers"]
    assert [stage.name for stage in customers] == [
        "customers staging+features", "customers segmentation", "customers reference model", "customers value",
        "customers segment marts", "customers snapshots+drift"]
    selected = [stage.args[stage.args.index("-s") + 1:] for stage in customers]
    assert selected == [
        ["path:models/staging/customers", "path:models/features/customers"],
        # the lapse scores read the drift timeline (a mart downstream of the reference model): built last;
        # the cross-store tests read customer_segments (a mart): built with the segment marts
        ["path:python_models/customers", "--exclude", "int_customer_reference_model+", "int_customer_lapse_scores",
         "int_customer_store_tests"],
        ["int_customer_reference_model", "int_customer_reference_centres"],
        ["path:models/features/value", "path:python_models/value"],
        ["path:models/marts/customers", "int_customer_store_tests", "--exclude", "int_customer_reference_model+"],
        ["path:models/marts/customers,int_customer_reference_model+", "int_customer_lapse_scores"]]
    root = Path(__file__).resolve().parents[2]
    paths = {a.split(",")[0].removeprefix("path:") for args in selected for a in args if a.startswith("path:")}
    assert all((root / path).is_dir() for path in paths)
    assert (root / "python_models/customers/int_customer_reference_model.py").is_file()


def test_raw_vars_cover_the_customer_orders() -> None:
    assert RAW_VARS["customer_orders_path"] == BASELINES["customers"][1] == "customer_orders.parquet"


def test_dbt_command_points_at_the_bench_files(tmp_path: Path) -> None:
    cmd = dbt_command(["run"], tmp_path, tmp_path / "raw" / "ai_models.parquet")
    assert Path(cmd[0]).name == "dbt" and cmd[1] == "run"
    raw_vars = json.loads(cmd[cmd.index("--vars") + 1])
    assert raw_vars["ai_models_path"] == str(tmp_path / "raw" / "ai_models.parquet")
    assert raw_vars["customer_orders_path"] == str(tmp_path / "raw" / "customer_orders.parquet")
    assert cmd[cmd.index("--target-path") + 1] == str(tmp_path / "target")


def test_demo_generation_is_a_measured_stage_of_its_own(tmp_path: Path) -> None:
    cmd = demo_command("small", tmp_path / "raw")
    assert cmd[1:4] == ["-m", "cluster_marts.cli", "demo"]
    assert cmd[cmd.index("--scale") + 1] == "small" and cmd[cmd.index("--out") + 1] == str(tmp_path / "raw")
    assert cmd[cmd.index("--seed") + 1] == str(SEED)
    assert DEMO_STAGE not in {stage.name for stage in STAGES}  # timed apart: not part of the dbt totals


def test_baseline_commands_read_their_own_raw_file(tmp_path: Path) -> None:
    demand = baseline_command("demand", tmp_path)
    assert demand[1:3] == ["-m", "benchmarks.demand_baseline"]
    assert demand[3] == str(tmp_path / "fact_sales_monthly.parquet")
    assert baseline_command("provider", tmp_path)[3] == str(tmp_path / "ai_models.parquet")
    customers = baseline_command("customers", tmp_path)
    assert customers[1:] == ["-m", "benchmarks.customers_baseline",
                             str(tmp_path / "customer_orders.parquet")]
    assert "--sample" not in demand  # the demo scales: the demand baseline selects k on every DFU
    sampled = baseline_command("demand", tmp_path, "100k")
    assert sampled[sampled.index("--sample") + 1] == "10000"
    assert baseline_command("customers", tmp_path, "1m") == customers


def test_customer_baseline_reads_the_axes_of_the_python_models() -> None:
    meta = bench_customers_baseline.settings()
    models = yaml.safe_load(bench_customers_baseline.MODELS_YML.read_text())["models"]
    assert meta["axes"] == models[0]["config"]["meta"]["axes"] and "engagement" in meta["axes"]
    assert "{{" in meta["k_min"]  # dbt Jinja, not rendered: the baseline sweeps its own k range
    assert (bench_customers_baseline.K_MIN, bench_customers_baseline.K_MAX) == (2, 10)  # the sweep
    assert bench_customers_baseline.SILHOUETTE_SAMPLE == 10_000


def test_summary_and_table_split_domains() -> None:
    stages = [StageResult("seed", 1.0, 10.0, "shared"),
              StageResult("staging+features", 2.0, 20.0, "provider"),
              StageResult("demand staging+features", 3.0, 30.0, "demand")]
    baselines = {"provider": (StageResult("provider baseline", 1.0, 5.0, "provider"),
                              {"total_seconds": 0.5}),
                 "demand": (StageResult("demand baseline", 1.5, 6.0, "demand"),
                            {"total_seconds": 1.0})}
    summary = summarise(stages, baselines)
    assert list(summary) == ["shared", "provider", "demand", "total"]
    assert summary["shared"]["ratio_dbt_to_baseline"] is None
    assert summary["demand"]["ratio_dbt_to_baseline"] == 2.0
    assert summary["total"]["dbt_seconds"] == 6.0 and summary["total"]["baseline_seconds"] == 2.5
    stage_rows = format_table(stages, summary).splitlines()[2:5]
    assert len({len(row) for row in stage_rows}) == 1  # columns line up


def test_customer_baseline_drops_bad_rows_and_builds_one_row_per_customer() -> None:
    raw = pd.DataFrame({
        "order_id": ["O1", "O2", "O2", "O3", "O4", " "],
        "customer_id": ["C1", "C1", "C1", "C2", "C2", "C3"],
        "ordered_at": pd.to_datetime(["2026-01-01 10:00", "2026-02-01 20:00", "2026-02-02 00:00",
                                      "2026-03-01 00:00", "2026-03-02 00:00", "2026-03-03 00:00"]),
        "amount": [10.0, 20.0, 30.0, -1.0, 5.0, 7.0],
        "item_count": [1, 2, 2, 1, 1, 1],
        "product_category": ["Fabric", "kits", "kits", "books", "books", "tools"],
        "is_returned": [False, True, False, False, False, False],
    })
    orders = bench_customers_baseline.clean(raw)
    assert sorted(orders["order_id"]) == ["O1", "O2", "O4"]  # duplicate, negative, blank id dropped
    table = bench_customers_baseline.features(orders)
    meta = bench_customers_baseline.settings()
    assert list(table.index) == ["C1", "C2"]
    axes = {axis: expand_axis(axis, cols["features"] if isinstance(cols, dict) else cols, list(table.columns),
                              model="m") for axis, cols in meta["axes"].items()}
    assert {c for cols in axes.values() for c in cols} <= set(table.columns)
    # C1: 10.00 (1 item, fabric) on 2026-01-01, 20.00 (2 items, kits) on 2026-02-01
    c1 = table.loc["C1"]
    assert c1["amount_cv"] == pytest.approx(np.std([10, 20], ddof=1) / 15) and c1["largest_order_ratio"] == 20 / 15
    assert c1["top_category_share"] == 0.5 and c1["category_entropy"] == pytest.approx(np.log(2))
    assert c1["holiday_share"] == 0 and c1["month_concentration"] == 0.5
    assert c1["log_price_per_item"] == pytest.approx(np.log(11)) and np.isnan(c1["gap_cv"])
    assert axes["category_mix"] == tuple(f"share_{c}" for c in bench_customers_baseline.CATEGORIES)
    assert table.loc["C1", "frequency"] == 2 and table.loc["C1", "share_fabric"] == 0.5
    assert table.loc["C1", "return_rate"] == 0.5 and table.loc["C2", "recency_days"] == 1.0


# ------------------------------------------------------------------------------ the scale series

def test_scale_option_takes_the_series_and_rejects_others(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(bench_main, "run_bench", lambda **kwargs: calls.append(kwargs) or 0)
    assert bench_main.main(["--scale", "100k"]) == 0 and bench_main.main([]) == 0
    assert bench_main.main(["--scale", "1m", "--raw", "/data/raw1m"]) == 0
    assert [c["scale"] for c in calls] == ["100k", "large", "1m"]  # large stays the default
    assert calls[2]["raw"] == "/data/raw1m" and calls[0]["raw"] is None
    with pytest.raises(SystemExit):
        bench_main.main(["--scale", "10k"])


def test_warehouse_scales_keep_their_own_raw_directory(tmp_path: Path) -> None:
    assert raw_dir(tmp_path, "large") == tmp_path / "raw" and raw_dir(tmp_path, "1m") == tmp_path / "raw1m"
    assert "--if-absent" not in demo_command("large", tmp_path / "raw")  # rewritten on every run, as before
    cmd = demo_command("100k", tmp_path / "raw100k")
    assert cmd[cmd.index("--scale") + 1] == "100k" and cmd[-1] == "--if-absent"
    race = race_command(tmp_path, tmp_path / "raw100k")
    assert race[1:] == ["-m", "benchmarks.race", str(tmp_path / "bench.duckdb"), str(tmp_path / "raw100k")]


def test_ari_joins_on_the_id_and_ignores_unmatched_ids() -> None:
    truth = pd.Series(["a", "a", "b", "b", "c"], index=["i1", "i2", "i3", "i4", "i5"])
    relabelled = pd.Series([7, 3, 3, 7], index=["i4", "i1", "i2", "i3"])  # same partition, other order
    assert ari(truth, relabelled) == 1.0
    crossed = pd.Series([0, 1, 0, 1, 9], index=["i1", "i2", "i3", "i4", "other"])
    assert ari(truth, crossed) == -0.5  # 2x2 table of ones: (0 - 2*2/6) / (2 - 2*2/6)
    assert ari(truth, pd.Series([1], index=["nobody"])) is None


def test_kmeans_sweep_finds_separated_blobs() -> None:
    rng = np.random.default_rng(0)
    centres = np.array([[0, 0], [8, 0], [0, 8]])
    truth = np.repeat(np.arange(3), 200)
    X = centres[truth] + rng.normal(0, 0.5, (600, 2))
    k, labels, scores = bench_customers_baseline.kmeans_sweep(X)
    assert k == 3 and sorted(scores) == list(range(2, 11))
    assert pd.crosstab(truth, labels).gt(0).sum(axis=1).tolist() == [1, 1, 1]


def test_race_meta_is_valid_settings_with_the_race_grid() -> None:
    from cluster_marts.config.segmentation import segmentation_settings_from_meta

    meta = race_meta(bench_customers_baseline.settings())
    s = segmentation_settings_from_meta(meta, model="int_customer_segmentation")
    assert (s.k_min, s.k_max, s.random_state, s.methods) == (2, 10, 42, ("fcm",))
    assert s.fit_sample_size == 5000 and s.n_jobs == 2  # Jinja var defaults of the YAML, rendered
    assert s.subdivision.max_depth == 3  # the product's subdivision
    assert s.features_of("engagement") == ("log_frequency", "log_monetary", "orders_per_month")
    assert meta["fcm"] == bench_customers_baseline.settings()["fcm"]  # other keys as in the YAML


def test_exact_silhouette_samples_rows_and_standardises() -> None:
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(0, 1, (300, 2)), rng.normal(6, 1, (300, 2))]) * [1.0, 100.0]
    labels = np.repeat([0, 1], 300)
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    assert exact_silhouette(X, labels) == pytest.approx(silhouette_score(Xs, labels))  # sample >= rows: all rows
    assert abs(exact_silhouette(X, labels, size=200) - silhouette_score(Xs, labels)) < 0.05


def report_with(scale: str, customers_s: float, **extra: object) -> dict:
    return {"scale": scale, "domains": {"customers": {"dbt_seconds": customers_s, "dbt_peak_mib": 4000.0},
                                        "demand": {"dbt_seconds": 200.0, "dbt_peak_mib": 900.0}}, **extra}


def test_targets_are_computed_from_the_measurements() -> None:
    race = {"speedup": 6.0, "silhouette_gap": 0.02, "engine_ari": 0.9, "baseline_ari": 0.5}
    run_1m = report_with("1m", 500.0, quality={"customers_ari": 0.8}, race=race)
    measured = measurements(run_1m, {"100k": report_with("100k", 50.0)})
    assert measured["customers_growth"] == 10.0 and measured["race_speedup"] == 6.0
    rows = {(r["target"], r["scales"]): r for r in evaluate(measured, "1m")}
    met = {key: r["met"] for key, r in rows.items()}
    assert met[("customer domain build time", "1m")] == "yes"              # 500 <= 600
    assert met[("customer domain build time", "100k")] == "(no)"           # 500 > 90, set at another scale
    assert met[("customer domain peak RSS", "1m")] == "yes"                # 4000 MiB <= 8 GiB
    assert met[("customer time growth 100k -> 1m", "1m")] == "yes"         # 10x <= 12x
    assert met[("race: speed-up over the k-means sweep", "1m")] == "yes"
    assert met[("race: |reported - exact silhouette (20k)|", "1m")] == "no"  # 0.02 > 0.01
    assert met[("race: engine ARI >= baseline ARI", "1m")] == "yes"
    assert rows[("race: engine ARI >= baseline ARI", "1m")]["threshold"] == 0.5
    assert met[("personas ARI, engagement / fcm paths", "every")] == "no"   # 0.8 < 0.85
    assert met[("demand domain at 100 000 DFUs", "100k, 1m")] == "no"     # 200 > 180
    assert met[("provider domain at 10 000 creators", "100k, 1m")] == "not measured"
    assert met[("workbench k-means spec at 1M rows", "1m")] == "not measured"
    table = format_targets(list(rows.values()), "1m").splitlines()
    assert len(table) == len(rows) + 3 and "scale 1m" in table[-1]
    assert table[0].split()[:4] == ["target", "at", "scale", "goal"]
    assert table[2].split()[-3:] == ["500", "s", "yes"]  # the first target: measured, met


def test_growth_needs_both_scales() -> None:
    assert "customers_growth" not in measurements(report_with("100k", 50.0))
    assert measurements(report_with("100k", 50.0), {"1m": report_with("1m", 700.0)})["customers_growth"] == 14.0
