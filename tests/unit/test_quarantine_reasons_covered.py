"""Every quarantine reason the SQL can emit is planted in a dbt unit test and listed in accepted_values.

Pure parsing (no dbt run): the reasons are the `then '<reason>'` / `else '<reason>'`
literals of the CASE expressions aliased `value_reason` or `quarantine_reason`
(directly, `end as quarantine_reason`, or as an argument, `coalesce(value_reason,
case ... end) as quarantine_reason`); other CASEs (trend labels, ...) do not count.
A reason is covered when a unit test *of the emitting model* expects a row with it
(fixtures of downstream models do not exercise the SQL that emits it).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MODEL_DIRS = (ROOT / "models", ROOT / "python_models")
REASON_ALIASES = ("value_reason", "quarantine_reason")

COMMENT = re.compile(r"\{#.*?#\}|--[^\n]*", re.DOTALL)
TOKEN = re.compile(r"'(?:[^']|'')*'|\b(case|end)\b", re.IGNORECASE)
ALIAS_AFTER_END = re.compile(r"\s*(?:\)\s*)*as\s+(\w+)\b", re.IGNORECASE)
RESULT_LITERAL = re.compile(r"\b(?:then|else)\s+'((?:[^']|'')*)'", re.IGNORECASE)
ALIASES_EMITTED = re.compile(rf"\bas\s+(?:{'|'.join(REASON_ALIASES)})\b", re.IGNORECASE)
REF = re.compile(r"\bref\(\s*['\"](\w+)['\"]\s*\)")


def reasons_in_sql(sql: str) -> set[str]:
    """The result literals of the CASE expressions whose value is aliased as a reason column."""
    text = COMMENT.sub(" ", sql)
    reasons: set[str] = set()
    opened: list[int] = []
    for token in TOKEN.finditer(text):
        keyword = (token.group(1) or "").lower()
        if keyword == "case":
            opened.append(token.start())
        elif keyword == "end" and opened:
            start = opened.pop()
            alias = ALIAS_AFTER_END.match(text, token.end())
            if alias and alias.group(1).lower() in REASON_ALIASES:
                block = text[start:token.end()]
                reasons.update(literal.replace("''", "'") for literal in RESULT_LITERAL.findall(block))
    return reasons


def sql_files() -> dict[str, Path]:
    return {path.stem: path for folder in MODEL_DIRS for path in sorted(folder.rglob("*.sql"))}


def emitted_reasons() -> dict[str, set[str]]:
    """model -> the reasons its SQL can emit, for every model that emits any."""
    emitted = {name: reasons_in_sql(path.read_text()) for name, path in sql_files().items()}
    return {name: reasons for name, reasons in emitted.items() if reasons}


def yaml_documents() -> list[tuple[Path, dict]]:
    documents = []
    for folder in MODEL_DIRS:
        for path in sorted(folder.rglob("*.yml")):
            document = yaml.safe_load(path.read_text())
            if isinstance(document, dict):
                documents.append((path, document))
    return documents


def expected_reason_values(expect: dict) -> list[str | None]:
    """The quarantine_reason of every expected row (dict rows, csv text or sql text)."""
    rows = expect.get("rows")
    fmt = expect.get("format", "dict")
    if fmt == "dict":
        return [row.get("quarantine_reason") for row in rows or [] if "quarantine_reason" in row]
    if fmt == "csv":
        return [row.get("quarantine_reason") or None for row in csv.DictReader(io.StringIO(rows or ""))]
    # sql: every string literal may be a reason; null rows cannot be told apart from the text
    return [literal.replace("''", "'") for literal in re.findall(r"'((?:[^']|'')*)'", rows or "")]


def unit_tests() -> list[dict]:
    return [test for _, document in yaml_documents() for test in document.get("unit_tests") or []]


def expected_reasons_by_model() -> dict[str, set[str]]:
    """model -> the reasons its unit tests expect in their rows."""
    expected: dict[str, set[str]] = defaultdict(set)
    for test in unit_tests():
        expected[test["model"]].update(v for v in expected_reason_values(test.get("expect") or {}) if v)
    return expected


def accepted_reason_values() -> dict[str, set[str]]:
    """model -> the values of the accepted_values test on its quarantine_reason column."""
    accepted = {}
    for _, document in yaml_documents():
        for model in document.get("models") or []:
            for column in model.get("columns") or []:
                if column.get("name") != "quarantine_reason":
                    continue
                for test in (column.get("data_tests") or []) + (column.get("tests") or []):
                    if isinstance(test, dict) and "accepted_values" in test:
                        spec = test["accepted_values"]
                        accepted[model["name"]] = set(spec.get("arguments", spec)["values"])
    return accepted


def upstream_reasons(model: str, emitted: dict[str, set[str]], files: dict[str, Path]) -> set[str]:
    """The reasons a model can carry: its own, else those of the emitting models it reads, transitively."""
    if model in emitted or model not in files:
        return emitted.get(model, set())
    reasons: set[str] = set()
    for parent in set(REF.findall(files[model].read_text())) & set(files):
        reasons |= upstream_reasons(parent, emitted, files)
    return reasons


def test_parser_keeps_reason_cases_only():
    sql = """
        {# a comment: then 'not_a_reason' #}
        select
            case when x < 0 then 'negative' when x > 0 then 'positive' end as trend_direction,
            case
                when id is null then 'missing_id'  -- else 'commented_out'
                when case when y then 1 end = 1 then 'it''s_nested'
                else 'other_reason'
            end as value_reason,
            coalesce(value_reason, case when rank > 1 then 'duplicate_row' end) as quarantine_reason,
            case when ok then 'fine' end as status
    """
    assert reasons_in_sql(sql) == {"missing_id", "it's_nested", "other_reason", "duplicate_row"}


def test_every_model_that_names_a_reason_column_emits_parsed_reasons():
    # a model aliasing a reason column whose CASE the parser cannot read would silently escape the guard
    emitted = emitted_reasons()
    unread = [name for name, path in sql_files().items()
              if ALIASES_EMITTED.search(COMMENT.sub(" ", path.read_text())) and name not in emitted]
    assert not unread, f"models alias a reason column but no `then '<reason>'` was parsed: {unread}"
    assert {"stg_customer_orders_validated", "stg_sales_monthly_validated", "stg_ai_models_validated",
            "int_customers_checked", "int_dfus_checked", "int_provider_features_checked"} <= set(emitted)


def test_every_emitted_reason_is_expected_by_a_unit_test_of_its_model():
    expected = expected_reasons_by_model()
    uncovered = {model: sorted(reasons - expected.get(model, set()))
                 for model, reasons in sorted(emitted_reasons().items())}
    uncovered = {model: reasons for model, reasons in uncovered.items() if reasons}
    assert not uncovered, (
        "quarantine reasons the SQL can emit but no dbt unit test of that model expects "
        f"(plant a row producing each in the model's unit_tests): {uncovered}")


def test_unit_tests_that_expect_reasons_also_expect_a_usable_row():
    # a planted bad row proves little unless a good row beside it stays usable
    emitted = emitted_reasons()
    without_control = [
        test["name"] for test in unit_tests()
        if test["model"] in emitted and (test.get("expect") or {}).get("format", "dict") == "dict"
        and None not in expected_reason_values(test["expect"])
    ]
    assert not without_control, f"unit tests with planted reasons but no usable (null reason) row: {without_control}"


def test_accepted_values_list_the_emitted_reasons():
    emitted, files, accepted = emitted_reasons(), sql_files(), accepted_reason_values()
    assert accepted, "no accepted_values test on a quarantine_reason column was found"
    problems = {}
    for model, values in sorted(accepted.items()):
        reasons = upstream_reasons(model, emitted, files)
        assert reasons, f"{model} tests quarantine_reason values but no SQL model it reads emits any"
        missing = sorted(reasons - values)
        # an emitter's own list must not keep reasons its SQL no longer emits
        stale = sorted(values - reasons) if model in emitted else []
        if missing or stale:
            problems[model] = {"not accepted": missing, "never emitted": stale}
    assert not problems, f"accepted_values of quarantine_reason out of step with the SQL: {problems}"


@pytest.mark.parametrize("test", [t for t in unit_tests() if t["model"] in emitted_reasons()], ids=lambda t: t["name"])
def test_raw_source_fixtures_give_every_contract_column(test):
    # in a unit test raw_source uses the fixture as it is: a contract column it lacks is a binder error
    contract = {table["name"]: {column["name"] for column in table["columns"]}
                for source in yaml.safe_load((ROOT / "models" / "sources.yml").read_text())["sources"]
                for table in source["tables"]}
    for given in test.get("given") or []:
        table = re.fullmatch(r"source\(\s*'raw'\s*,\s*'(\w+)'\s*\)", given["input"].strip())
        if not table:
            continue
        rows = given.get("rows")
        if given.get("format", "dict") == "sql":
            columns = {name.lower() for name in re.findall(r"\bas\s+(\w+)", rows)}
        else:
            columns = {key for row in rows for key in row}
        missing = sorted(contract[table.group(1)] - columns)
        assert not missing, f"unit test {test['name']}: fixture of raw.{table.group(1)} lacks {missing}"
