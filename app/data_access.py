"""The dashboard's only way to the warehouse: read-only, parameterised, cached queries over the marts.

Which warehouse is configuration, never code (environment variables win over `.streamlit/secrets.toml`):

    [connections.ai_finops]
    type = "duckdb"                         # default | "snowflake" | "dbapi" (any DB-API 2 driver)   AI_FINOPS_CONNECTION_TYPE
    database_path = "data/ai_finops.duckdb" # duckdb: the published file, opened read-only per query  AI_FINOPS_DUCKDB_PATH
    marts_database = ""                     # database/catalog holding the marts (optional)            AI_FINOPS_MARTS_DATABASE
    marts_schema = "main_marts"             # schema of the marts                                      AI_FINOPS_MARTS_SCHEMA
    ttl_seconds = 600                       # query cache TTL                                          AI_FINOPS_QUERY_TTL_SECONDS
    module = "snowflake.connector"          # dbapi: the driver module (snowflake: implied)
    [connections.ai_finops.connect_args]    # snowflake/dbapi: keyword arguments of module.connect()
    account = "..."

Nothing connects at import time. Every query is written once with `?` placeholders; render_sql()
turns them into the driver's paramstyle (qmark, numeric, format, pyformat, named) in this one place.
Values from the user always travel as bound parameters; identifiers (database, schema, table) come
only from configuration and are validated. Row scoping (a viewer limited to a business unit, or the
business-unit filter) is applied here too: every `{marts}.<table>` becomes a sub-select restricted to
that business unit, so no page can forget it; marts that cannot be scoped return no rows to a
scoped viewer.
"""

from __future__ import annotations

import contextvars
import importlib
import os
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")
GROUP_LEVELS = {
    "Business unit": ["business_unit_name"],
    "Cost center": ["business_unit_name", "cost_center_name"],
    "Team": ["business_unit_name", "cost_center_name", "team_name"],
    "Workflow": ["business_unit_name", "cost_center_name", "team_name", "workflow_id"],
    "Provider & model": ["provider", "model_id"],
}


# The cost measures a viewer can switch between (column names, never user text, reach the SQL).
COST_BASES = {
    "List": "list_cost",
    "Contracted": "contracted_cost",
    "Effective": "effective_cost",
    "Billed": "billed_cost",
}

CONNECTION_TYPES = ("duckdb", "snowflake", "dbapi")
PARAMSTYLES = ("qmark", "numeric", "format", "pyformat", "named")


class MartsUnavailable(RuntimeError):
    """The marts cannot be read (no database yet, or dbt build has not run)."""


class SignInRequired(MartsUnavailable):
    """Sign-in is configured and this session has no signed-in viewer."""


# --- Configuration -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConnectionConfig:
    type: str = "duckdb"
    database_path: str = "data/ai_finops.duckdb"
    marts_database: str | None = None
    marts_schema: str = "main_marts"
    ttl_seconds: float = 600.0
    module: str | None = None
    connect_args: tuple = field(default_factory=tuple)  # sorted (name, value) pairs: hashable, part of the cache key

    @property
    def marts(self) -> str:
        """The qualified location of the marts, e.g. main_marts or ANALYTICS.AI_FINOPS_MARTS."""
        return f"{self.marts_database}.{self.marts_schema}" if self.marts_database else self.marts_schema

    @property
    def driver_module(self) -> str:
        return {"duckdb": "duckdb", "snowflake": "snowflake.connector"}.get(self.type) or self.module or ""

    @property
    def paramstyle(self) -> str:
        """qmark for DuckDB; for a DB-API driver, `paramstyle` in connect_args (Snowflake accepts one) or the module's."""
        if self.type == "duckdb":
            return "qmark"
        style = dict(self.connect_args).get("paramstyle") or getattr(importlib.import_module(self.driver_module), "paramstyle", "qmark")
        if style not in PARAMSTYLES:
            raise ValueError(f"unsupported paramstyle {style!r}")
        return style


def resolve_config(section: Mapping | None = None, env: Mapping | None = None) -> ConnectionConfig:
    """The connection from a `[connections.ai_finops]` mapping, overridden by AI_FINOPS_* environment variables."""
    section = dict(section or {})
    env = os.environ if env is None else env

    def pick(key: str, variable: str, default):
        value = env.get(variable)
        if value in (None, ""):
            value = section.get(key)
        return default if value in (None, "") else value

    kind = str(pick("type", "AI_FINOPS_CONNECTION_TYPE", "duckdb")).lower()
    if kind not in CONNECTION_TYPES:
        raise ValueError(f"unknown connection type {kind!r} (one of {', '.join(CONNECTION_TYPES)})")
    module = section.get("module")
    if kind == "dbapi" and not module:
        raise ValueError("a dbapi connection needs `module` (the DB-API 2 driver to import)")
    database = pick("marts_database", "AI_FINOPS_MARTS_DATABASE", None)
    schema = pick("marts_schema", "AI_FINOPS_MARTS_SCHEMA", "main_marts")
    for name, value in (("marts_database", database), ("marts_schema", schema)):
        if value is not None and not _IDENTIFIER.match(str(value)):
            raise ValueError(f"{name} is not a plain identifier: {value!r}")
    connect_args = section.get("connect_args") or {}
    return ConnectionConfig(
        type=kind,
        database_path=str(pick("database_path", "AI_FINOPS_DUCKDB_PATH", "data/ai_finops.duckdb")),
        marts_database=database,
        marts_schema=str(schema),
        ttl_seconds=float(pick("ttl_seconds", "AI_FINOPS_QUERY_TTL_SECONDS", 600)),
        module=module,
        connect_args=tuple(sorted((str(k), _hashable(v)) for k, v in dict(connect_args).items())),
    )


def _hashable(value):
    if isinstance(value, Mapping):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


def _secrets_section(*keys: str) -> dict:
    """A section of Streamlit's secrets (`.streamlit/secrets.toml`, or AppTest's), {} when there is none."""
    try:
        import streamlit as st

        node = st.secrets
        for key in keys:
            if key not in node:
                return {}
            node = node[key]
        return node.to_dict() if hasattr(node, "to_dict") else dict(node)
    except Exception:  # no secrets file: the defaults and the environment decide
        return {}


def connection_config() -> ConnectionConfig:
    return resolve_config(_secrets_section("connections", "ai_finops"))


def database_path() -> Path:
    return Path(connection_config().database_path)


def marts_schema() -> str:
    return connection_config().marts_schema


# --- SQL rendering: placeholders, marts location, row scope -----------------------------------------------------------

_TEAMS_OF_BU = "(select distinct team_id from {m}.fct_chargeback_monthly where business_unit_id = ?)"
# How each mart is restricted to one business unit: (predicate, number of `?` in it). A mart not listed
# here has no owner to scope by (provider bills, row accounting) and returns no rows to a scoped viewer.
SCOPE_PREDICATES: dict[str, tuple[str, int]] = {
    "fct_chargeback_monthly": ("business_unit_id = ?", 1),
    "fct_ai_cost_daily": ("business_unit_id = ?", 1),
    "fct_shared_cost_allocation_monthly": ("business_unit_id = ?", 1),
    "fct_focus_cost_and_usage": (f"x_team_id in {_TEAMS_OF_BU}", 1),
    "fct_budget_status_daily": (
        "((scope_type = 'business_unit' and scope_id = ?)"
        " or (scope_type = 'cost_center' and scope_id in (select cost_center_id from {m}.fct_chargeback_monthly where business_unit_id = ?))"
        f" or (scope_type not in ('total', 'business_unit', 'cost_center') and owner_team_id in {_TEAMS_OF_BU}))",
        3,
    ),
    "fct_spend_anomalies": (f"owner_team_id in {_TEAMS_OF_BU}", 1),
    "fct_policy_violations": (f"team_id in {_TEAMS_OF_BU}", 1),
    "fct_spend_forecast": (
        "((scope_type = 'business_unit' and scope_id = ?)"
        f" or (scope_type = 'team' and scope_id in {_TEAMS_OF_BU})"
        " or (scope_type = 'workflow' and scope_id in (select workflow_id from {m}.fct_chargeback_monthly"
        " group by workflow_id having min(business_unit_id) = ? and max(business_unit_id) = ?)))",
        4,
    ),
    "fct_optimization_recommendations": (f"owner_team_id in {_TEAMS_OF_BU}", 1),
    "fct_unit_economics_monthly": (f"team_id in {_TEAMS_OF_BU}", 1),
    "fct_estimate_vs_actual_monthly": (f"team_id in {_TEAMS_OF_BU}", 1),
    "dim_data_build": ("1 = 1", 0),
}

_SQL_TOKENS = re.compile(
    r"(?P<string>'(?:[^']|'')*')|(?P<quoted>\"[^\"]*\")|(?P<comment>--[^\n]*)"
    r"|(?P<marts>\{marts\}\.(?P<table>[A-Za-z_][A-Za-z0-9_]*)(?P<alias>\s+as\s+[A-Za-z_][A-Za-z0-9_]*)?)"
    r"|(?P<param>\?)|(?P<percent>%)"
)


def render_sql(
    sql: str, params: list | tuple | None, marts: str, paramstyle: str = "qmark", business_unit: str | None = None, strict: bool = True
):
    """The SQL and parameters the driver gets: `{marts}.t` qualified (and restricted to the business unit
    when one is given), then every `?` outside literals written in the driver's paramstyle. A mart with no
    owner to scope by gives no rows when the restriction is strict (a viewer's access) and all its rows
    when it is not (the business-unit filter of an unrestricted viewer: company-wide marts stay whole)."""
    user_params = list(params or [])
    if sql.count("?") < len(user_params):
        raise ValueError("more parameters than placeholders")
    values: list = []
    consumed = 0

    def expand(match: re.Match) -> str:
        nonlocal consumed
        kind = match.lastgroup if match.lastgroup not in ("table", "alias") else "marts"
        if kind == "param":
            if consumed >= len(user_params):
                raise ValueError("fewer parameters than placeholders")
            values.append(user_params[consumed])
            consumed += 1
            return "?"
        if kind != "marts":
            return match.group(0)
        table = match.group("table")
        relation = f"{marts}.{table}"
        alias = match.group("alias") or f" as {table}"
        if business_unit is None:
            return relation + (match.group("alias") or "")
        if table not in SCOPE_PREDICATES and not strict:
            return relation + (match.group("alias") or "")
        predicate, count = SCOPE_PREDICATES.get(table, ("1 = 0", 0))
        values.extend([business_unit] * count)
        return f"(select * from {relation} where {predicate.replace('{m}', marts)}){alias}"

    scoped = _SQL_TOKENS.sub(expand, sql)
    if consumed != len(user_params):
        raise ValueError("more parameters than placeholders")
    return _placeholders(scoped, values, paramstyle)


def _placeholders(sql: str, values: list, paramstyle: str):
    if paramstyle not in PARAMSTYLES:
        raise ValueError(f"unsupported paramstyle {paramstyle!r}")
    if paramstyle == "qmark":
        return sql, values
    counter = 0

    def placeholder(match: re.Match) -> str:
        nonlocal counter
        if match.lastgroup == "percent":
            # format/pyformat drivers interpolate with %, so a literal % is doubled (only when parameters are sent)
            return "%%" if paramstyle in ("format", "pyformat") and values else "%"
        if match.lastgroup != "param":
            text = match.group(0)
            return text.replace("%", "%%") if paramstyle in ("format", "pyformat") and values else text
        counter += 1
        return {"numeric": f":{counter}", "named": f":p{counter}"}.get(paramstyle, "%s")

    rendered = _SQL_TOKENS.sub(placeholder, sql)
    if paramstyle == "named":
        return rendered, {f"p{i}": v for i, v in enumerate(values, start=1)}
    return rendered, values


# --- Who is looking: the business unit every query is restricted to ---------------------------------------------------

VIEWER_STATE_KEY = "_ai_finops_viewer"  # set by access.py after sign-in: {"name": ..., "business_unit_id": ... | None}
BUSINESS_UNIT_FILTER_KEY = "business_unit"  # the sidebar filter (app_pages/filters.py)
_SCOPE_OVERRIDE: contextvars.ContextVar[str | None] = contextvars.ContextVar("ai_finops_business_unit", default=None)


_UNSET = object()
_DEFERRED_SCOPE: contextvars.ContextVar = contextvars.ContextVar("ai_finops_deferred_business_unit", default=_UNSET)


def deferred(function, *args, **kwargs):
    """`function` to call later (a download built when clicked), bound to the business unit in force now:
    a deferred call may run outside this script run, and must not widen (or lose) the viewer's scope."""
    scope = effective_scope()

    def call():
        token = _DEFERRED_SCOPE.set(scope)
        try:
            return function(*args, **kwargs)
        finally:
            _DEFERRED_SCOPE.reset(token)

    return call


def scope_to(business_unit: str | None):
    """Restricts this thread's queries outside Streamlit (scripts, benchmarks); returns the reset token."""
    return _SCOPE_OVERRIDE.set(business_unit)


def effective_business_unit(include_filter: bool = True) -> str | None:
    """The business unit every query of this session is restricted to (None: all)."""
    return effective_scope(include_filter)[0]


def effective_scope(include_filter: bool = True) -> tuple[str | None, bool]:
    """(business unit, strict): the viewer's access (strict) or the sidebar filter (not strict).

    A viewer limited to a business unit always gets theirs, whatever the filter says; when sign-in is
    configured and nobody signed in, nothing is read."""
    bound = _DEFERRED_SCOPE.get()
    if bound is not _UNSET:
        return bound
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx(suppress_warning=True)
    except Exception:
        ctx = None
    if ctx is None:
        return _SCOPE_OVERRIDE.get(), True
    import streamlit as st

    import access

    viewer = st.session_state.get(VIEWER_STATE_KEY)
    if access.sign_in_required() and viewer is None:
        raise SignInRequired("Sign in to see the dashboard.")
    if viewer and viewer.get("business_unit_id"):
        return viewer["business_unit_id"], True
    chosen = st.session_state.get(BUSINESS_UNIT_FILTER_KEY) if include_filter else None
    return (chosen, False) if chosen else (_SCOPE_OVERRIDE.get(), True)


# --- Running queries ---------------------------------------------------------------------------------------------------

_CACHE: dict = {}
_CACHE_LOCK = threading.Lock()
_CACHE_MAX_ENTRIES = 512
_LOCAL = threading.local()


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


def data_version(config: ConnectionConfig):
    """Identity of the published DuckDB file: a publish (os.replace) makes a new inode, so cached answers of the
    previous build are never served for the new one. Other warehouses rely on the TTL."""
    if config.type != "duckdb":
        return None
    try:
        info = os.stat(config.database_path)
    except FileNotFoundError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def query(sql: str, params: list | None = None, *, apply_filter: bool = True) -> pd.DataFrame:
    """Runs one read-only query (cached for the configured TTL). `{marts}.<table>` names a mart (alias it with
    `as`). Rows are restricted to the viewer's business unit, and to the business-unit filter unless
    apply_filter is False (the filter's own options)."""
    config = connection_config()
    business_unit, strict = effective_scope(apply_filter)
    text, values = render_sql(sql, params, config.marts, config.paramstyle, business_unit, strict)
    key = (config, data_version(config), text, _hashable(values))
    now = time.monotonic()
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None and hit[0] > now:
        return hit[1].copy()
    frame = _run_duckdb(config, text, values) if config.type == "duckdb" else _run_dbapi(config, text, values)
    with _CACHE_LOCK:
        if len(_CACHE) >= _CACHE_MAX_ENTRIES:
            for stale in sorted(_CACHE, key=lambda k: _CACHE[k][0])[: _CACHE_MAX_ENTRIES // 4]:
                _CACHE.pop(stale, None)
        _CACHE[key] = (now + config.ttl_seconds, frame)
    return frame.copy()


def _run_duckdb(config: ConnectionConfig, sql: str, values: list) -> pd.DataFrame:
    path = Path(config.database_path)
    if not path.exists():
        raise MartsUnavailable(f"No database at {path}. Run `make demo` (or `ai-finops demo`) first.")
    try:
        # a connection per query: after a publish (os.replace) the next query opens the new file
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(sql, values).df()
    except duckdb.CatalogException as exc:
        raise MartsUnavailable(f"The marts are not built in {path}: {exc}") from exc
    except duckdb.IOException as exc:
        raise MartsUnavailable(
            f"{path} cannot be read now ({exc}). Build into another file and publish it "
            "(`ai-finops build --publish`, `ai-finops demo`) so readers are never locked out."
        ) from exc


def _dbapi_connection(config: ConnectionConfig):
    """One connection per thread and configuration (Snowflake sessions are slow to open); DuckDB through the
    generic path connects per query so it never holds the file."""
    module = importlib.import_module(config.driver_module)
    args = {k: _plain(v) for k, v in config.connect_args if k != "paramstyle" or config.type == "snowflake"}
    if config.type == "snowflake":
        args.setdefault("application", "ai_finops_dashboard")
    else:
        return module.connect(**args), True
    connections = getattr(_LOCAL, "connections", None)
    if connections is None:
        connections = _LOCAL.connections = {}
    if config not in connections:
        connections[config] = module.connect(**args)
    return connections[config], False


def _plain(value):
    return dict((k, _plain(v)) for k, v in value) if isinstance(value, tuple) and value and isinstance(value[0], tuple) else value


def _run_dbapi(config: ConnectionConfig, sql: str, values) -> pd.DataFrame:
    driver_error = getattr(importlib.import_module(config.driver_module), "Error", Exception)
    try:
        return _fetch(config, sql, values)
    except driver_error as exc:
        raise MartsUnavailable(f"The marts cannot be read from {config.type} at {config.marts}: {exc}") from exc


def _fetch(config: ConnectionConfig, sql: str, values) -> pd.DataFrame:
    connection, close = _dbapi_connection(config)
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(sql, values) if values else cursor.execute(sql)
            names = [d[0].lower() for d in cursor.description]  # Snowflake answers in upper case
            return normalise_frame(pd.DataFrame.from_records(cursor.fetchall(), columns=names))
        finally:
            cursor.close()
    finally:
        if close:
            connection.close()


def normalise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Driver rows as DuckDB's .df() gives them: decimals as floats, dates and timestamps as datetime64."""
    for column in frame.columns:
        series = frame[column]
        if series.dtype != object:
            continue
        present = series.dropna()
        if present.empty:
            continue
        first = present.iloc[0]
        if isinstance(first, Decimal | int | float) and not isinstance(first, bool):
            frame[column] = series.map(lambda v: np.nan if v is None else float(v)).astype(float)
        elif isinstance(first, datetime | date):
            stamps = pd.to_datetime(series, utc=isinstance(first, datetime) and first.tzinfo is not None)
            if stamps.dt.tz is not None:
                stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
            frame[column] = stamps.astype("datetime64[us]")  # the unit DuckDB's .df() uses
    return frame


def business_units() -> pd.DataFrame:
    """Business units with chargeback lines (the filter's options; a scoped viewer gets only theirs)."""
    return query(
        """
        select business_unit_id, max(business_unit_name) as business_unit_name
        from {marts}.fct_chargeback_monthly
        where business_unit_id is not null
        group by business_unit_id
        order by business_unit_name
        """,
        apply_filter=False,
    )


def data_build() -> dict | None:
    """When and by which dbt invocation the marts were built; None when dim_data_build is not there."""
    try:
        frame = query("select build_id, built_at, dbt_version from {marts}.dim_data_build")
    except MartsUnavailable:
        return None
    if frame.empty:
        return None
    row = frame.iloc[0]
    return {"build_id": row["build_id"], "built_at": pd.Timestamp(row["built_at"]).to_pydatetime(), "dbt_version": row["dbt_version"]}


def available_months() -> list[date]:
    frame = query("select distinct billing_month from {marts}.fct_chargeback_monthly order by billing_month desc")
    return [d.date() if hasattr(d, "date") else d for d in frame["billing_month"]]


def monthly_totals() -> pd.DataFrame:
    return query(
        """
        select
            billing_month,
            sum(case when line_type = 'usage' then list_cost else 0 end) as list_cost,
            sum(case when line_type = 'usage' and team_id = 'unallocated' then list_cost else 0 end)
                as unallocated_list_cost,
            sum(case when line_type = 'usage' and team_id = 'unallocated' then contracted_cost else 0 end)
                as unallocated_contracted_cost,
            sum(case when line_type = 'shared_allocation' and cost_pool_id in (
                select cost_pool_id from {marts}.fct_shared_cost_allocation_monthly where pool_type = 'fixed_charge'
            ) then contracted_cost else 0 end) as shared_charges,
            sum(unpriced_tokens) as unpriced_tokens,
            sum(unpriced_request_count) as unpriced_request_count,
            sum(unpriced_unit_usage_rows) as unpriced_unit_usage_rows,
            sum(unit_usage_list_cost) as unit_usage_list_cost,
            sum(request_count) as request_count,
            sum(total_tokens) as total_tokens,
            max(currency) as currency
        from {marts}.fct_chargeback_monthly
        group by billing_month
        order by billing_month
        """
    )


def chargeback(month: date, level: str, basis: str = "list_cost", after_sharing: bool = True) -> pd.DataFrame:
    """Chargeback lines of one month rolled up to a level of the hierarchy, in one cost measure,
    before sharing (usage lines only) or after (shared pools distributed)."""
    if basis not in COST_BASES.values():
        raise ValueError(f"unknown cost basis {basis!r}")
    columns = GROUP_LEVELS[level]
    keys = ", ".join(columns)
    unit_column = unit_usage_column(basis)
    return query(
        f"""
        select
            {keys},
            sum({basis}) as {basis},
            sum(case when line_type <> 'usage' then {basis} else 0 end) as shared_{basis},
            sum(request_count) as request_count,
            sum(total_tokens) as total_tokens,
            sum(unpriced_tokens) as unpriced_tokens,
            sum({unit_column}) as {unit_column},
            sum(unpriced_unit_usage_rows) as unpriced_unit_usage_rows,
            sum({basis}) / nullif(sum(sum({basis})) over (), 0) as share_of_month
        from {{marts}}.fct_chargeback_monthly
        where billing_month = ? and (? or line_type = 'usage')
        group by {keys}
        having abs(sum(coalesce({basis}, 0))) > 0.0000005 or sum(total_tokens) > 0
        order by {basis} desc nulls last
        """,
        [month, after_sharing],
    )


def unit_usage_column(basis: str) -> str:
    """The chargeback column holding the part of `basis` priced per unit (images, audio, tools): its own
    measure for list, contracted and effective cost; contracted for billed (bills are not split by kind)."""
    return {"list_cost": "unit_usage_list_cost", "effective_cost": "unit_usage_effective_cost"}.get(basis, "unit_usage_contracted_cost")


def shared_cost_allocation(month: date) -> pd.DataFrame:
    """How each shared pool of the month was split (one line per pool x receiving team)."""
    return query(
        """
        select cost_pool_name, allocation_method, team_name,
               max(fraction_of_total) as fraction_of_total,
               sum(allocated_contracted_cost) as allocated_contracted_cost
        from {marts}.fct_shared_cost_allocation_monthly
        where billing_month = ?
        group by cost_pool_name, allocation_method, team_name
        order by cost_pool_name, allocated_contracted_cost desc
        """,
        [month],
    )


def focus_rows(month: date) -> pd.DataFrame:
    """The month's FOCUS 1.2 rows with FOCUS column names (as `ai-finops focus-export` writes them)."""
    from ai_finops.focus import WAREHOUSE_ONLY, focus_name

    frame = query("select * from {marts}.fct_focus_cost_and_usage where x_billing_month = ? order by charge_period_start", [month])
    frame = frame.drop(columns=[c for c in WAREHOUSE_ONLY if c in frame.columns])
    return frame.rename(columns={c: focus_name(c) for c in frame.columns})


def chargeback_lines(month: date) -> pd.DataFrame:
    """Every chargeback line of a month, as stored (for the full export)."""
    return query("select * from {marts}.fct_chargeback_monthly where billing_month = ? order by list_cost desc nulls last", [month])


def daily_spend(start: date, end: date) -> pd.DataFrame:
    return query(
        """
        select usage_date, provider, sum(list_cost) as list_cost
        from {marts}.fct_ai_cost_daily
        where usage_date >= ? and usage_date <= ?
        group by usage_date, provider
        order by usage_date, provider
        """,
        [start, end],
    )


def team_movers(month: date, previous: date | None) -> pd.DataFrame:
    """Spend per team this month and last, with the change."""
    return query(
        """
        select
            team_name,
            sum(case when billing_month = ? then list_cost else 0 end) as this_month,
            sum(case when billing_month = ? then list_cost else 0 end) as last_month
        from {marts}.fct_chargeback_monthly
        where billing_month in (?, ?) and line_type = 'usage'
        group by team_name
        order by this_month desc
        """,
        [month, previous, month, previous],
    )


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def attribution_coverage(month: date) -> pd.DataFrame:
    """Contracted cost of the month by how it reached an owner (direct / rule / shared / unallocated)."""
    return query(
        """
        select coverage_category, attribution_method, sum(contracted_cost) as contracted_cost
        from {marts}.fct_attribution_coverage_monthly
        where billing_month = ?
        group by coverage_category, attribution_method
        having sum(contracted_cost) > 0.0000005
        order by contracted_cost desc
        """,
        [month],
    )


def attribution_coverage_trend() -> pd.DataFrame:
    """Share of each month's contracted cost per coverage category, per provider (pooled keys shrinking)."""
    return query(
        """
        select billing_month, provider, coverage_category, sum(share_of_provider_month) as share
        from {marts}.fct_attribution_coverage_monthly
        group by billing_month, provider, coverage_category
        order by billing_month, provider, coverage_category
        """
    )


def billing_reconciliation() -> pd.DataFrame:
    return query(
        """
        select billing_month, provider, computed_list_cost, billed_cost, credit_amount, net_billed_cost,
               explained_by_unpriced_models, explained_by_unpriced_unit_usage, unexplained_variance,
               unexplained_variance_pct, unpriced_tokens, billed_unit_usage_cost, computed_unit_usage_contracted_cost
        from {marts}.fct_billing_reconciliation_monthly
        order by billing_month desc, provider
        """
    )


def source_row_accounting() -> pd.DataFrame:
    return query(
        """
        select source_name, source_table, raw_rows, staged_rows, quarantined_rows, superseded_rows
        from {marts}.fct_source_row_accounting
        order by source_name, source_table
        """
    )


def last_usage_date() -> date | None:
    frame = query("select max(usage_date) as last_day from {marts}.fct_ai_cost_daily")
    value = frame["last_day"].iloc[0]
    return None if pd.isna(value) else pd.Timestamp(value).date()


def optimization_recommendations(team_id: str | None = None, include_hygiene: bool = True) -> pd.DataFrame:
    """Recommendations ranked by what they add to the total (incremental savings, never double counted)."""
    return query(
        """
        select
            recommendation_type, owner_team_id, owner_team_name, workflow_id, provider, model_id, scope_type, scope_id,
            recommended_change, evidence, estimated_monthly_savings, incremental_monthly_savings,
            current_monthly_list_cost, savings_assumption, confidence, recommendation_status,
            rank_in_overlap_group, recommendations_in_overlap_group, window_start, window_end, currency
        from {marts}.fct_optimization_recommendations
        where (cast(? as varchar) is null or owner_team_id = ?)
            and (? or estimated_monthly_savings > 0 or recommendation_type = 'commitment_break_even')
        order by incremental_monthly_savings desc, estimated_monthly_savings desc, recommendation_type, scope_id
        """,
        [team_id, team_id, include_hygiene],
    )


def recommendation_owner_teams() -> list[str]:
    frame = query("select distinct owner_team_id from {marts}.fct_optimization_recommendations order by owner_team_id")
    return list(frame["owner_team_id"])


def unit_economics_workflows() -> list[str]:
    frame = query(
        """select distinct workflow_id from {marts}.fct_unit_economics_monthly
           where outcome_type <> 'none' order by workflow_id"""
    )
    return list(frame["workflow_id"])


def unit_economics(workflow_id: str | None = None) -> pd.DataFrame:
    """Cost per outcome by month, team, workflow and outcome type (one workflow, or all)."""
    return query(
        """
        select
            usage_month, team_id, team_name, workflow_id, workflow_name, outcome_type, outcome_count,
            contracted_cost, contracted_cost_per_outcome, prior_month_contracted_cost_per_outcome,
            cost_per_outcome_change_pct, daily_cost_outcome_correlation, consumption_signal, currency
        from {marts}.fct_unit_economics_monthly
        where (cast(? as varchar) is null or workflow_id = ?)
        order by usage_month, workflow_id, team_id, outcome_type
        """,
        [workflow_id, workflow_id],
    )


# --- Governance: budgets, forecasts, anomalies, policies -------------------------------------------------------------

_FORECAST_SCOPE_TYPES = ("total", "business_unit", "team", "workflow")


def budget_status_latest() -> pd.DataFrame:
    return query(
        """
        select budget_id, budget_name, scope_type, scope_id, owner_team_id, period_type, period_start_date, period_end_date,
               budget_amount, hard_cap_amount, spend_to_date, spend_pct_of_budget, burn_rate_daily,
               projected_period_end_spend, overrun_date, projected_overrun_date, highest_threshold_crossed_pct,
               budget_status, parent_budget_id, child_budgets_spend_to_date, currency, budget_date
        from {marts}.fct_budget_status_daily
        where is_latest
        order by case budget_status when 'hard_cap_breached' then 0 when 'over' then 1 when 'warning' then 2 else 3 end,
                 spend_pct_of_budget desc
        """
    )


def budget_history(budget_id: str) -> pd.DataFrame:
    return query(
        """
        select budget_date, period_start_date, daily_spend, spend_to_date, budget_amount, hard_cap_amount,
               projected_period_end_spend, budget_status
        from {marts}.fct_budget_status_daily
        where budget_id = ?
        order by budget_date
        """,
        [budget_id],
    )


def forecast_scopes(scope_type: str) -> list[str]:
    if scope_type not in _FORECAST_SCOPE_TYPES:
        raise ValueError(f"unknown forecast scope type {scope_type!r}")
    frame = query("select distinct scope_id from {marts}.fct_spend_forecast where scope_type = ? order by scope_id", [scope_type])
    return list(frame["scope_id"])


def spend_forecast(scope_type: str, scope_id: str) -> pd.DataFrame:
    return query(
        """
        select horizon, as_of_date, period_start_date, period_end_date, actual_to_date_spend, forecast_spend,
               forecast_lower_spend, forecast_upper_spend, naive_forecast_spend, weekday_median_spend, weekend_median_spend, currency
        from {marts}.fct_spend_forecast
        where scope_type = ? and scope_id = ?
        order by horizon
        """,
        [scope_type, scope_id],
    )


def scope_daily_spend(scope_type: str, scope_id: str) -> pd.DataFrame:
    """Daily contracted cost of one forecast scope from the core fact (the history under the forecast)."""
    columns = {"total": None, "business_unit": "business_unit_id", "team": "team_id", "workflow": "workflow_id"}
    if scope_type not in columns:
        raise ValueError(f"unknown forecast scope type {scope_type!r}")
    where = "" if columns[scope_type] is None else f"where {columns[scope_type]} = ?"
    return query(
        f"select usage_date, sum(contracted_cost) as contracted_cost from {{marts}}.fct_ai_cost_daily {where} group by 1 order by 1",
        [] if columns[scope_type] is None else [scope_id],
    )


def forecast_backtest_summary() -> pd.DataFrame:
    return query(
        """
        select scope_type, count(*) as forecasts, avg(forecast_ape) as forecast_mape, avg(naive_ape) as naive_mape,
               avg(case when is_actual_within_interval then 1.0 else 0.0 end) as interval_coverage
        from {marts}.fct_forecast_backtest
        where actual_month_spend > 0
        group by scope_type
        order by scope_type
        """
    )


def spend_anomalies() -> pd.DataFrame:
    return query(
        """
        select anomaly_id, severity, granularity, scope_type, scope_id, owner_team_id, started_at, ended_at, is_ongoing,
               detection_period_at, anomalous_periods, request_count, baseline_request_count, contracted_cost, baseline_cost, excess_cost,
               is_runaway_loop, currency
        from {marts}.fct_spend_anomalies
        order by started_at desc, granularity desc, excess_cost desc
        """
    )


def policy_violation_summary() -> pd.DataFrame:
    return query(
        """
        select policy_id, policy_name, policy_type, severity, team_id, workflow_id,
               min(usage_date) as first_date, max(usage_date) as last_date, count(distinct usage_date) as days,
               sum(request_count) as request_count, sum(contracted_cost) as contracted_cost
        from {marts}.fct_policy_violations
        group by all
        order by contracted_cost desc
        """
    )


def estimate_vs_actual(estimate_id: str | None = None) -> pd.DataFrame:
    """Submitted estimates against the workflow's actual cost, per month (one estimate, or all)."""
    return query(
        """
        select
            estimate_id, estimate_month, workflow_id, team_id, owner, estimated_provider, estimated_model_id,
            estimated_request_count, actual_request_count, estimated_input_tokens_per_request,
            actual_input_tokens_per_request, estimated_output_tokens_per_request, actual_output_tokens_per_request,
            estimated_contracted_cost, actual_contracted_cost, contracted_cost_variance_pct, is_over_estimate,
            is_month_complete, currency
        from {marts}.fct_estimate_vs_actual_monthly
        where (cast(? as varchar) is null or estimate_id = ?)
        order by estimate_id, estimate_month
        """,
        [estimate_id, estimate_id],
    )


def outcome_fee_reconciliation() -> pd.DataFrame:
    """Per-outcome vendor invoices against our own outcome counts, per contract and month."""
    return query(
        """
        select
            billing_month, vendor, outcome_fee_contract_id, workflow_id, outcome_type, invoice_id, usd_per_outcome,
            billed_outcomes, observed_outcomes, outcome_count_difference, billed_amount, expected_amount,
            amount_difference, amount_to_dispute, has_mismatch, currency
        from {marts}.fct_outcome_fee_reconciliation_monthly
        order by billing_month, vendor, outcome_type
        """
    )
