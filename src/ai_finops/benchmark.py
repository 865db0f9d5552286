"""`ai-finops benchmark`: how fast the package builds at scale, against a hand-written floor.

Steps, each in its own process so its time and peak memory (max RSS) are its own:
generate N gateway rows (+ the matching provider data) -> load all but the last day's gateway deliveries
-> full `dbt run` -> load the last day -> incremental `dbt run` -> dashboard queries; and the
floor: one hand-written DuckDB query over the same raw tables computing the gateway's daily
team x workflow x model cost (deduplicated, priced with effective-dated prices incl. the long-context
rule, attributed by tag > gateway-key owner). The floor's total is checked against the models'.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROWS_PER_SCALE_DAY = 3_900_000 / 90  # gateway rows the demo generator writes per unit of --scale and simulated day
DAYS = 30  # N rows are one month: an incremental day is ~1/30 of N
# The demo generator holds a whole simulation in memory (~4 GiB per 1M gateway rows). Beyond this many
# rows the benchmark generates this many, loads them, and replicates the gateway rows inside the database
# (insert-select, one replica at a time) with distinct request and session ids: same files, same days,
# same re-delivered copies. Nothing bigger than the 1M-row files is ever written outside DuckDB, and
# every step stays under a few GiB.
MAX_GENERATED_ROWS = 1_000_000
MEMORY_LIMIT = os.environ.get("AI_FINOPS_DUCKDB_MEMORY_LIMIT", "3GB")  # every DuckDB step of the package
FLOOR_MEMORY_LIMIT = os.environ.get("AI_FINOPS_FLOOR_MEMORY_LIMIT", "8GB")  # the hand-written floor query

REPLICATE_SQL = """
insert into raw.litellm_spend_logs by name
select logs.* replace (
    logs.request_id || '-r' || cast(replicas.replica as varchar) as request_id,
    logs.session_id || '-r' || cast(replicas.replica as varchar) as session_id,
    logs._file_row_number + replicas.replica * files.original_rows as _file_row_number
)
from raw.litellm_spend_logs as logs
inner join _benchmark_replicated_files as files on logs._loaded_from_file = files._loaded_from_file
cross join (select range as replica from range(1, {copies})) as replicas
where files.file_order = {file_order} and logs._file_row_number <= files.original_rows
"""


def replicate_in_database(database: Path, copies: int, loaded_after: str | None = None) -> None:
    """Each gateway delivery file loaded after `loaded_after` (all when None) ends up holding `copies` copies of
    each of its rows, with distinct request and session ids and row numbers (original_rows + 1, ...). One
    insert-select per file, in load order, under the package's DuckDB memory cap: each file's replicas land
    together, so the table stays (mostly) in day order like daily loads leave it. (Replicating all files
    replica by replica scattered every day over the whole table, and an incremental run's delete of the
    look-back days then rewrote every row group of the request-level tables on commit.)"""
    import duckdb

    con = duckdb.connect(str(database), config={"memory_limit": MEMORY_LIMIT, "preserve_insertion_order": False})
    try:
        con.execute("set enable_progress_bar = false")
        con.execute(
            "create temp table _benchmark_replicated_files as select _loaded_from_file, count(*) as original_rows,"
            " row_number() over (order by min(_loaded_at), _loaded_from_file) as file_order"
            " from raw.litellm_spend_logs where ? is null or _loaded_at > cast(? as timestamp) group by 1",
            [loaded_after, loaded_after],
        )
        files = con.execute("select count(*) from _benchmark_replicated_files").fetchone()[0]
        for file_order in range(1, files + 1):
            con.execute(REPLICATE_SQL.format(copies=copies, file_order=file_order))
        con.execute(
            f"update raw._ai_finops_loaded_files set row_count = row_count * {copies} where table_name = 'litellm_spend_logs'"
            " and source_file in (select _loaded_from_file from _benchmark_replicated_files)"
        )
    finally:
        con.close()


FLOOR_SQL = r"""
with logs as (
    select * from raw.litellm_spend_logs
    qualify row_number() over (partition by request_id order by _loaded_at desc, _loaded_from_file desc) = 1
),
billable as (
    select
        cast(cast(start_time as timestamp) as date) as usage_date,
        case custom_llm_provider
            when 'openai' then 'openai' when 'text-completion-openai' then 'openai'
            when 'anthropic' then 'anthropic' when 'bedrock' then 'aws_bedrock' when 'bedrock_converse' then 'aws_bedrock'
            when 'azure' then 'azure_openai' when 'azure_ai' then 'azure_openai'
            when 'vertex_ai' then 'google_vertex' when 'vertex_ai_beta' then 'google_vertex'
            when 'gemini' then 'google_ai_studio' else custom_llm_provider end as provider,
        model as reported_model,
        -- where a regional price point can apply: a Bedrock call's region, `regional` for a Vertex regional endpoint
        coalesce(nullif(regexp_extract(lower(api_base), 'bedrock-runtime(-fips)?[.]([a-z0-9-]+)[.]amazonaws[.]com', 2), ''),
                 case when regexp_matches(lower(api_base), '://[a-z0-9-]+-aiplatform[.]googleapis[.]com') then 'regional' end)
            as region,
        api_key,
        cast(prompt_tokens as bigint) as prompt_tokens,
        cast(completion_tokens as bigint) as output_tokens,
        cast(coalesce(json_extract_string(metadata, '$.usage_object.cache_read_input_tokens'),
                      json_extract_string(metadata, '$.usage_object.prompt_tokens_details.cached_tokens'), '0') as bigint)
            as cache_read_tokens,
        cast(coalesce(json_extract_string(metadata, '$.usage_object.cache_creation_input_tokens'), '0') as bigint)
            as cache_write_tokens,
        cast(coalesce(json_extract_string(metadata,
            '$.usage_object.prompt_tokens_details.cache_creation_token_details.ephemeral_1h_input_tokens'), '0') as bigint)
            as cache_write_1h_tokens,
        cast(coalesce(json_extract_string(metadata, '$.usage_object.prompt_tokens_details.audio_tokens'), '0') as bigint)
            as prompt_audio_tokens,
        cast(coalesce(json_extract_string(metadata, '$.usage_object.prompt_tokens_details.image_tokens'), '0') as bigint)
            as prompt_image_tokens,
        cast(coalesce(json_extract_string(metadata, '$.usage_object.completion_tokens_details.audio_tokens'), '0') as bigint)
            as output_audio_tokens,
        regexp_extract(request_tags, '"team:([^"]+)"', 1) as tag_team,
        regexp_extract(request_tags, '"workflow:([^"]+)"', 1) as tag_workflow
    from logs
    where coalesce(status, 'success') = 'success' and coalesce(cache_hit, 'False') <> 'True'
),
prices as (
    select provider, model_id, service_tier, context_tier, valid_from, coalesce(valid_to, date '9999-12-31') as valid_to,
        max(usd_per_million_tokens) filter (where token_type = 'input') as p_in,
        coalesce(max(usd_per_million_tokens) filter (where token_type = 'cache_read'),
                 max(usd_per_million_tokens) filter (where token_type = 'input')) as p_read,
        coalesce(max(usd_per_million_tokens) filter (where token_type = 'cache_write_5m'),
                 max(usd_per_million_tokens) filter (where token_type = 'input')) as p_write,
        coalesce(max(usd_per_million_tokens) filter (where token_type = 'cache_write_1h'),
                 max(usd_per_million_tokens) filter (where token_type = 'cache_write_5m'),
                 max(usd_per_million_tokens) filter (where token_type = 'input')) as p_write_1h,
        max(usd_per_million_tokens) filter (where token_type = 'output') as p_out,
        max(usd_per_million_tokens) filter (where token_type = 'input_audio') as p_in_audio,
        max(usd_per_million_tokens) filter (where token_type = 'cache_read_audio') as p_read_audio,
        max(usd_per_million_tokens) filter (where token_type = 'output_audio') as p_out_audio,
        max(usd_per_million_tokens) filter (where token_type = 'input_image') as p_in_image,
        max(usd_per_million_tokens) filter (where token_type = 'cache_read_image') as p_read_image
    from main_reference.ai_finops__model_prices
    where service_tier = 'standard'
    group by all
),
split_audio as (
    -- prompt audio fills the uncached input first, then the cache reads; images fill what audio left
    select *, prompt_tokens - cache_read_tokens - cache_write_tokens as uncached_tokens,
        least(prompt_audio_tokens, prompt_tokens - cache_read_tokens - cache_write_tokens) as in_audio,
        least(greatest(prompt_audio_tokens - (prompt_tokens - cache_read_tokens - cache_write_tokens), 0), cache_read_tokens)
            as read_audio
    from billable
),
split as (
    select *, least(prompt_image_tokens, uncached_tokens - in_audio) as in_image,
        least(greatest(prompt_image_tokens - uncached_tokens + in_audio, 0), cache_read_tokens - read_audio) as read_image
    from split_audio
),
priced as (
    select
        b.usage_date, b.api_key, b.tag_team, b.tag_workflow, coalesce(a.model_id, b.reported_model) as model_id,
        ((b.uncached_tokens - b.in_audio - b.in_image) * p.p_in + b.in_audio * coalesce(p.p_in_audio, p.p_in)
         + b.in_image * coalesce(p.p_in_image, p.p_in)
         + (b.cache_read_tokens - b.read_audio - b.read_image) * p.p_read + b.read_audio * coalesce(p.p_read_audio, p.p_read)
         + b.read_image * coalesce(p.p_read_image, p.p_read)
         + (b.cache_write_tokens - b.cache_write_1h_tokens) * p.p_write + b.cache_write_1h_tokens * p.p_write_1h
         + (b.output_tokens - b.output_audio_tokens) * p.p_out + b.output_audio_tokens * coalesce(p.p_out_audio, p.p_out)) / 1e6
            as list_cost
    from split as b
    left join main_reference.ai_finops__model_aliases as a on a.provider = b.provider and a.reported_model = b.reported_model
    left join main_reference.ai_finops__model_catalog as c on c.provider = b.provider and c.model_id = coalesce(a.model_id, b.reported_model)
    -- a Bedrock call in a region (a Vertex call on a regional endpoint) with its own price point that day is priced there
    left join prices as rp
        on rp.provider = b.provider and rp.model_id = b.region || '/' || coalesce(a.model_id, b.reported_model)
        and rp.context_tier = case when b.prompt_tokens >= c.long_context_threshold_tokens then 'long' else 'standard' end
        and b.usage_date >= rp.valid_from and b.usage_date < rp.valid_to
    left join prices as p
        on p.provider = b.provider and p.model_id = coalesce(rp.model_id, a.model_id, b.reported_model)
        and p.context_tier = case when b.prompt_tokens >= c.long_context_threshold_tokens then 'long' else 'standard' end
        and b.usage_date >= p.valid_from and b.usage_date < p.valid_to
),
attributed as (
    select
        priced.usage_date, priced.model_id, priced.list_cost,
        coalesce(tag_team.team_id, owner.team_id, 'unallocated') as team_id,
        coalesce(case when tag_team.team_id is not null then priced.tag_workflow end,
                 case when owner.team_id is not null then owner.workflow_id end, 'unassigned') as workflow_id
    from priced
    left join main_reference.ai_finops__teams as tag_team
        on tag_team.team_id = priced.tag_team and priced.usage_date >= tag_team.valid_from
        and priced.usage_date < coalesce(tag_team.valid_to, date '9999-12-31')
    left join main_reference.ai_finops__account_owners as owner
        on owner.provider = 'litellm' and owner.account_type = 'gateway_key' and owner.account_id = priced.api_key
        and priced.usage_date >= owner.valid_from and priced.usage_date < coalesce(owner.valid_to, date '9999-12-31')
)
select usage_date, team_id, workflow_id, model_id, sum(list_cost) as list_cost, count(*) as requests
from attributed
group by all
"""

MODELS_GATEWAY_SQL = """
select sum(list_cost) from main_marts.fct_ai_cost_daily where source_system = 'litellm_gateway'
"""


def _measure(label: str, command: list[str], env: dict | None = None) -> dict:
    """Runs one step in a child process; returns its wall time and peak resident memory."""
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{label} failed:\n{output[-4000:]}")
    result = {
        "step": label,
        "seconds": round(seconds, 1),
        # CPU time of the step (user + system): less sensitive than wall time to other jobs on a shared machine
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024),
        "load_average_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    print(
        f"  {label:<34} {result['seconds']:>8.1f} s  cpu {result['cpu_seconds']:>8.1f} s   peak {result['peak_rss_mib']:>6,} MiB"
        f"   load {result['load_average_1m'][0]:.1f}->{result['load_average_1m'][1]:.1f}",
        flush=True,
    )
    return result | {"output": output}


def _model_timings(top: int = 12) -> dict[str, float]:
    """Seconds per model of the last dbt invocation (target/run_results.json), slowest first."""
    from ai_finops.cli import dbt_target_path

    results = json.loads((dbt_target_path() / "run_results.json").read_text())["results"]
    timings = sorted(((r["unique_id"].split(".")[-1], round(r["execution_time"], 1)) for r in results), key=lambda x: -x[1])
    return dict(timings[:top])


def _newest_gateway_load(database: Path) -> str:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute("select cast(max(_loaded_at) as varchar) from raw.litellm_spend_logs").fetchone()[0]


def _new_gateway_rows(database: Path, loaded_after: str) -> int:
    """Gateway rows the incremental day loaded (after replication)."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        return con.execute(
            "select count(*) from raw.litellm_spend_logs where _loaded_at > cast(? as timestamp)", [loaded_after]
        ).fetchone()[0]


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def run(rows: int, workdir: Path, seed: int = 42, keep: bool = False) -> dict:
    cli = [sys.executable, "-m", "ai_finops.cli"]
    workdir.mkdir(parents=True, exist_ok=True)
    raw, database = workdir / "raw", workdir / "bench.duckdb"
    database.unlink(missing_ok=True)
    copies = -(-rows // MAX_GENERATED_ROWS)
    scale = rows / copies / (ROWS_PER_SCALE_DAY * DAYS)
    env = {"AI_FINOPS_DUCKDB_MEMORY_LIMIT": MEMORY_LIMIT}
    print(f"benchmark: {rows:,} gateway rows over {DAYS} days (scale {scale:.3f}, gateway rows x{copies}) in {workdir}", flush=True)
    generate = [*cli, "generate", "--out", str(raw), "--scale", f"{scale:.6f}", "--seed", str(seed), "--days", str(DAYS)]
    steps = [_measure("generate", generate)]

    def replicate(label: str, loaded_after: str | None) -> None:
        if copies > 1:
            code = (
                "from pathlib import Path; from ai_finops.benchmark import replicate_in_database as r;"
                f" r(Path({str(database)!r}), {copies}, {loaded_after!r})"
            )
            steps.append(_measure(f"{label} x{copies} (in-database)", _python(code), env=env))

    # the incremental day: every delivery of the last delivery date (the day's export and the late one)
    deliveries = sorted((raw / "litellm" / "spend_logs").iterdir())
    last_day = deliveries[-1].name[: len("delivery=YYYY-MM-DD")]
    held = [d for d in deliveries if d.name.startswith(last_day)]
    parked_dir = workdir / "parked"
    shutil.rmtree(parked_dir, ignore_errors=True)
    parked_dir.mkdir(parents=True)
    for delivery in held:
        shutil.move(str(delivery), str(parked_dir / delivery.name))
    steps.append(_measure("load (all but the last day)", [*cli, "load", "--raw", str(raw), "--database", str(database)], env=env))
    replicate("replicate gateway rows", None)
    loaded_until = _newest_gateway_load(database)
    steps.append(_measure("dbt seed", [*cli, "build", "--database", str(database), "--resource-type", "seed"], env=env))
    steps.append(
        _measure(
            "dbt run: full (all models)",
            [*cli, "build", "--database", str(database), "--resource-type", "model", "--full-refresh"],
            env=env,
        )
    )
    full_run_results = _model_timings()
    for delivery in held:
        shutil.move(str(parked_dir / delivery.name), str(delivery))
    steps.append(_measure("load (the last day)", [*cli, "load", "--raw", str(raw), "--database", str(database)], env=env))
    replicate("replicate the last day", loaded_until)
    steps.append(_measure("dbt run: incremental day", [*cli, "build", "--database", str(database), "--resource-type", "model"], env=env))
    incremental_run_results = _model_timings()
    new_rows = _new_gateway_rows(database, loaded_until)

    dashboard = (
        "import os, sys, time; sys.path.insert(0, 'app'); import data_access as d;"
        "m = d.available_months()[0]; t = time.perf_counter();"
        "[f() for f in (d.monthly_totals, lambda: d.chargeback(m, 'Workflow'), lambda: d.team_movers(m, None),"
        " lambda: d.attribution_coverage(m), d.billing_reconciliation, d.source_row_accounting)];"
        "print(f'queries {time.perf_counter() - t:.3f}')"
    )
    steps.append(_measure("dashboard queries (6, cold)", _python(dashboard), env={"AI_FINOPS_DUCKDB_PATH": str(database)}))
    floor = (
        "import duckdb, json, sys, time;"
        f" con = duckdb.connect(sys.argv[1], read_only=True, config={{'memory_limit': {FLOOR_MEMORY_LIMIT!r},"
        f" 'temp_directory': {str(workdir / 'floor.tmp')!r}}}); con.execute('set enable_progress_bar = false'); t = time.perf_counter();"
        f"rows = con.execute({FLOOR_SQL!r}).fetchall(); s = time.perf_counter() - t;"
        f"models = con.execute({MODELS_GATEWAY_SQL!r}).fetchone()[0];"
        "print(json.dumps({'floor_rows': len(rows), 'floor_list_cost': sum(r[4] or 0 for r in rows), 'models_list_cost': models, 'query_seconds': s}))"
    )
    floor_step = _measure("floor: one hand-written query", [sys.executable, "-c", floor, str(database)])
    steps.append(floor_step)
    check = json.loads(floor_step["output"].strip().splitlines()[-1])
    by_step = {s["step"]: s for s in steps}
    full, incremental = by_step["dbt run: full (all models)"], by_step["dbt run: incremental day"]
    summary = {
        "rows": rows,
        "days": DAYS,
        "incremental_new_gateway_rows": new_rows,
        "memory_limit": MEMORY_LIMIT,
        "floor_memory_limit": FLOOR_MEMORY_LIMIT,
        "generated_scale": round(scale, 6),
        "gateway_copies": copies,
        "steps": [{k: v for k, v in s.items() if k != "output"} for s in steps],
        "full_vs_floor": round(full["seconds"] / floor_step["seconds"], 2),
        "incremental_vs_full": round(incremental["seconds"] / full["seconds"], 3),
        "full_vs_floor_cpu": round(full["cpu_seconds"] / floor_step["cpu_seconds"], 2),
        "incremental_vs_full_cpu": round(incremental["cpu_seconds"] / full["cpu_seconds"], 3),
        "cores": os.cpu_count(),
        "peak_rss_mib": max(s["peak_rss_mib"] for s in steps),
        "dbt_peak_rss_mib": max(s["peak_rss_mib"] for s in steps if s["step"].startswith("dbt")),
        "load_average_1m": [round(x, 2) for x in os.getloadavg()],
        "floor_check": check,
        "full_model_seconds": full_run_results,
        "incremental_model_seconds": incremental_run_results,
    }
    print(
        f"\nfull model build / floor = {summary['full_vs_floor']}x ; incremental day / full build = "
        f"{summary['incremental_vs_full']:.1%} ; peak memory {summary['peak_rss_mib']:,} MiB (dbt {summary['dbt_peak_rss_mib']:,} MiB)\n"
        f"by CPU time: full / floor = {summary['full_vs_floor_cpu']}x ; incremental / full = {summary['incremental_vs_full_cpu']:.1%}\n"
        f"floor gateway list cost ${check['floor_list_cost']:,.2f} vs models ${check['models_list_cost']:,.2f}\n"
        f"incremental day: {new_rows:,} new gateway rows ({new_rows / rows:.1%} of N)\n"
        f"slowest models, full: {list(full_run_results.items())[:5]}\n"
        f"slowest models, incremental: {list(incremental_run_results.items())[:5]}"
    )
    if not keep:
        shutil.rmtree(raw, ignore_errors=True)
    return summary
