"""`ai-finops check`: Great Expectations (GX Core 1.x) gates over the raw landing tables and the public marts.

Run after `dbt build`. Every table is read through DuckDB (read-only) into pandas and validated by a GX
checkpoint; GX's own SQL datasource over duckdb-engine cannot read results here (see
docs/architecture.md). One suite per table, plus two derived views of fct_ai_cost_daily (newest day vs
recent history, provider mix drift). The checkpoint writes Data Docs (HTML) and the command exits
non-zero, naming every breached expectation, when anything fails.

Thresholds are the module constants below; each expectation carries a `why` in its meta, shown in the
Data Docs. Volume of the raw tables is compared with the previous successful check of the same
database (a JSON history beside the Data Docs); everything else is stateless.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

# Landing tables: the columns that must be present on (nearly) every row, and the freshness limit
# (days since the newest `_loaded_at`) that matches the dbt source freshness error_after var.
RAW_TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "openai_usage_completions": (("start_time",), "report"),
    "openai_usage_embeddings": (("start_time",), "report"),
    "openai_costs": (("start_time",), "report"),
    "litellm_spend_logs": (("request_id", "start_time", "model"), "gateway"),
    "anthropic_usage_report_messages": (("starting_at", "model"), "report"),
    "anthropic_cost_report": (("starting_at", "amount"), "report"),
    "aws_bedrock_cur": (("identity_line_item_id", "line_item_usage_start_date", "line_item_usage_type"), "report"),
    "aws_bedrock_invocation_logs": (("timestamp", "request_id", "model_id"), "report"),
    "azure_cost_details": (("date", "meter_name"), "report"),
    "gcp_billing_export": (("usage_start_time", "sku__description"), "report"),
    "gcp_gemini_usage_metadata": (("response_id", "create_time"), "report"),
    "otel_genai_spans": (("span_id", "start_time_unix_nano"), "gateway"),
}
FRESHNESS_ERROR_DAYS = {"report": 7, "gateway": 3}  # = ai_finops__[gateway_]freshness_error_after_days
RAW_KEY_NON_NULL_SHARE = 0.99  # a few malformed rows are quarantined by staging; more is a broken feed
RAW_VOLUME_FLOOR = 0.5  # a landing table holding under half the rows of the last good check lost data
PRICE_BAND = (0.5, 1.5)  # blended USD per 1M tokens within [family's cheapest rate x 0.5, dearest rate x 1.5]
PRICED_SHARE = 0.9  # at least 90% of token cost rows priced (unknown models keep list_cost null, by design)
VOLUME_RATIO = (0.2, 5.0)  # newest day's list cost vs the median of the 28 days before it
MART_LAG_DAYS = 1  # newest mart day at most 1 day behind the newest usage day in live staging
DRIFT_WINDOW_DAYS = (7, 28)  # recent window vs reference window, median daily provider shares
DRIFT_MAX_SHARE_CHANGE = 0.5  # sum over providers of |recent share - reference share| (= 2 x total variation)
RECONCILIATION_MAX_PCT = 5.0  # |unexplained variance| of a provider-month bill, percent
TOKEN_COLUMNS = (
    "input_tokens",
    "uncached_input_tokens",
    "cache_read_tokens",
    "cache_write_5m_tokens",
    "cache_write_1h_tokens",
    "output_tokens",
    "reasoning_tokens",
    "total_tokens",
)


def token_rows():
    """GX row condition: token usage only (unit usage without a unit price is null by design, not a lagging price book)."""
    from great_expectations.expectations.row_conditions import Column

    return Column("usage_kind") == "tokens"


@dataclass
class Breach:
    suite: str
    expectation: str
    columns: str
    detail: str

    def __str__(self) -> str:
        return f"{self.suite}: {self.expectation}({self.columns}) {self.detail}"


@dataclass
class CheckReport:
    success: bool
    evaluated: int
    breaches: list[Breach]
    docs_index: Path
    suites: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class _Suite:
    name: str
    frame: object  # pandas.DataFrame
    expectations: list = field(default_factory=list)


def _read(con, sql: str, params: list | None = None):
    return con.execute(sql, params or []).df()


def _table_exists(con, schema: str, table: str) -> bool:
    rows = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
    ).fetchall()
    return rows[0][0] > 0


def _history_path(docs_dir: Path) -> Path:
    return docs_dir / "raw_volume_history.json"


def _load_history(docs_dir: Path, database: Path) -> dict:
    path = _history_path(docs_dir)
    if not path.exists():
        return {}
    return json.loads(path.read_text()).get(str(database.resolve()), {})


def _save_history(docs_dir: Path, database: Path, counts: dict[str, int], checked_at: datetime) -> None:
    path = _history_path(docs_dir)
    history = json.loads(path.read_text()) if path.exists() else {}
    history[str(database.resolve())] = {"checked_at": checked_at.isoformat(), "row_counts": counts}
    path.write_text(json.dumps(history, indent=2, sort_keys=True))


def reset_history(docs_dir: Path, database: Path) -> None:
    """Forget the raw-volume history of a database (a new warehouse was built in its place)."""
    path = _history_path(docs_dir)
    if path.exists():
        history = json.loads(path.read_text())
        if history.pop(str(database.resolve()), None) is not None:
            path.write_text(json.dumps(history, indent=2, sort_keys=True))


def _build_suites(con, gxe, database: Path, docs_dir: Path, as_of: datetime) -> tuple[list[_Suite], dict[str, int]]:
    import pandas as pd

    suites: list[_Suite] = []
    previous = _load_history(docs_dir, database).get("row_counts", {})
    counts: dict[str, int] = {}

    # Raw landing tables: volume vs the last good check, key-column null rates, load freshness.
    for table, (key_columns, kind) in RAW_TABLES.items():
        if not _table_exists(con, "raw", table):
            continue
        present = {
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_schema = 'raw' and table_name = ?", [table]
            ).fetchall()
        }
        columns = [c for c in key_columns if c in present]
        frame = _read(con, "select " + ", ".join(f'"{c}"' for c in [*columns, "_loaded_at"]) + f" from raw.{table}")
        counts[table] = len(frame)
        suite = _Suite(f"raw.{table}", frame)
        floor = math.ceil(previous.get(table, 0) * RAW_VOLUME_FLOOR)
        suite.expectations.append(
            gxe.ExpectTableRowCountToBeBetween(
                min_value=max(1, floor),
                meta={
                    "why": f"volume vs history: at least {RAW_VOLUME_FLOOR:.0%} of the {previous.get(table, 0)} rows of the last good check"
                },
            )
        )
        for column in columns:
            suite.expectations.append(
                gxe.ExpectColumnValuesToNotBeNull(
                    column=column, mostly=RAW_KEY_NON_NULL_SHARE, meta={"why": "null rate of a key field: a broken feed, not a bad row"}
                )
            )
        limit = as_of - timedelta(days=FRESHNESS_ERROR_DAYS[kind])
        suite.expectations.append(
            gxe.ExpectColumnMaxToBeBetween(
                column="_loaded_at",
                min_value=pd.Timestamp(limit),
                meta={"why": f"freshness: newest load no older than {FRESHNESS_ERROR_DAYS[kind]} days ({kind} source)"},
            )
        )
        suites.append(suite)

    # fct_ai_cost_daily, row level.
    daily = _read(
        con,
        """
        select f.*, c.model_family
        from main_marts.fct_ai_cost_daily as f
        left join main_reference.ai_finops__model_catalog as c on f.provider = c.provider and f.model_id = c.model_id
        """,
    )
    bands = _read(
        con,
        """
        select c.model_family, min(p.usd_per_million_tokens) as cheapest_rate, max(p.usd_per_million_tokens) as dearest_rate
        from main_reference.ai_finops__model_prices as p
        inner join main_reference.ai_finops__model_catalog as c on p.provider = c.provider and p.model_id = c.model_id
        group by c.model_family
        """,
    )
    daily = daily.merge(bands, on="model_family", how="left")
    daily["cache_tokens"] = (
        daily["cache_read_tokens"].fillna(0) + daily["cache_write_5m_tokens"].fillna(0) + daily["cache_write_1h_tokens"].fillna(0)
    )
    priced = daily["list_cost"].notna() & (daily["total_tokens"] > 0)
    daily["usd_per_million_tokens"] = (daily["list_cost"] / daily["total_tokens"] * 1_000_000).where(priced)
    daily["band_floor"] = daily["cheapest_rate"] * PRICE_BAND[0]
    daily["band_ceiling"] = daily["dearest_rate"] * PRICE_BAND[1]
    suite = _Suite("main_marts.fct_ai_cost_daily", daily)
    suite.expectations += [
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
            meta={"why": "null rate: unpriced rows stay null by design, a jump means the price book lags"},
        ),
        gxe.ExpectColumnValuesToBeBetween(column="list_cost", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="request_count", min_value=0),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="list_cost",
            column_B="contracted_cost",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta={"why": "a negotiated discount never raises cost"},
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="input_tokens",
            column_B="cache_read_tokens",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta={"why": "cache reads are part of input tokens"},
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="input_tokens",
            column_B="cache_tokens",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta={"why": "cache reads + cache writes never exceed input tokens"},
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="usd_per_million_tokens",
            column_B="band_floor",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta={"why": f"blended cost per 1M tokens at least {PRICE_BAND[0]} x the family's cheapest rate (unit errors)"},
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="band_ceiling",
            column_B="usd_per_million_tokens",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta={"why": f"blended cost per 1M tokens at most {PRICE_BAND[1]} x the family's dearest rate (unit errors)"},
        ),
    ]
    suite.expectations += [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0, meta={"why": "token counts are never negative"}) for c in TOKEN_COLUMNS
    ]
    suites.append(suite)

    # Newest day vs recent history, and the mart's freshness against live staging.
    by_day = daily.groupby("usage_date", as_index=False).agg(
        list_cost=("list_cost", "sum"), total_tokens=("total_tokens", "sum"), rows=("ai_cost_daily_id", "count")
    )
    by_day = by_day.sort_values("usage_date").reset_index(drop=True)
    by_day["trailing_median_list_cost"] = by_day["list_cost"].shift(1).rolling(28, min_periods=7).median()
    by_day["volume_ratio"] = by_day["list_cost"] / by_day["trailing_median_list_cost"]
    newest = by_day.tail(1).reset_index(drop=True)
    staging_newest = _staging_newest_usage_date(con)
    suite = _Suite("main_marts.fct_ai_cost_daily.newest_day", newest)
    suite.expectations.append(
        gxe.ExpectColumnValuesToBeBetween(
            column="volume_ratio",
            min_value=VOLUME_RATIO[0],
            max_value=VOLUME_RATIO[1],
            meta={"why": "volume vs recent history: the newest day's list cost against the median of the 28 days before it"},
        )
    )
    if staging_newest is not None:
        suite.expectations.append(
            gxe.ExpectColumnMaxToBeBetween(
                column="usage_date",
                min_value=pd.Timestamp(staging_newest - timedelta(days=MART_LAG_DAYS)),
                meta={
                    "why": f"freshness: the mart covers usage up to {staging_newest} (newest day in live staging); rebuild after loading"
                },
            )
        )
    suites.append(suite)

    # Distribution drift: provider shares of cost, recent window vs reference window (median daily shares).
    suites.append(_drift_suite(gxe, daily))

    # shared_reversal lines are negative by design (unallocated usage handed to teams); the rest never is
    chargeback = _read(con, "select * from main_marts.fct_chargeback_monthly where line_type <> 'shared_reversal'")
    suite = _Suite("main_marts.fct_chargeback_monthly", chargeback)
    suite.expectations += [
        gxe.ExpectColumnValuesToBeUnique(column="chargeback_line_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="billing_month"),
        gxe.ExpectColumnValuesToNotBeNull(column="cost_center_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="team_id"),
        gxe.ExpectColumnValuesToBeBetween(column="list_cost", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="fraction_of_month_list_cost", min_value=0, max_value=1),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="input_tokens", column_B="cache_read_tokens", or_equal=True, ignore_row_if="either_value_is_missing"
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="list_cost", column_B="contracted_cost", or_equal=True, ignore_row_if="either_value_is_missing"
        ),
    ]
    suite.expectations += [
        gxe.ExpectColumnValuesToBeBetween(column=c, min_value=0)
        for c in ("input_tokens", "cache_read_tokens", "output_tokens", "total_tokens", "unpriced_tokens")
    ]
    suites.append(suite)

    reconciliation = _read(con, "select * from main_marts.fct_billing_reconciliation_monthly")
    suite = _Suite("main_marts.fct_billing_reconciliation_monthly", reconciliation)
    suite.expectations += [
        gxe.ExpectColumnValuesToBeUnique(column="reconciliation_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="billing_month"),
        gxe.ExpectColumnValuesToNotBeNull(column="provider"),
        gxe.ExpectColumnValuesToBeBetween(column="computed_list_cost", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(
            column="unexplained_variance_pct",
            min_value=-RECONCILIATION_MAX_PCT,
            max_value=RECONCILIATION_MAX_PCT,
            meta={
                "why": f"a provider's bill more than {RECONCILIATION_MAX_PCT}% away from computed cost (after unpriced models) blocks sign-off"
            },
        ),
    ]
    suites.append(suite)
    return suites, counts


def _staging_newest_usage_date(con) -> date | None:
    """Newest usage day of the provider reports and the gateway in live staging (views over raw)."""
    newest = None
    for view in (
        "stg_openai__usage_completions",
        "stg_anthropic__usage_report_messages",
        "stg_aws_bedrock__cur",
        "stg_azure__cost_details",
        "stg_gcp__billing_export",
        "stg_litellm__spend_logs",
    ):
        if not _table_exists(con, "main_staging", view):
            continue
        value = con.execute(f"select max(usage_date) from main_staging.{view}").fetchall()[0][0]
        if value is not None and (newest is None or value > newest):
            newest = value
    return newest


def _drift_suite(gxe, daily) -> _Suite:
    import pandas as pd

    recent_days, reference_days = DRIFT_WINDOW_DAYS
    last = daily["usage_date"].max()
    cost = daily.pivot_table(index="usage_date", columns="provider", values="list_cost", aggfunc="sum", fill_value=0.0)
    shares = cost.div(cost.sum(axis=1).replace(0, float("nan")), axis=0).fillna(0.0)
    dates = pd.to_datetime(shares.index)
    last = pd.Timestamp(last)
    recent = shares[dates > last - pd.Timedelta(days=recent_days)].median()
    reference = shares[
        (dates <= last - pd.Timedelta(days=recent_days)) & (dates > last - pd.Timedelta(days=recent_days + reference_days))
    ].median()
    frame = pd.DataFrame(
        {"provider": shares.columns, "recent_share": recent.values, "reference_share": reference.reindex(shares.columns).fillna(0.0).values}
    )
    frame["abs_share_change"] = (frame["recent_share"] - frame["reference_share"]).abs()
    suite = _Suite("main_marts.fct_ai_cost_daily.provider_mix", frame)
    suite.expectations.append(
        gxe.ExpectColumnSumToBeBetween(
            column="abs_share_change",
            max_value=DRIFT_MAX_SHARE_CHANGE,
            meta={"why": f"distribution drift: median daily provider shares of the last {recent_days} days vs the {reference_days} before"},
        )
    )
    return suite


def _describe(result) -> Breach:
    config = result.expectation_config
    kwargs = config.kwargs
    columns = kwargs.get("column") or ", ".join(str(kwargs[k]) for k in ("column_A", "column_B") if k in kwargs) or "table"
    details = result.result or {}
    parts = []
    if details.get("observed_value") is not None:
        parts.append(f"observed {details['observed_value']}")
    if details.get("unexpected_count"):
        parts.append(
            f"{details['unexpected_count']} rows ({details.get('unexpected_percent', 0):.2f}%) e.g. {details.get('partial_unexpected_list', [])[:3]}"
        )
    bounds = {k: kwargs[k] for k in ("min_value", "max_value", "mostly") if kwargs.get(k) is not None}
    if bounds:
        parts.append(f"expected {bounds}")
    if result.exception_info and result.exception_info.get("raised_exception"):
        parts.append(f"error: {result.exception_info.get('exception_message')}")
    why = (config.meta or {}).get("why")
    if why:
        parts.append(f"[{why}]")
    return Breach(suite="", expectation=config.type, columns=columns, detail="; ".join(parts))


def run_checks(database: Path, docs_dir: Path, as_of: datetime | None = None, history_key: Path | None = None) -> CheckReport:
    """Validate the landing tables and the public marts of a built DuckDB warehouse; write Data Docs.

    history_key names the warehouse in the raw-volume history (default: the database file itself).
    """
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    started = time.time()
    import duckdb
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.checkpoint import UpdateDataDocsAction
    from great_expectations.data_context.types.base import ProgressBarsConfig

    as_of = as_of or datetime.now()
    docs_dir = Path(docs_dir).resolve()
    docs_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(database), read_only=True)
    try:
        suites, counts = _build_suites(con, gxe, Path(history_key or database), docs_dir, as_of)
    finally:
        con.close()

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
    breaches: list[Breach] = []
    evaluated = 0
    # One checkpoint over every suite: each table's frame is snapshotted to parquet so a single
    # pandas-filesystem datasource serves all validation definitions.
    with tempfile.TemporaryDirectory(prefix="ai_finops_gx_") as snapshots:
        source = context.data_sources.add_pandas_filesystem("warehouse", base_directory=snapshots)
        validations = []
        for suite_def in suites:
            file_name = suite_def.name.replace(".", "__") + ".parquet"
            suite_def.frame.to_parquet(Path(snapshots) / file_name, index=False)
            batch = source.add_parquet_asset(suite_def.name).add_batch_definition_path("snapshot", path=file_name)
            suite = context.suites.add(gx.ExpectationSuite(name=suite_def.name, expectations=suite_def.expectations))
            validations.append(context.validation_definitions.add(gx.ValidationDefinition(name=suite_def.name, data=batch, suite=suite)))
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name="ai_finops_after_build",
                validation_definitions=validations,
                actions=[UpdateDataDocsAction(name="data docs", site_names=[site_name])],
                result_format={"result_format": "SUMMARY"},
            )
        )
        outcome = checkpoint.run()
    for identifier, run in outcome.run_results.items():
        suite_name = run.suite_name if hasattr(run, "suite_name") else str(identifier)
        for result in run.results:
            evaluated += 1
            if not result.success:
                breach = _describe(result)
                breach.suite = suite_name
                breaches.append(breach)
    success = not breaches
    if success:
        _save_history(docs_dir, Path(history_key or database), counts, as_of)
    return CheckReport(
        success=success,
        evaluated=evaluated,
        breaches=breaches,
        docs_index=docs_dir / "data_docs" / "index.html",
        suites=[s.name for s in suites],
        seconds=time.time() - started,
    )


def print_report(report: CheckReport, log=print) -> None:
    url = report.docs_index.as_uri()
    if report.success:
        log(f"[check] PASSED: {report.evaluated} expectations over {len(report.suites)} suites in {report.seconds:.0f}s. Data Docs: {url}")
        return
    log(f"[check] FAILED: {len(report.breaches)} of {report.evaluated} expectations breached. Data Docs: {url}")
    for breach in report.breaches:
        log(f"  BREACH {breach}")
