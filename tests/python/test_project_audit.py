"""Project rules checked on the parsed manifest (what dbt-project-evaluator would flag): a primary-key test
on every model, contracts on every public mart, freshness on every source, descriptions everywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import PROJECT

# Models without a column set that is unique by construction; each needs a reason.
NO_PRIMARY_KEY: dict[str, str] = {}


@pytest.fixture(scope="module")
def parsed(tmp_path_factory) -> dict:
    target = tmp_path_factory.mktemp("parse")
    subprocess.run([sys.executable, "-m", "ai_finops.cli", "profile"], cwd=PROJECT, check=True, capture_output=True)
    dbt = os.path.join(os.path.dirname(sys.executable), "dbt")
    result = subprocess.run(
        [dbt, "parse", "--warn-error", "--no-partial-parse", "--target-path", str(target), "--profiles-dir", str(PROJECT / ".dbt")],
        cwd=PROJECT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return json.loads((target / "manifest.json").read_text())


def _models(manifest: dict) -> dict:
    return {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["package_name"] == "ai_finops"}


def primary_key_tests(manifest: dict) -> dict[str, list[str]]:
    """Model name -> its primary-key tests (unique + not_null on one column, or unique_combination_of_columns)."""
    unique, not_null, keys = {}, {}, {}
    for node in manifest["nodes"].values():
        meta = node.get("test_metadata") or {}
        if node["resource_type"] != "test" or not meta or not node.get("attached_node"):
            continue
        model = node["attached_node"].split(".")[-1]
        column = meta.get("kwargs", {}).get("column_name")
        if meta["name"] == "unique_combination_of_columns":
            keys.setdefault(model, []).append("+".join(meta["kwargs"]["combination_of_columns"]))
        elif meta["name"] == "unique":
            unique.setdefault(model, set()).add(column)
        elif meta["name"] == "not_null":
            not_null.setdefault(model, set()).add(column)
    for model, columns in unique.items():
        keys.setdefault(model, []).extend(sorted(columns & not_null.get(model, set())))
    return keys


def test_every_model_has_a_primary_key_test(parsed):
    keys = primary_key_tests(parsed)
    lacking = sorted(name for name in _models(parsed) if not keys.get(name) and name not in NO_PRIMARY_KEY)
    assert lacking == [], f"models without unique+not_null or unique_combination_of_columns: {lacking}"
    # the exemptions are real: exempt models must still lack a key (remove them from the list when fixed)
    assert all(not keys.get(name) for name in NO_PRIMARY_KEY)


def test_public_marts_have_enforced_contracts_with_types(parsed):
    marts = {name: n for name, n in _models(parsed).items() if n["original_file_path"].startswith("models/marts/")}
    assert len(marts) >= 4
    problems = []
    for name, node in marts.items():
        if node["access"] != "public":
            problems.append(f"{name}: access {node['access']}, marts are public")
        if not node["config"]["contract"]["enforced"]:
            problems.append(f"{name}: contract not enforced")
        problems += [f"{name}.{c}: no data_type" for c, col in node["columns"].items() if not col.get("data_type")]
    assert problems == []


def test_every_source_has_freshness_on_a_load_time(parsed):
    sources = [s for s in parsed["sources"].values() if s["package_name"] == "ai_finops"]
    assert len(sources) >= 12
    for source in sources:
        assert source["loaded_at_field"] == "_loaded_at", source["unique_id"]
        freshness = source["freshness"]
        assert freshness["warn_after"]["count"] and freshness["error_after"]["count"] > freshness["warn_after"]["count"], source[
            "unique_id"
        ]
    by_name = {s["source_name"] + "." + s["name"]: s["freshness"] for s in sources}
    # thresholds come from the vars (dbt_project.yml defaults)
    assert by_name["litellm.spend_logs"]["error_after"] == {"count": 3, "period": "day"}
    assert by_name["openai.usage_completions"]["error_after"] == {"count": 7, "period": "day"}


def test_every_model_is_described(parsed):
    assert [name for name, node in _models(parsed).items() if not node["description"].strip()] == []


def test_primary_key_audit_detects_a_model_without_a_key():
    manifest = {
        "nodes": {
            "model.ai_finops.m": {"resource_type": "model", "name": "m", "package_name": "ai_finops"},
            "test.ai_finops.unique_m_id": {
                "resource_type": "test",
                "attached_node": "model.ai_finops.m",
                "test_metadata": {"name": "unique", "kwargs": {"column_name": "id"}},
            },
        }
    }
    # unique without not_null is not a primary key
    assert primary_key_tests(manifest).get("m", []) == []
