"""Unit-suite set-up.

The suite runs on two workers (pytest-xdist, ``make unit``). A worker's main module has no ``__file__``;
pyspark's connect package, imported with Great Expectations, takes such a process for a doctest run and
exits it. Naming the main module's file keeps the worker importing.
"""

from __future__ import annotations

import sys

_main = sys.modules["__main__"]
if getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__file__ = "<test worker>"
