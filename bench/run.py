"""Run every benchmark and write bench/results.json: `python bench/run.py [--quick] [--only NAME ...]`.

Each benchmark is a module in bench/ with `run(*, quick: bool) -> dict`: its figures (numbers named with
their unit, e.g. `p99_ms`), the targets it checks (`targets`: name → {"value", "limit", "met"}) and notes.
`--quick` runs every one at a small size in seconds, for the test suite's smoke run; the figures in
bench/README.md come from a full run on a quiet machine.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# The benchmarks, in the order they run (each a module of bench/ with run(*, quick)).
BENCHMARKS: list[str] = [
    "plan_cost",
]


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import os

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks asked for; write their figures to bench/results.json (or --out)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, seconds in all (a smoke run)")
    parser.add_argument("--only", nargs="*", default=None, help="run only these benchmarks")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))
    results: dict[str, Any] = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
        "benchmarks": {},
    }
    failed = False
    for name in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        started = time.monotonic()
        print(f"== {name}", flush=True)
        figures = importlib.import_module(name).run(quick=args.quick)
        figures["seconds"] = round(time.monotonic() - started, 1)
        results["benchmarks"][name] = figures
        print(json.dumps(figures, indent=2), flush=True)
        failed |= any(not t.get("met", True) for t in figures.get("targets", {}).values())
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written {args.out}")
    # A missed target is a finding, not a crash: --quick sizes say nothing of the targets.
    return 1 if failed and not args.quick else 0


if __name__ == "__main__":
    raise SystemExit(main())
