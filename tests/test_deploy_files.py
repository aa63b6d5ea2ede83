"""The deploy files say what the README says: a non-root image serving on 3000, compose with PostgreSQL."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def _dockerfile() -> list[tuple[str, str]]:
    """(instruction, arguments) pairs, continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", (REPO / "Dockerfile").read_text())
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(maxsplit=1)[0].upper(), line.split(maxsplit=1)[1]) for line in lines]


def _instructions(name: str) -> list[str]:
    return [arguments for instruction, arguments in _dockerfile() if instruction == name]


def test_the_image_is_slim_and_runs_as_a_user_not_root() -> None:
    assert _instructions("FROM") == ["python:3.12-slim"]
    users = _instructions("USER")
    assert users and users[-1] not in ("root", "0")
    assert _instructions("EXPOSE") == ["3000"]


def test_the_image_serves_the_production_server() -> None:
    (cmd,) = _instructions("CMD")
    assert yaml.safe_load(cmd) == ["python", "-m", "bot", "serve"]


def test_the_image_checks_healthz_without_curl() -> None:
    (check,) = _instructions("HEALTHCHECK")
    assert "curl" not in check and "wget" not in check
    command = yaml.safe_load(check.split(" CMD ", 1)[1])
    assert command[:2] == ["python", "-c"] and "/healthz" in command[2]
    compile(command[2], "healthcheck", "exec")


def test_dockerignore_keeps_secrets_and_databases_out_of_the_image() -> None:
    ignored = (REPO / ".dockerignore").read_text().split()
    assert {".env", "*.db", ".git"} <= set(ignored)


def test_compose_runs_postgresql_then_migrations_then_the_server() -> None:
    services = yaml.safe_load((REPO / "compose.yaml").read_text())["services"]
    assert services["db"]["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["release"]["command"] == ["python", "-m", "bot", "db", "upgrade"]
    web = services["web"]
    assert web["command"] == ["python", "-m", "bot", "serve"]
    assert web["depends_on"]["release"]["condition"] == "service_completed_successfully"
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("release", "web"):
        assert services[name]["environment"]["DATABASE_URL"].startswith("postgresql://")
        assert "@db:5432/" in services[name]["environment"]["DATABASE_URL"]
    assert "3000:3000" in web["ports"]
    assert any("/healthz" in part for part in web["healthcheck"]["test"])


def test_procfile_migrates_on_release_and_serves_on_web() -> None:
    lines = dict(line.split(":", 1) for line in (REPO / "Procfile").read_text().splitlines() if line.strip())
    assert shlex.split(lines["release"]) == ["python", "-m", "bot", "db", "upgrade"]
    assert shlex.split(lines["web"]) == ["python", "-m", "bot", "serve"]


def test_readme_documents_the_worker_alternative() -> None:
    readme = (REPO / "README.md").read_text()
    assert "## Deploy with Docker" in readme and "## Deploy on Heroku-style platforms" in readme
    assert "worker: python -m bot scheduler" in readme
    assert "web: python -m bot serve --no-scheduler" in readme


def test_env_example_lists_every_variable_the_settings_read() -> None:
    code = "\n".join(path.read_text() for path in (REPO / "bot").rglob("*.py"))
    # WSGI's own keys are read with the same .get(): they are requests, not settings.
    read = set(re.findall(r'\.get\("([A-Z][A-Z0-9_]+)"', code)) - {"CONTENT_LENGTH", "PATH_INFO"}
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z_]+)=", (REPO / ".env.example").read_text(), re.MULTILINE))
    assert {"WEB_CONCURRENCY", "LOG_FORMAT", "LISTENER_THREADS", "DELIVERY_LEASE_SECONDS"} <= read
    assert read <= listed, sorted(read - listed)
