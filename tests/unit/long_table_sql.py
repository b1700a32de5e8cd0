"""The SQL models that split a long table: read their `record_rows(ref(...), '<type>', [columns])` calls."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_CALL = re.compile(
    r"record_rows\(\s*ref\('(?P<long>\w+)'\),\s*'(?P<record_type>\w+)',\s*(?P<columns>\[.*?\])"
    r"(?P<packed>,\s*packed=true)?\s*\)", re.DOTALL
)


def split_models(folder: str) -> dict[str, tuple[str, str, list[str]]]:
    """``{model: (long table, record_type, columns)}`` of every SQL model in ``folder`` that calls record_rows.

    A packed call (``packed=true``) has the record type ``"<record_type>:packed"``.
    """
    out = {}
    for path in sorted((ROOT / folder).glob("*.sql")):
        match = _CALL.search(path.read_text())
        if match:
            kind = match["record_type"] + (":packed" if match["packed"] else "")
            out[path.stem] = (match["long"], kind, ast.literal_eval(match["columns"]))
    return out
