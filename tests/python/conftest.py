"""Shared fixtures: one small demo dataset, loaded and built once per test session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT = Path(__file__).resolve().parents[2]
# `make test` runs pytest with 2 xdist workers: each worker's dbt keeps its own artefacts and logs
_WORKER = os.environ.get("PYTEST_XDIST_WORKER")
if _WORKER:
    os.environ.setdefault("DBT_TARGET_PATH", f"target/pytest-{_WORKER}")
    os.environ.setdefault("DBT_LOG_PATH", f"logs/pytest-{_WORKER}")

TEST_SCALE = 0.03  # ~115k gateway requests: every planted event, built in well under a minute
CLI = [sys.executable, "-m", "ai_finops.cli"]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([*CLI, *args], cwd=PROJECT, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"ai-finops {' '.join(args)} failed ({result.returncode}):\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}")
    return result


@pytest.fixture(scope="session")
def demo_raw(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("raw")
    run_cli("generate", "--out", str(raw), "--scale", str(TEST_SCALE), "--seed", "7")
    return raw


@pytest.fixture(scope="session")
def manifest(demo_raw) -> dict:
    return json.loads((demo_raw / "manifest.json").read_text())


@pytest.fixture(scope="session")
def built_database(demo_raw, tmp_path_factory) -> Path:
    """Raw files loaded and `dbt build` run with warnings as errors (all data and unit tests)."""
    database = tmp_path_factory.mktemp("warehouse") / "ai_finops.duckdb"
    run_cli("load", "--raw", str(demo_raw), "--database", str(database))
    run_cli("build", "--database", str(database), "--warn-error")
    return database


@pytest.fixture()
def marts(built_database):
    con = duckdb.connect(str(built_database), read_only=True)
    yield con
    con.close()
