"""The benchmark suite runs: `python bench/run.py --quick` exits 0 with figures for every benchmark."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tests.support.databases import POSTGRES_ADMIN_URL

REPO = Path(__file__).resolve().parents[1]
RUN = REPO / "bench" / "run.py"


def _benchmarks() -> list[str]:
    spec = importlib.util.spec_from_file_location("bench_run", RUN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.BENCHMARKS)


def _postgres_answers() -> bool:
    engine = create_engine(POSTGRES_ADMIN_URL)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


# Half a minute or more on the project's 2 cores (each benchmark builds its databases and servers): slow.
@pytest.mark.slow
def test_quick_run_writes_figures_and_targets_for_every_benchmark(tmp_path: Path) -> None:
    if not _postgres_answers() and not os.environ.get("CI"):
        pytest.skip(f"the benchmarks need PostgreSQL at {POSTGRES_ADMIN_URL}")
    out = tmp_path / "results.json"
    env = {**os.environ, "MILESTONE_BENCH_POSTGRES_URL": POSTGRES_ADMIN_URL}
    finished = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--out", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=420,
    )
    assert finished.returncode == 0, finished.stdout[-3000:] + finished.stderr[-3000:]

    results = json.loads(out.read_text())
    assert results["quick"] is True
    assert results["machine"]["cpus"] >= 1
    assert results["machine"]["sqlite"]
    ran = results["benchmarks"]
    assert list(ran) == _benchmarks()
    for name, figures in ran.items():
        assert "error" not in figures, f"{name}: {figures.get('error')}"
        assert set(figures) - {"seconds", "at", "targets", "notes"}, f"{name} gave no figures"
        assert figures["targets"], f"{name} checks no target"
        for target, check in figures["targets"].items():
            assert {"value", "limit", "met"} <= set(check), f"{name}: {target} is {check}"


def test_an_unknown_benchmark_is_refused_with_the_names_there_are(tmp_path: Path) -> None:
    finished = subprocess.run(
        [sys.executable, str(RUN), "--only", "no_such_thing", "--out", str(tmp_path / "r.json")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 2
    assert "no such benchmark: no_such_thing" in finished.stderr
    assert "tick" in finished.stderr
    assert not (tmp_path / "r.json").exists()
