"""Run every benchmark and write bench/results.json: `python bench/run.py [--quick] [--only NAME ...]`.

Each benchmark is a module in bench/ with `run(*, quick: bool) -> dict`: its figures (numbers named with
their unit, e.g. `p99_ms`), the targets it checks (`targets`: name → {"value", "limit", "met"}) and notes.
`--quick` runs every one at a small size in seconds, for the test suite's smoke run; the figures in
bench/README.md come from full runs, dated, with the machine's load at the time (it is shared).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# The benchmarks, in the order they run (each a module of bench/ with run(*, quick)).
BENCHMARKS: list[str] = [
    "plan_cost",
    "tick",
    "http_commands",
    "dispatch",
]


def machine() -> dict[str, Any]:
    """What the figures were measured on: cores, Python, SQLite and the PostgreSQL server."""
    import sqlite3

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres_version(),
        # Runnable processes over 1, 5 and 15 minutes: above the core count, the machine was shared.
        "load_average": [round(load, 1) for load in os.getloadavg()],
    }


def _postgres_version() -> str | None:
    """The server version at the benchmarks' PostgreSQL, or None when it does not answer."""
    from sqlalchemy import create_engine, text

    url = os.environ.get(
        "MILESTONE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar_one())
    except Exception:  # the suite still runs what needs no PostgreSQL; the machine says it was missing
        return None
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks asked for; write their figures to bench/results.json (or --out)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, seconds in all (a smoke run)")
    parser.add_argument("--only", nargs="*", default=None, help="run only these benchmarks")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    args = parser.parse_args(argv)
    unknown = set(args.only or ()) - set(BENCHMARKS)
    if unknown:
        parser.error(f"no such benchmark: {', '.join(sorted(unknown))} (there are: {', '.join(BENCHMARKS)})")
    sys.path.insert(0, str(HERE.parent))
    sys.path.insert(0, str(HERE))
    results: dict[str, Any] = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": machine(),
        "benchmarks": {},
    }
    failed = broken = False
    for name in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        started = time.monotonic()
        print(f"== {name}", flush=True)
        try:
            figures = importlib.import_module(name).run(quick=args.quick)
        except Exception as error:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            figures = {"error": f"{type(error).__name__}: {error}"}
            broken = True
        figures["seconds"] = round(time.monotonic() - started, 1)
        figures["at"] = results["at"]  # with --only, entries of different runs sit side by side
        results["benchmarks"][name] = figures
        print(json.dumps(figures, indent=2, default=str), flush=True)
        failed |= any(not t.get("met", True) for t in figures.get("targets", {}).values())
    if args.only and args.out.exists():
        # A partial run updates its own benchmarks' entries and keeps the others' from their last run.
        kept = json.loads(args.out.read_text()).get("benchmarks", {})
        results["benchmarks"] = {**kept, **results["benchmarks"]}
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print(f"written {args.out}")
    # A missed target is a finding, not a crash: --quick sizes say nothing of the targets. A crash is one.
    return 1 if broken or (failed and not args.quick) else 0


if __name__ == "__main__":
    raise SystemExit(main())
