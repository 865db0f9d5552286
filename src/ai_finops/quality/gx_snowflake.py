"""`ai-finops check` on Snowflake: GX's native Snowflake SQL datasource (snowflake-sqlalchemy), no pandas.

The datasource is chosen by target: `--target` or AI_FINOPS_TARGET (the variable that picks the dbt
output in profiles.example.yml). `duckdb` (default) keeps the DuckDB path of gx_checks.py; `snowflake`
builds a connection string from the same SNOWFLAKE_* variables as the dbt profile (password, or key
pair with SNOWFLAKE_PRIVATE_KEY_PATH) and validates the tables where they are, as GX table assets: GX
computes every metric in Snowflake SQL.

On Snowflake the checkpoint holds the table-level expectations (raw key null rates and volume, and the
marts' keys, ownership, non-negative money and tokens, cache <= input, contracted <= list, bill vs
computed variance). The expectations that need history or derived frames on DuckDB (raw volume vs the
last good check, price band per model family, newest-day volume ratio, provider-mix drift, mart
freshness) are not run there yet. The fakesnow test (tests/python/test_fakesnow_build.py) runs this
checkpoint against the emulator over the real dbt-snowflake build.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from ai_finops.quality.gx_checks import (
    PRICED_SHARE,
    RAW_KEY_NON_NULL_SHARE,
    RAW_TABLES,
    RECONCILIATION_MAX_PCT,
    TOKEN_COLUMNS,
    Breach,
    CheckReport,
    token_rows,
)

REQUIRED = ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_DATABASE")


@dataclass(frozen=True)
class Warehouse:
    """Where `ai-finops check` reads: a DuckDB file, or a Snowflake connection string and schemas."""

    kind: str  # "duckdb" or "snowflake"
    database: Path | None = None
    connection_string: str | None = None
    raw_schema: str = "raw"
    marts_schema: str = "main_marts"


def snowflake_connection_string(
    env: Mapping[str, str], *, host: str | None = None, port: int | None = None, protocol: str | None = None
) -> str:
    """snowflake-sqlalchemy URL from the dbt profile's variables; secrets are URL-quoted, never logged."""
    missing = [name for name in REQUIRED if not env.get(name)]
    if missing:
        raise ValueError(f"ai-finops check --target snowflake needs {', '.join(missing)} (the dbt profile's variables)")
    user = quote(env["SNOWFLAKE_USER"], safe="")
    password = env.get("SNOWFLAKE_PASSWORD", "")
    credentials = f"{user}:{quote(password, safe='')}" if password and not env.get("SNOWFLAKE_PRIVATE_KEY_PATH") else user
    # GX wants database/schema in the path; the schema defaults as in profiles.example.yml
    path = quote(env["SNOWFLAKE_DATABASE"], safe="") + "/" + quote(env.get("SNOWFLAKE_SCHEMA") or "AI_FINOPS", safe="")
    query = {"warehouse": env.get("SNOWFLAKE_WAREHOUSE", "TRANSFORMING"), "role": env.get("SNOWFLAKE_ROLE", "TRANSFORMER")}
    if env.get("SNOWFLAKE_PRIVATE_KEY_PATH"):
        # key-pair auth: the connector reads the PEM file itself (and its passphrase, if any)
        query["private_key_file"] = env["SNOWFLAKE_PRIVATE_KEY_PATH"]
        if env.get("SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"):
            query["private_key_file_pwd"] = env["SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"]
    for key, value in (("host", host), ("port", port), ("protocol", protocol)):
        if value is not None:
            query[key] = str(value)
    return f"snowflake://{credentials}@{quote(env['SNOWFLAKE_ACCOUNT'], safe='')}/{path}?{urlencode(query)}"


def select_warehouse(
    target: str | None, database: Path, env: Mapping[str, str] | None = None, marts_schema: str | None = None
) -> Warehouse:
    """The datasource `ai-finops check` validates: by --target, else AI_FINOPS_TARGET, else DuckDB."""
    env = os.environ if env is None else env
    kind = (target or env.get("AI_FINOPS_TARGET") or "duckdb").lower()
    if kind == "duckdb":
        return Warehouse("duckdb", database=Path(database), marts_schema=marts_schema or "main_marts")
    if kind == "snowflake":
        # dbt puts the marts in <target schema>_marts (its default generate_schema_name)
        schema = env.get("SNOWFLAKE_SCHEMA", "AI_FINOPS")
        return Warehouse(
            "snowflake",
            connection_string=snowflake_connection_string(env),
            raw_schema=env.get("AI_FINOPS_RAW_SCHEMA", "raw"),
            marts_schema=marts_schema or f"{schema}_marts",
        )
    raise ValueError(f"ai-finops check: unknown target {kind!r} (duckdb or snowflake)")


def _suites(gxe, raw_schema: str, marts_schema: str) -> list[tuple[str, str, str, list]]:
    """(suite name, schema, table, expectations): the same rules as gx_checks.py, as table assets."""
    suites = []
    for table, (key_columns, _) in RAW_TABLES.items():
        expectations = [gxe.ExpectTableRowCountToBeBetween(min_value=1, meta={"why": "an empty landing table is a broken feed"})]
        expectations += [
            gxe.ExpectColumnValuesToNotBeNull(column=c, mostly=RAW_KEY_NON_NULL_SHARE, meta={"why": "key column of the feed"})
            for c in key_columns
        ]
        suites.append((f"raw.{table}", raw_schema, table, expectations))
    cost = [
        gxe.ExpectColumnValuesToBeUnique(column="ai_cost_daily_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="usage_date"),
        gxe.ExpectColumnValuesToNotBeNull(column="provider"),
        gxe.ExpectColumnValuesToNotBeNull(
            column="team_id", meta={"why": "unattributed spend is owned by the unallocated label, never null"}
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="cost_center_id"),
        gxe.ExpectColumnValuesToNotBeNull(
            column="list_cost",
            mostly=PRICED_SHARE,
            row_condition=token_rows(),
            meta={"why": "null rate over token rows: unknown models keep list_cost null"},
        ),
        gxe.ExpectColumnValuesToBeBetween(column="list_cost", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="request_count", min_value=0),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="list_cost", column_B="contracted_cost", or_equal=True, ignore_row_if="either_value_is_missing"
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="input_tokens", column_B="cache_read_tokens", or_equal=True, ignore_row_if="either_value_is_missing"
        ),
        *(gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, meta={"why": "token counts are never negative"}) for c in TOKEN_COLUMNS),
    ]
    suites.append((f"{marts_schema}.fct_ai_cost_daily", marts_schema, "fct_ai_cost_daily", cost))
    chargeback = [
        gxe.ExpectColumnValuesToBeUnique(column="chargeback_line_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="billing_month"),
        gxe.ExpectColumnValuesToNotBeNull(column="cost_center_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="team_id"),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="input_tokens", column_B="cache_read_tokens", or_equal=True, ignore_row_if="either_value_is_missing"
        ),
    ]
    suites.append((f"{marts_schema}.fct_chargeback_monthly", marts_schema, "fct_chargeback_monthly", chargeback))
    reconciliation = [
        gxe.ExpectColumnValuesToBeUnique(column="reconciliation_id"),
        gxe.ExpectColumnValuesToBeBetween(column="computed_list_cost", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(
            column="unexplained_variance_pct",
            min_value=-RECONCILIATION_MAX_PCT,
            max_value=RECONCILIATION_MAX_PCT,
            meta={"why": f"a provider's bill more than {RECONCILIATION_MAX_PCT}% away from computed cost blocks sign-off"},
        ),
    ]
    suites.append(
        (f"{marts_schema}.fct_billing_reconciliation_monthly", marts_schema, "fct_billing_reconciliation_monthly", reconciliation)
    )
    return suites


def run_snowflake_checks(warehouse: Warehouse, docs_dir: Path) -> CheckReport:
    """One GX checkpoint over table assets of a Snowflake SQL datasource; Data Docs like the DuckDB path."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    started = time.time()
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.data_context.types.base import ProgressBarsConfig

    from ai_finops.quality.gx_checks import _describe

    docs_dir = Path(docs_dir).resolve()
    docs_dir.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    site_name = "ai_finops"
    context.add_data_docs_site(
        site_name=site_name,
        site_config={
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir / "data_docs")},
        },
    )
    source = context.data_sources.add_snowflake("warehouse", connection_string=warehouse.connection_string)
    suites = _suites(gxe, warehouse.raw_schema, warehouse.marts_schema)
    validations = []
    for name, schema, table, expectations in suites:
        batch = source.add_table_asset(name, table_name=table, schema_name=schema).add_batch_definition_whole_table("table")
        suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        validations.append(context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite)))
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name="ai_finops_after_build_snowflake",
            validation_definitions=validations,
            actions=[UpdateDataDocsAction(name="data docs", site_names=[site_name])],
            result_format={"result_format": "SUMMARY"},
        )
    )
    outcome = checkpoint.run()
    breaches: list[Breach] = []
    evaluated = 0
    for identifier, run in outcome.run_results.items():
        suite_name = run.suite_name if hasattr(run, "suite_name") else str(identifier)
        for result in run.results:
            evaluated += 1
            if not result.success:
                breach = _describe(result)
                breach.suite = suite_name
                breaches.append(breach)
    return CheckReport(
        success=not breaches,
        evaluated=evaluated,
        breaches=breaches,
        docs_index=docs_dir / "data_docs" / "index.html",
        suites=[s[0] for s in suites],
        seconds=time.time() - started,
    )
