"""Exposures cover every dashboard page and the FOCUS export, each depending on exactly the marts its
code reads (derived here from app/data_access.py and the pages' calls), and `dbt docs generate` works
on the built warehouse."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import PROJECT, run_cli

APP = PROJECT / "app"
HELPER_MODULES = {"__init__", "filters"}  # not pages: shared widgets the pages import
# Marts a page may read without its exposure naming them: an exposure cannot depend on a disabled model.
OPTIONAL = {"fct_outcome_fee_reconciliation_monthly": "disabled with ai_finops__using_outcomes: false"}
MART = re.compile(r"\{\{?marts\}?\}\.(\w+)")


def _data_access_marts() -> dict[str, set[str]]:
    tree = ast.parse((APP / "data_access.py").read_text())
    source = (APP / "data_access.py").read_text()
    return {
        node.name: set(MART.findall(ast.get_source_segment(source, node) or "")) for node in tree.body if isinstance(node, ast.FunctionDef)
    }


def _page_marts(page: Path, functions: dict[str, set[str]]) -> set[str]:
    text = page.read_text()
    called = set(re.findall(r"data_access\.(\w+)", text))
    for helper in re.findall(r"from app_pages\.(\w+) import", text):
        called |= set(re.findall(r"data_access\.(\w+)", (APP / "app_pages" / f"{helper}.py").read_text()))
    return set().union(*(functions.get(name, set()) for name in called))


@pytest.fixture(scope="module")
def docs(built_database, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("docs")
    run_cli("profile")
    env = {**os.environ, "AI_FINOPS_DUCKDB_PATH": str(built_database)}
    dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
    result = subprocess.run(
        [dbt, "docs", "generate", "--target-path", str(target), "--profiles-dir", str(PROJECT / ".dbt")],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    return target


def test_docs_generate_writes_the_site_and_a_catalog_of_the_marts(docs):
    assert (docs / "index.html").stat().st_size > 10_000
    catalog = json.loads((docs / "catalog.json").read_text())
    manifest = json.loads((docs / "manifest.json").read_text())
    marts = [n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["config"].get("access") == "public"]
    assert len(marts) >= 15
    for node in marts:
        entry = catalog["nodes"].get(node["unique_id"])
        assert entry and entry["columns"], node["name"]
        # the documented columns are the warehouse's columns
        assert {c.lower() for c in node["columns"]} <= {c.lower() for c in entry["columns"]}, node["name"]


def test_every_dashboard_page_has_an_exposure_on_the_marts_it_reads(docs):
    manifest = json.loads((docs / "manifest.json").read_text())
    exposures = manifest["exposures"].values()
    functions = _data_access_marts()
    pages = sorted(p for p in (APP / "app_pages").glob("*.py") if p.stem not in HELPER_MODULES)
    assert len(pages) >= 7
    for page in pages:
        mine = [e for e in exposures if f"app/app_pages/{page.name}" in e["description"]]
        assert len(mine) == 1, (page.name, [e["name"] for e in mine])
        declared = {manifest["nodes"][n]["name"] for n in mine[0]["depends_on"]["nodes"]}
        read = _page_marts(page, functions)
        assert read, page.name
        assert declared <= read, (page.name, declared - read)
        assert read - declared <= set(OPTIONAL), (page.name, read - declared)


def test_the_focus_export_has_an_exposure_on_its_mart(docs):
    from ai_finops.focus import MART

    manifest = json.loads((docs / "manifest.json").read_text())
    (export,) = [e for e in manifest["exposures"].values() if e["name"] == "focus_export"]
    assert [manifest["nodes"][n]["name"] for n in export["depends_on"]["nodes"]] == [MART]
