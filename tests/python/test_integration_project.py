"""ai_finops installed as a dbt package (integration_tests/, local path) in a host project that
names its schemas its own way, lands raw tables under other names, and keeps key ownership in its
own table. The package must build there and produce the same money."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from .conftest import PROJECT, run_cli
from .test_pipeline import expected_in_scope

INTEGRATION = PROJECT / "integration_tests"


def _dbt(*args: str, database: Path) -> subprocess.CompletedProcess:
    dbt = shutil.which("dbt", path=str(Path(sys.executable).parent)) or "dbt"
    env = {**os.environ, "AI_FINOPS_DUCKDB_PATH": str(database)}
    result = subprocess.run([dbt, *args, "--profiles-dir", "."], cwd=INTEGRATION, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return result


@pytest.fixture(scope="module")
def host_database(demo_raw, tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("host") / "host.duckdb"
    run_cli("load", "--raw", str(demo_raw), "--database", str(database), "--schema", "landing")
    with duckdb.connect(str(database)) as con:
        con.execute("alter table landing.litellm_spend_logs rename to gateway_spend_logs")
        con.execute("create schema company")
        # the company's own ownership table: our seed's rows plus an owner for the pooled sandbox project
        con.execute(
            "create table company.api_key_owners as select * from read_csv(?, all_varchar = true)",
            [str(PROJECT / "seeds" / "ownership" / "ai_finops__account_owners.csv")],
        )
        con.execute("alter table company.api_key_owners alter valid_from type date")
        con.execute("alter table company.api_key_owners alter valid_to type date")
        con.execute(
            "insert into company.api_key_owners values ('openai', 'project', 'proj_sharedsandbox', 'Sandbox', 'ml-platform', null, date '2024-01-01', null)"
        )
    _dbt("deps", database=database)
    _dbt("build", "--warn-error", database=database)
    return database


def test_package_builds_in_the_host_projects_schemas(host_database):
    with duckdb.connect(str(host_database), read_only=True) as con:
        schemas = {row[0] for row in con.execute("select distinct table_schema from information_schema.tables").fetchall()}
    assert {"analytics_staging", "analytics_intermediate", "analytics_marts", "analytics_reference"} <= schemas
    assert "main_marts" not in schemas


def test_package_marts_match_the_truth(host_database, manifest):
    expected = expected_in_scope(manifest)
    with duckdb.connect(str(host_database), read_only=True) as con:
        list_cost, requests, output_tokens = con.execute(
            "select sum(list_cost), sum(request_count), sum(output_tokens) from analytics_marts.fct_ai_cost_daily"
        ).fetchone()
    assert math.isclose(list_cost, expected["list_cost"], rel_tol=1e-9)
    assert requests == expected["requests"] and output_tokens == expected["output_tokens"]


def test_host_ownership_table_replaces_the_seed(host_database, marts):
    query = """
        select attribution_method, team_id, count(*) from {schema}.fct_ai_cost_daily
        where usage_date >= date '2026-08-01' and team_id in ('ml-platform', 'unallocated')
          and source_system = 'openai_usage_api' and attribution_method in ('container_owner', 'unallocated')
          and usage_kind = 'tokens'
        group by 1, 2 order by 1
    """
    with duckdb.connect(str(host_database), read_only=True) as con:
        host = con.execute(query.format(schema="analytics_marts")).fetchall()
    standalone = marts.execute(query.format(schema="main_marts")).fetchall()
    assert [row[:2] for row in standalone] == [("unallocated", "unallocated")]  # our seed: nobody owns the sandbox
    assert [row[:2] for row in host] == [("container_owner", "ml-platform")]  # the host's table: ml-platform does


def test_host_models_with_finance_names_live_beside_the_package(host_database):
    with duckdb.connect(str(host_database), read_only=True) as con:
        host_total, package_total = con.execute(
            """
            select (select sum(contracted_cost) from analytics.fct_chargeback),
                   (select sum(contracted_cost) from analytics_marts.fct_chargeback_monthly)
            """
        ).fetchone()
        host_dimension = con.execute("select count(*) from analytics.dim_cost_centers").fetchone()[0]
        # host models named like our reference seeds (teams with a repeated id, budgets and workflows with
        # other columns) build as the host wrote them, and the package keeps reading its own seeds
        host_teams = con.execute("select team_id, count(*) from analytics.teams group by 1").fetchall()
        host_budgets = con.execute("select * from analytics.budgets").fetchall()
        host_workflows = con.execute("select count(*) from analytics.workflows where workflow_id is null").fetchone()[0]
        package_teams = con.execute("select count(*) from analytics_reference.ai_finops__teams").fetchone()[0]
    assert math.isclose(host_total, package_total, rel_tol=1e-12) and host_dimension == 1
    assert host_teams == [("host-team", 2)] and host_budgets == [("FY27", 1000000.0)] and host_workflows == 1
    assert package_teams > 1


def test_no_package_node_is_named_like_a_host_model():
    host_models = {p.stem for p in (PROJECT / "integration_tests" / "models").glob("*.sql")}
    ours = {
        p.stem for folder in ("models", "seeds", "snapshots") for p in (PROJECT / folder).rglob("*") if p.suffix in (".sql", ".csv", ".py")
    }
    assert {"teams", "budgets", "workflows"} <= host_models
    assert not host_models & ours, "a package node shares a name with a host model"
    assert all(p.stem.startswith("ai_finops__") for p in (PROJECT / "seeds").rglob("*.csv"))
