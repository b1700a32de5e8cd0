"""``python -m benchmarks``: stage timings of the dbt build against plain baselines (``make bench``)."""

from __future__ import annotations

import argparse
import sys

from benchmarks.harness import run_bench


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the benchmark; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--scale", choices=["small", "medium", "large"], default="large")
    parser.add_argument("--workdir", default="bench_results")
    args = parser.parse_args(argv)
    return run_bench(scale=args.scale, workdir=args.workdir)


if __name__ == "__main__":
    sys.exit(main())
