"""Pitfall 8 (time zones): ai_finops.to_utc_timestamp gives the same UTC timestamp whatever the session's
time zone. The dbt unit tests run in the machine's zone (UTC here), so they cannot show that a value
without an offset is not read in the session's zone: these tests render the macro's real DuckDB and
Snowflake variants (macros/cross_db/to_utc_timestamp.sql) and run them on DuckDB under other zones. The
Snowflake variant runs as the emulator runs it (sqlglot's Snowflake -> DuckDB translation and the
emulator's try_to_timestamp_tz shim), in America/Los_Angeles, Snowflake's default TIMEZONE."""

from __future__ import annotations

from datetime import datetime

import duckdb
import jinja2
import pytest
import sqlglot

from ai_finops.quality.emulator_build import SHIMS

from .conftest import PROJECT

MACROS = jinja2.Environment().from_string((PROJECT / "macros/cross_db/to_utc_timestamp.sql").read_text()).module
ZONES = ["UTC", "America/Los_Angeles", "Europe/Paris", "Asia/Kolkata"]

TEXT_CASES = [
    ("2025-09-14T23:30:00-05:00", datetime(2025, 9, 15, 4, 30)),  # crosses midnight: the next UTC day
    ("2025-09-15T01:15:00+02:00", datetime(2025, 9, 14, 23, 15)),  # the UTC day before
    ("2025-09-14T23:30:00.250Z", datetime(2025, 9, 14, 23, 30, 0, 250000)),
    ("2025-09-14T23:30Z", datetime(2025, 9, 14, 23, 30)),
    ("2025-09-14 23:30:00.123-05", datetime(2025, 9, 15, 4, 30, 0, 123000)),
    ("2025-09-14T23:30:00+0530", datetime(2025, 9, 14, 18, 0)),
    ("2025-09-14 23:30:00", datetime(2025, 9, 14, 23, 30)),  # no offset: UTC, not the session's zone
    ("2025-09-14T23:30:00.5", datetime(2025, 9, 14, 23, 30, 0, 500000)),
    ("2025-09-14", datetime(2025, 9, 14)),  # a date is not an offset ('-14')
    ("yesterday at noon", None),
    (None, None),
]


def _connect(zone: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"set TimeZone = '{zone}'")
    con.execute("create table t (id integer, s varchar)")
    con.executemany("insert into t values (?, ?)", [[i, text] for i, (text, _) in enumerate(TEXT_CASES)])
    return con


def _duckdb_sql(expression: str) -> str:
    return str(MACROS.duckdb__to_utc_timestamp(expression))


def _snowflake_sql_on_duckdb(expression: str) -> str:
    """The Snowflake variant as the emulator runs it: translated to DuckDB by sqlglot."""
    snowflake = str(MACROS.default__to_utc_timestamp(expression))
    return sqlglot.transpile(f"select {snowflake} from t", read="snowflake", write="duckdb")[0]


@pytest.mark.parametrize("zone", ZONES)
def test_duckdb_variant_text_is_utc_in_every_session_zone(zone):
    con = _connect(zone)
    got = dict(con.execute(f"select id, {_duckdb_sql('s')} from t").fetchall())
    assert [got[i] for i in range(len(TEXT_CASES))] == [expected for _, expected in TEXT_CASES]


@pytest.mark.parametrize("zone", ZONES)
def test_duckdb_variant_typed_values(zone):
    con = _connect(zone)
    con.execute(
        "create table typed as select timestamp '2025-09-14 23:30:00.123456' as ts, "
        "timestamptz '2025-09-14 23:30:00-05' as tz, date '2025-09-14' as d, cast(null as timestamp) as n"
    )
    row = con.execute(f"select {_duckdb_sql('ts')}, {_duckdb_sql('tz')}, {_duckdb_sql('d')}, {_duckdb_sql('n')} from typed").fetchone()
    # timestamp: as stored (taken as UTC); timestamptz: converted to UTC
    assert row == (datetime(2025, 9, 14, 23, 30, 0, 123456), datetime(2025, 9, 15, 4, 30), datetime(2025, 9, 14), None)
    # a typed timestamp is a plain cast: the text round trip is folded away when the query is bound
    plan = con.execute(f"explain select {_duckdb_sql('ts')} from typed").fetchall()[0][1]
    assert "regexp" not in plan.lower()


@pytest.mark.parametrize("zone", ZONES)
def test_snowflake_variant_text_is_utc_in_every_session_zone(zone):
    con = _connect(zone)
    con.execute(SHIMS["try_to_timestamp_tz"].format(db="memory"))
    sql = _snowflake_sql_on_duckdb("s").replace("FROM t", "FROM t ORDER BY id").replace("SELECT ", "SELECT id, ", 1)
    got = dict(con.execute(sql).fetchall())
    assert [got[i] for i in range(len(TEXT_CASES))] == [expected for _, expected in TEXT_CASES]


def test_the_old_reading_depends_on_the_session_zone():
    """Why the macro exists: DuckDB's cast to timestamp drops an offset, and reading text as timestamptz
    takes the session's zone for text without one (what iso8601_to_timestamp did before)."""
    con = _connect("America/Los_Angeles")
    dropped = con.execute("select cast('2025-09-14T23:30:00-05:00' as timestamp)").fetchone()[0]
    assert dropped == datetime(2025, 9, 14, 23, 30)
    shifted = con.execute("select timezone('UTC', try_cast('2025-09-14 23:30:00' as timestamptz))").fetchone()[0]
    assert shifted == datetime(2025, 9, 15, 6, 30)
