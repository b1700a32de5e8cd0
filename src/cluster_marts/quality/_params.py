"""Expectation parameter references shared by the suites."""

from __future__ import annotations


def p(name: str) -> dict[str, str]:
    """An expectation parameter reference (``$PARAMETER``), resolved at run time."""
    return {"$PARAMETER": name}
