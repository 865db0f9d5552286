"""`ai-finops check` picks its GX datasource by target: DuckDB (as before) or GX's Snowflake SQL
datasource, with a snowflake-sqlalchemy connection string built from the dbt profile's variables."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from ai_finops.quality.gx_snowflake import select_warehouse, snowflake_connection_string

ENV = {
    "SNOWFLAKE_ACCOUNT": "myorg-acct1",
    "SNOWFLAKE_USER": "finops@corp",
    "SNOWFLAKE_PASSWORD": "p@ss/word:1",
    "SNOWFLAKE_DATABASE": "ANALYTICS",
    "SNOWFLAKE_SCHEMA": "AI_FINOPS",
    "SNOWFLAKE_ROLE": "REPORTER",
    "SNOWFLAKE_WAREHOUSE": "XS",
}


def test_default_and_duckdb_target_keep_the_duckdb_path():
    assert select_warehouse(None, Path("w.duckdb"), env={}).kind == "duckdb"
    chosen = select_warehouse("duckdb", Path("w.duckdb"), env={"AI_FINOPS_TARGET": "snowflake"})
    assert (chosen.kind, chosen.database, chosen.marts_schema) == ("duckdb", Path("w.duckdb"), "main_marts")


def test_snowflake_target_from_the_profile_variable():
    chosen = select_warehouse(None, Path("ignored.duckdb"), env={**ENV, "AI_FINOPS_TARGET": "snowflake"})
    assert chosen.kind == "snowflake" and chosen.database is None
    assert (chosen.raw_schema, chosen.marts_schema) == ("raw", "AI_FINOPS_marts")  # dbt's <schema>_<custom schema>
    url = urlsplit(chosen.connection_string)
    assert url.scheme == "snowflake" and url.hostname == "myorg-acct1" and url.path == "/ANALYTICS/AI_FINOPS"
    # user and password are URL-quoted, so '@', '/' and ':' in them cannot break the URL
    assert url.username == "finops%40corp" and url.password == "p%40ss%2Fword%3A1"
    assert parse_qs(url.query) == {"warehouse": ["XS"], "role": ["REPORTER"]}


def test_key_pair_auth_sends_the_key_file_not_a_password():
    env = {**ENV, "SNOWFLAKE_PRIVATE_KEY_PATH": "/secrets/rsa_key.p8", "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE": "pp"}
    url = urlsplit(snowflake_connection_string(env))
    assert url.password is None
    assert parse_qs(url.query)["private_key_file"] == ["/secrets/rsa_key.p8"]
    assert parse_qs(url.query)["private_key_file_pwd"] == ["pp"]


def test_missing_variables_and_unknown_targets_fail_clearly():
    with pytest.raises(ValueError, match="SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER"):
        select_warehouse("snowflake", Path("w.duckdb"), env={"SNOWFLAKE_DATABASE": "X"})
    with pytest.raises(ValueError, match="unknown target 'bigquery'"):
        select_warehouse("bigquery", Path("w.duckdb"), env={})


def test_gx_builds_a_snowflake_datasource_from_the_string():
    """GX's own Snowflake datasource accepts the string and reads its parts (no connection made)."""
    from great_expectations.datasource.fluent import SnowflakeDatasource

    source = SnowflakeDatasource(name="warehouse", connection_string=snowflake_connection_string(ENV))
    assert str(source.account) == "myorg-acct1"
    assert source.schema_.upper() == "AI_FINOPS" and source.database.upper() == "ANALYTICS"
