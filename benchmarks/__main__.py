"""``python -m benchmarks``: stage timings of the dbt build against plain baselines (``make bench``)."""

from __future__ import annotations

import argparse
import sys

from benchmarks.harness import run_bench
from cluster_marts.cli import DEMO_SCALES


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run the benchmark; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--scale", choices=DEMO_SCALES, default="large",
                        help="demo scale; 100k and 1m are the issue's scale series (default: large)")
    parser.add_argument("--workdir", default="bench_results")
    parser.add_argument("--raw", default=None,
                        help="existing demo directory of that scale to reuse (default: under the workdir)")
    args = parser.parse_args(argv)
    return run_bench(scale=args.scale, workdir=args.workdir, raw=args.raw)


if __name__ == "__main__":
    sys.exit(main())
