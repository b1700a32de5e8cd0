"""Analyst-edited seeds are validated when dbt loads them (`cluster_marts.seed_rule`, seeds/_seeds.yml).

Each broken edit is made in a private copy of the project, loaded into a fresh
warehouse of its own: the failing rule must be the only one to fail, its
message must name the seed, the row (with its values) and the rule, and the
models built from the seed must be skipped. The repository's seeds pass.
Two broken copies (edits that would collide in one file go in the second),
one `dbt build` each.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT_ROOT, copy_project, run_dbt

# models built from the seeds: a failing seed test must skip them
CHILDREN = ["dfu_cluster_labels", "int_providers_named", "provider_cluster_summary", "customer_drift_timeline"]

# family -> (copy, seed, line in the CSV, the edited line, failing test, expected message lines)
CASES = {
    "percentile_out_of_range": (
        "first", "dfu_label_thresholds", "volume_high_percentile,0.75,", "volume_high_percentile,1.5,",
        "dfu_label_thresholds_shares_within_zero_one",
        ["seed dfu_label_thresholds, row threshold_name = volume_high_percentile (1.5): "
         "volume_high_percentile must lie in [0, 1]"]),
    "cv_steady_not_below_cv_volatile": (
        "first", "dfu_label_thresholds", "cv_steady,0.3,", "cv_steady,0.9,",
        "dfu_label_thresholds_cv_steady_below_cv_volatile",
        ["seed dfu_label_thresholds, row threshold_name = cv_steady (0.9): cv_steady must be below cv_volatile (0.8)"]),
    "segment_rule_min_above_max": (
        "first", "provider_segment_rules", "3,budget,,,,-0.4,", "3,budget,,,0.2,-0.4,",
        "provider_segment_rules_price_bounds_in_order",
        ["seed provider_segment_rules, row priority = 3 (budget): min_price_z (0.2) must not exceed "
         "max_price_z (-0.4)"]),
    "drift_ranks_out_of_order": (
        "first", "drift_severity_bands", "MINOR,1,0.1,0.3,", "MINOR,2,0.1,0.3,",
        "drift_severity_bands_rank_follows_bounds",
        ["seed drift_severity_bands, row severity = MINOR (lower_bound 0.1, upper_bound 0.3): severity_rank must "
         "follow the bounds: the band is number 2 by lower_bound but number 3 by severity_rank",
         "seed drift_severity_bands, row severity = MODERATE (lower_bound 0.3, upper_bound 0.5): severity_rank must "
         "follow the bounds: the band is number 3 by lower_bound but number 2 by severity_rank"]),
    "unknown_region": (
        "first", "provider_regions", "Mistral,Europe", "Mistral,EU",
        "provider_regions_region_known",
        ["seed provider_regions, row creator = Mistral (region EU): region must be one of US, China, Europe, Other"]),
    "name_rule_bounds_reversed": (
        "first", "customer_segment_name_rules", "40,engagement,occasional,log_frequency,40,,",
        "40,engagement,occasional,log_frequency,40,20,",
        "customer_segment_name_rules_bounds",
        ["seed customer_segment_name_rules, row rule 40 engagement/occasional on log_frequency: a condition needs "
         "a bound; bounds are percentiles in 0..100 with lower < upper"]),
    "name_rule_not_an_identifier": (
        "second", "customer_segment_name_rules", "50,engagement,one_time,", "50,engagement,One time,",
        "customer_segment_name_rules_names",
        ["seed customer_segment_name_rules, row rule 50 engagement/One time: a segment name is lower case letters, "
         "digits and underscores, starting with a letter"]),
    "percentile_low_not_below_high": (
        "second", "dfu_label_thresholds", "volume_low_percentile,0.25,", "volume_low_percentile,0.8,",
        "dfu_label_thresholds_volume_low_below_high",
        ["seed dfu_label_thresholds, row threshold_name = volume_low_percentile (0.8): volume_low_percentile must "
         "be below volume_high_percentile (0.75)"]),
    "drift_bands_gap": (
        "second", "drift_severity_bands", "MODERATE,2,0.3,0.5,", "MODERATE,2,0.35,0.5,",
        "drift_severity_bands_tile_zero_to_one",
        ["seed drift_severity_bands, row severity = MINOR (lower_bound 0.1, upper_bound 0.3): upper_bound must "
         "equal the lower_bound of the next band, MODERATE (0.35): bands must neither overlap nor leave a gap"]),
}
# the MINOR/MODERATE swap also changes MODERATE's rank: the edit above is the analyst's,
# the second line makes it a swap
SWAP = {"drift_ranks_out_of_order": ("MODERATE,2,0.3,0.5,", "MODERATE,1,0.3,0.5,")}


def _replace_once(csv: Path, old: str, new: str) -> None:
    text = csv.read_text()
    assert text.count("\n" + old) == 1, f"{old!r} is not one line start of {csv.name}"
    csv.write_text(text.replace("\n" + old, "\n" + new))


def _build(project: Path, raw: Path, tmp: Path, select: list[str]) -> tuple[int, str, dict[str, str]]:
    """`dbt build` of the seeds (+ `select`) into a fresh warehouse -> (exit code, console, status by node name)."""
    result = run_dbt(["build", "-s", "resource_type:seed", *select, "--indirect-selection", "cautious"],
                     db=tmp / "seeds.duckdb", project_dir=project, raw=raw, tmp=tmp)
    results = json.loads((tmp / "dbt_target" / "run_results.json").read_text())["results"]
    statuses = {r["unique_id"].split(".")[2]: r["status"] for r in results
                if r["unique_id"].startswith(("seed.", "model.", "test."))}
    return result.returncode, result.stdout, statuses


@pytest.fixture(scope="module")
def broken_builds(raw_dir, tmp_path_factory) -> dict[str, tuple[int, str, dict[str, str]]]:
    """One broken project copy per group of CASES, each built once."""
    builds = {}
    for copy in sorted({case[0] for case in CASES.values()}):
        tmp = tmp_path_factory.mktemp(f"seeds_{copy}")
        project = copy_project(tmp / "project")
        for family, (group, seed, old, new, *_) in CASES.items():
            if group == copy:
                for line_old, line_new in [(old, new), *([SWAP[family]] if family in SWAP else [])]:
                    _replace_once(project / "seeds" / f"{seed}.csv", line_old, line_new)
        builds[copy] = _build(project, raw_dir, tmp, CHILDREN)
    return builds


@pytest.mark.parametrize("family", CASES)
def test_broken_seed_fails_naming_seed_row_and_rule(broken_builds, family):
    group, seed, _, _, failing_test, lines = CASES[family]
    returncode, output, statuses = broken_builds[group]
    assert returncode != 0
    assert statuses[seed] == "success"
    assert statuses[failing_test] == "error"
    # the console shows the message under the failing test: one line per offending
    # row (in bound order), then where to fix it
    heading = f"Compilation Error in test {failing_test} (seeds/_seeds.yml)\n"
    assert heading in output, output[-4000:]
    message = [line.strip() for line in output.split(heading, 1)[1].splitlines()[:len(lines) + 1]]
    assert len(message) == len(lines) + 1
    for shown, expected in zip(message, lines):
        assert shown.startswith(expected), (shown, expected)
    assert message[-1] == f"Fix seeds/{seed}.csv and rerun dbt build."


@pytest.mark.parametrize("group", ["first", "second"])
def test_only_the_broken_rules_fail_and_children_are_skipped(broken_builds, group):
    _, _, statuses = broken_builds[group]
    errors = {name for name, status in statuses.items() if status in ("error", "fail")}
    assert errors == {case[4] for case in CASES.values() if case[0] == group}
    assert {name: statuses[name] for name in CHILDREN} == dict.fromkeys(CHILDREN, "skipped")


def test_repository_seeds_pass_every_rule(raw_dir, tmp_path):
    returncode, output, statuses = _build(PROJECT_ROOT, raw_dir, tmp_path, [])
    assert returncode == 0, output[-4000:]
    seeds = yaml.safe_load((PROJECT_ROOT / "seeds" / "_seeds.yml").read_text())["seeds"]
    rules = [test["cluster_marts.seed_rule"]["name"] for seed in seeds for test in seed.get("data_tests", [])
             if isinstance(test, dict) and "cluster_marts.seed_rule" in test]
    assert len(rules) == 19
    assert {name: statuses.get(name) for name in rules} == dict.fromkeys(rules, "pass")
    assert {s["name"] for s in seeds} == {name for name, status in statuses.items()
                                          if status == "success"}
