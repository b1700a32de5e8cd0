"""Tests of the cluster profile export (``cluster-marts export``, ``cluster_marts.reporting.export``)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import jsonschema
import pandas as pd
import pytest
import yaml
from marts_fixture import CUSTOMER_AXIS, CUSTOMER_FEATURES, fake_customer_marts, write_warehouse

from cluster_marts.cli import main
from cluster_marts.reporting.export import render_prompt, run_export

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "schemas" / "cluster_profile.schema.json").read_text())
NAME = re.compile(r"^(fcm|gmm|neural)_cluster_profile_(\d{8}_\d{6})\.(json|yaml)$")
Profiles = dict[str, dict]


def export(tmp_path: Path, marts: dict | None = None, **kwargs) -> tuple[int, Path]:
    """Write the fake warehouse (optionally with edited customer marts) and export into tmp_path/out."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    db = write_warehouse(tmp_path / "warehouse.duckdb", marts)
    out = tmp_path / "out"
    return run_export(db, out, kwargs.pop("axis", CUSTOMER_AXIS), **kwargs), out


def load(out: Path) -> Profiles:
    """``{method_key: profile}`` from the JSON files in ``out``."""
    return {p.name.split("_")[0]: json.loads(p.read_text()) for p in sorted(out.glob("*.json"))}


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Profiles]:
    tmp = tmp_path_factory.mktemp("export")
    code, out = export(tmp)
    assert code == 0
    return out, load(out)


def test_six_files_with_one_timestamp(exported: tuple[Path, Profiles]) -> None:
    out, profiles = exported
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 6 and all(NAME.match(n) for n in names)
    matches = [NAME.match(n) for n in names]
    assert {(m[1], m[3]) for m in matches} == {(method, ext) for method in ("fcm", "gmm", "neural")
                                               for ext in ("json", "yaml")}
    stamps = {m[2] for m in matches}
    assert len(stamps) == 1
    stamp = datetime.strptime(stamps.pop(), "%Y%m%d_%H%M%S")
    for profile in profiles.values():
        iso = datetime.fromisoformat(profile["metadata"]["timestamp"])
        assert iso.utcoffset().total_seconds() == 0 and iso.replace(tzinfo=None) == stamp


def test_every_profile_validates_against_the_schema(exported: tuple[Path, Profiles]) -> None:
    _, profiles = exported
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA)
    for profile in profiles.values():
        errors = [e.message for e in validator.iter_errors(profile)]
        assert not errors, errors


def test_yaml_round_trips_to_the_json(exported: tuple[Path, Profiles]) -> None:
    out, profiles = exported
    for path in out.glob("*.yaml"):
        assert yaml.safe_load(path.read_text()) == json.loads(path.with_suffix(".json").read_text())
    assert len(list(out.glob("*.yaml"))) == 3 == len(profiles)


def test_layout_and_metadata(exported: tuple[Path, Profiles]) -> None:
    _, profiles = exported
    fcm, gmm, neural = profiles["fcm"], profiles["gmm"], profiles["neural"]
    assert list(fcm) == ["metadata", "metrics", "features_used", "clusters"]
    assert list(gmm) == ["metadata", "metrics", "features_used", "clusters", "mixture_weights",
                         "uncertainty_metrics"]
    assert fcm["metadata"]["method"] == "Fuzzy C-Means (FCM)"
    assert gmm["metadata"]["method"] == "Gaussian Mixture Model (GMM)"
    assert neural["metadata"]["method"] == "Neural Network (Autoencoder + K-Means)"
    for key, profile in profiles.items():
        meta = profile["metadata"]
        assert meta["method_key"] == key and meta["axis"] == CUSTOMER_AXIS
        assert meta["n_clusters"] == 3 and meta["n_samples"] == 60
        assert meta["run_id"] == f"run-fixture-cust-{key}"
        assert profile["features_used"] == list(CUSTOMER_FEATURES)
        assert list(profile["clusters"]) == ["cluster_0", "cluster_1", "cluster_2"]
        assert [c["size"] for c in profile["clusters"].values()] == [40, 17, 3]
        assert list(profile["clusters"]["cluster_0"]["subsegments"]) == ["0.0", "0.1"]
        assert list(profile["clusters"]["cluster_1"]["subsegments"]) == ["1.0", "1.1"]
        assert "subsegments" not in profile["clusters"]["cluster_2"]
    assert {k: fcm["metadata"][k] for k in ("fuzziness_parameter", "max_iterations", "convergence_threshold")} \
        == {"fuzziness_parameter": 2.0, "max_iterations": 150, "convergence_threshold": 1e-5}
    assert {k: gmm["metadata"][k] for k in ("covariance_type", "converged", "n_iterations")} \
        == {"covariance_type": "full", "converged": True, "n_iterations": 12}
    assert {k: neural["metadata"][k] for k in ("encoding_dim", "epochs", "batch_size")} \
        == {"encoding_dim": 3, "epochs": 200, "batch_size": 64}
    assert fcm["metrics"] == {"silhouette_score": 0.58, "partition_coefficient": 0.71, "partition_entropy": 0.52}
    assert gmm["metrics"] == {"silhouette_score": 0.61, "bic": 412.7, "aic": 371.2, "log_likelihood": -166.6}
    assert neural["metrics"] == {"silhouette_score": 0.55, "reconstruction_error": 0.0412}
    assert set(fcm["clusters"]["cluster_0"]["membership_stats"]) == {"mean", "std", "min", "max"}
    assert set(neural["clusters"]["cluster_0"]["encoded_space_stats"]) == {
        "mean_distance_to_center", "std_distance_to_center"}


def test_gmm_root_additions(exported: tuple[Path, Profiles]) -> None:
    _, profiles = exported
    gmm = profiles["gmm"]
    fits = fake_customer_marts()["customer_fit_metrics"].set_index("method").loc["gmm"]
    assert gmm["mixture_weights"] == [c["mixture_weight"] for c in gmm["clusters"].values()]
    assert sum(gmm["mixture_weights"]) == pytest.approx(1.0)
    u = gmm["uncertainty_metrics"]
    assert list(u) == ["avg_max_probability", "high_confidence_count", "high_confidence_pct",
                       "low_confidence_count", "avg_entropy"]
    assert u["high_confidence_count"] == fits["high_confidence_count"]
    assert u["high_confidence_pct"] == pytest.approx(100 * fits["high_confidence_count"] / 60, abs=1e-4)
    assert u["avg_max_probability"] == pytest.approx(fits["avg_max_probability"])
    cluster = gmm["clusters"]["cluster_0"]
    assert set(cluster["probability_stats"]) == {"mean", "std", "min", "max", "median"}
    assert cluster["covariance_info"]["type"] == "full"
    assert list(cluster["covariance_info"]["feature_variances"]) == list(CUSTOMER_FEATURES)
    for key in ("fcm", "neural"):
        assert "mixture_weights" not in profiles[key] and "uncertainty_metrics" not in profiles[key]


def test_small_segments_have_min_max_withheld(exported: tuple[Path, Profiles]) -> None:
    _, profiles = exported
    note = {"min_max_withheld": True, "reason": "segment smaller than 5"}
    for profile in profiles.values():
        small = profile["clusters"]["cluster_2"]
        assert small["size"] == 3 and small["privacy"] == note
        for stats in small["feature_statistics"].values():
            assert "min" not in stats and "max" not in stats
            assert set(stats) == {"mean", "median", "std", "q25", "q75"}
        for extra in ("membership_stats", "probability_stats"):
            if extra in small:
                assert "min" not in small[extra] and "max" not in small[extra]
        sub = profile["clusters"]["cluster_1"]["subsegments"]["1.1"]
        assert sub["size"] == 3 and sub["privacy"] == note
        assert all("min" not in s and "max" not in s for s in sub["feature_statistics"].values())
        # larger segments keep min and max and carry no privacy note
        big = profile["clusters"]["cluster_1"]
        assert "privacy" not in big and "privacy" not in big["subsegments"]["1.0"]
        assert all({"min", "max"} <= set(s) for s in big["feature_statistics"].values())


def test_min_segment_size_is_a_parameter(tmp_path: Path) -> None:
    code, out = export(tmp_path, min_segment_size=20)
    assert code == 0
    profile = load(out)["fcm"]
    assert profile["clusters"]["cluster_1"]["privacy"]["reason"] == "segment smaller than 20"  # 17 customers
    assert "privacy" not in profile["clusters"]["cluster_0"]                                  # 40 customers
    assert "privacy" in profile["clusters"]["cluster_0"]["subsegments"]["0.1"]                # 15 customers
    code, out = export(tmp_path / "one", min_segment_size=1)
    assert code == 0
    profiles = load(out)
    assert sorted(profiles) == ["fcm", "gmm", "neural"]
    for profile in profiles.values():
        assert "privacy" not in json.dumps(profile)
        tiny = profile["clusters"]["cluster_2"]                                               # 3 customers
        assert tiny["size"] == 3
        assert all({"min", "max"} <= set(s) for s in tiny["feature_statistics"].values())


def test_values_come_from_the_marts(tmp_path: Path) -> None:
    marts = fake_customer_marts()
    profiles, fits = marts["customer_segment_profiles"], marts["customer_fit_metrics"]
    row = ((profiles["method"] == "gmm") & (profiles["segment_path"] == "1")
           & (profiles["feature"] == "log_monetary"))
    profiles.loc[row, "median"] = 123.456
    profiles.loc[row, "center"] = 7.25
    profiles.loc[row, "feature_variance"] = 0.125
    profiles.loc[(profiles["method"] == "neural") & (profiles["segment_path"] == "0"), "distance_mean"] = 9.5
    fits.loc[fits["method"] == "fcm", "partition_entropy"] = 0.3333
    fits.loc[fits["method"] == "gmm", "n_iter"] = 99
    code, out = export(tmp_path, marts)
    assert code == 0
    exported = load(out)
    gmm = exported["gmm"]["clusters"]["cluster_1"]
    assert gmm["feature_statistics"]["log_monetary"]["median"] == 123.456
    assert gmm["cluster_center"]["log_monetary"] == 7.25
    assert gmm["covariance_info"]["feature_variances"]["log_monetary"] == 0.125
    assert exported["gmm"]["metadata"]["n_iterations"] == 99
    assert exported["neural"]["clusters"]["cluster_0"]["encoded_space_stats"]["mean_distance_to_center"] == 9.5
    assert exported["fcm"]["metrics"]["partition_entropy"] == 0.3333
    # everything else matches the marts too: one top-level row checked field by field
    source = profiles[(profiles["method"] == "fcm") & (profiles["segment_path"] == "0")
                      & (profiles["feature"] == "orders_per_month")].iloc[0]
    stats = exported["fcm"]["clusters"]["cluster_0"]["feature_statistics"]["orders_per_month"]
    assert stats == {k: float(source[k]) for k in ("mean", "median", "std", "min", "max", "q25", "q75")}
    sub = profiles[(profiles["method"] == "fcm") & (profiles["segment_path"] == "0.1")].iloc[0]
    assert exported["fcm"]["clusters"]["cluster_0"]["subsegments"]["0.1"]["percentage"] == float(sub["percentage"])


def test_null_statistics_are_written_as_null(tmp_path: Path) -> None:
    marts = fake_customer_marts()
    profiles = marts["customer_segment_profiles"]
    profiles.loc[(profiles["method"] == "neural") & (profiles["segment_path"] == "2"), "std"] = float("nan")
    code, out = export(tmp_path, marts)
    assert code == 0
    neural = load(out)["neural"]
    assert all(s["std"] is None for s in neural["clusters"]["cluster_2"]["feature_statistics"].values())
    assert not list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(neural))


def test_schema_rejects_broken_profiles(exported: tuple[Path, Profiles]) -> None:
    _, profiles = exported
    validator = jsonschema.Draft202012Validator(SCHEMA)

    def broken(method: str, edit) -> bool:
        profile = json.loads(json.dumps(profiles[method]))
        edit(profile)
        return not validator.is_valid(profile)

    assert broken("fcm", lambda p: p["clusters"]["cluster_2"]["feature_statistics"]["log_monetary"]
                  .update(min=1.0))                                    # min of a withheld segment
    assert broken("fcm", lambda p: p["clusters"]["cluster_0"]["feature_statistics"]["log_monetary"].pop("max"))
    assert broken("fcm", lambda p: p.update(mixture_weights=[0.5, 0.5]))     # GMM-only root key
    assert broken("gmm", lambda p: p.pop("uncertainty_metrics"))
    assert broken("gmm", lambda p: p["metadata"].pop("covariance_type"))
    assert broken("neural", lambda p: p["metadata"].update(method_key="kmeans"))
    assert broken("neural", lambda p: p["metadata"].update(method="Fuzzy C-Means (FCM)"))
    assert broken("neural", lambda p: p["clusters"]["cluster_0"].update(membership_stats={"mean": 1.0}))
    assert broken("fcm", lambda p: p["clusters"].update(segment_x=p["clusters"]["cluster_0"]))


def test_missing_axis_returns_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = export(tmp_path, axis="loyalty")
    assert code == 1
    err = capsys.readouterr().err
    assert "axis 'loyalty' not in customer_fit_metrics; available: engagement" in err
    assert not out.exists()


def test_skipped_axis_returns_1_with_the_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marts = fake_customer_marts()
    fits = marts["customer_fit_metrics"]
    reason = "axis returns: every feature is constant (return_rate = 0 for all 300 customers); not segmented"
    skipped = fits.assign(axis="returns", status="skipped", reason=reason, k=None, features="return_rate",
                          features_used=None)
    marts["customer_fit_metrics"] = pd.concat([fits, skipped], ignore_index=True)
    code, out = export(tmp_path, marts, axis="returns")
    assert code == 1 and not out.exists()
    err = capsys.readouterr().err
    assert f"{reason} (status 'skipped' in customer_fit_metrics): it has no segments to export" in err
    assert "segmented axes: engagement" in err


def test_a_method_not_fitted_is_left_out(tmp_path: Path) -> None:
    marts = fake_customer_marts()
    marts["customer_fit_metrics"] = marts["customer_fit_metrics"].query("method != 'neural'")
    code, out = export(tmp_path, marts)
    assert code == 0
    assert sorted(NAME.match(p.name)[1] for p in out.iterdir()) == ["fcm", "fcm", "gmm", "gmm"]


def test_a_fitted_method_without_profile_rows_returns_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    marts = fake_customer_marts()
    marts["customer_segment_profiles"] = marts["customer_segment_profiles"].query("method != 'gmm'")
    code, out = export(tmp_path, marts)
    assert code == 1 and not out.exists()
    assert "gmm" in capsys.readouterr().err


@pytest.mark.parametrize("table", ["customer_fit_metrics", "customer_segment_profiles"])
def test_missing_mart_returns_1(tmp_path: Path, capsys: pytest.CaptureFixture[str], table: str) -> None:
    db = write_warehouse(tmp_path / "warehouse.duckdb", skip=[table])
    assert run_export(db, tmp_path / "out", CUSTOMER_AXIS) == 1
    err = capsys.readouterr().err
    assert f"main.{table} is missing" in err and "run `make build` first" in err


def test_missing_warehouse_returns_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_export(tmp_path / "nope.duckdb", tmp_path / "out", CUSTOMER_AXIS) == 1
    assert "run `make build` first" in capsys.readouterr().err


def test_cli_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = write_warehouse(tmp_path / "warehouse.duckdb")
    out = tmp_path / "profiles"
    assert main(["export", "--db", str(db), "--out", str(out), "--axis", "engagement",
                 "--min-segment-size", "4"]) == 0
    assert len(list(out.iterdir())) == 6
    assert "segment smaller than 4" in (next(out.glob("gmm_*.json"))).read_text()
    assert main(["export", "--db", str(db), "--out", str(out), "--axis", "nope"]) == 1
    assert main(["export", "--db", str(db), "--out", str(out), "--min-segment-size", "0"]) == 1


def test_prompt_template_renders(exported: tuple[Path, Profiles]) -> None:
    _, profiles = exported
    template = (REPO / "prompts" / "cluster_profile_analysis.md").read_text()
    placeholders = ("{axis}", "{method}", "{silhouette_scale}", "{json_content}")
    assert all(p in template for p in placeholders)
    prompt = render_prompt(profiles["gmm"])
    assert not any(p in prompt for p in placeholders)
    assert "above 0.70 strong structure, above 0.50 reasonable structure, above 0.25 weak structure" in prompt
    assert "Gaussian Mixture Model (GMM)" in prompt and "engagement" in prompt
    assert '"uncertainty_metrics"' in prompt
    assert "intentional" in prompt and "min_max_withheld" in prompt
