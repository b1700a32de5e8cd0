"""The SQL models that split a long table: read their `record_rows(ref(...), '<type>', columns)` calls.

The columns are a literal list or ``contract_column_names('<mart>')`` (macros/contracts.sql: the mart's
contract columns), resolved here from the YAML the way dbt reads it (:func:`contract_columns`).
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
_CALL = re.compile(
    r"record_rows\(\s*ref\('(?P<long>\w+)'\),\s*'(?P<record_type>\w+)',\s*"
    r"(?:(?P<columns>\[.*?\])|contract_column_names\('(?P<contract>\w+)'\))"
    r"(?P<packed>,\s*packed=true)?\s*\)", re.DOTALL
)


@functools.cache
def _model_properties() -> dict[str, dict]:
    found = {}
    for path in sorted((ROOT / "models").rglob("*.yml")):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models", []):
            found[model["name"]] = model
    return found


def contract_columns(model: str) -> list[tuple[str, str]]:
    """``[(name, data_type)]`` of a model's YAML columns, in order (YAML anchors resolved)."""
    return [(column["name"], column.get("data_type")) for column in _model_properties()[model]["columns"]]


def split_models(folder: str) -> dict[str, tuple[str, str, list[str]]]:
    """``{model: (long table, record_type, columns)}`` of every SQL model in ``folder`` that calls record_rows.

    A packed call (``packed=true``) has the record type ``"<record_type>:packed"``.
    """
    out = {}
    for path in sorted((ROOT / folder).glob("*.sql")):
        match = _CALL.search(path.read_text())
        if match:
            kind = match["record_type"] + (":packed" if match["packed"] else "")
            columns = (ast.literal_eval(match["columns"]) if match["columns"]
                       else [name for name, _ in contract_columns(match["contract"])])
            out[path.stem] = (match["long"], kind, columns)
    return out
