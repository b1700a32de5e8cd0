"""Unit-suite set-up.

The suite runs on two workers (pytest-xdist, ``make unit``). A worker's main module has no ``__file__``;
pyspark's connect package, imported with Great Expectations, takes such a process for a doctest run and
exits it. Naming a main module file keeps the worker importing: the empty os.devnull, so a process
started by the spawn method (which runs the parent's main file first) runs nothing more.
"""

from __future__ import annotations

import os
import sys

_main = sys.modules["__main__"]
if getattr(_main, "__spec__", None) is None and not hasattr(_main, "__file__"):
    _main.__file__ = os.devnull
