"""`ai-finops`: demo data, loading, dbt build and the dashboard from one command line."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

DEFAULT_RAW = Path("data/raw")
DEFAULT_DATABASE = Path("data/ai_finops.duckdb")
DEMO_BUDGET_SCALE = 0.03  # --scale the amounts in seeds/governance/ai_finops__budgets.csv are sized for


def project_dir() -> Path:
    """The dbt project root: the working directory if it has dbt_project.yml, else the source checkout."""
    cwd = Path.cwd()
    if (cwd / "dbt_project.yml").exists():
        return cwd
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "dbt_project.yml").exists():
        return checkout
    sys.exit("ai-finops: run this from the ai_finops project directory (no dbt_project.yml found)")


def ensure_profile(project: Path) -> Path:
    """dbt reads profiles.yml from a directory; use the project's example profile unless told otherwise."""
    if os.environ.get("DBT_PROFILES_DIR"):
        return Path(os.environ["DBT_PROFILES_DIR"])
    profiles_dir = project / ".dbt"
    profiles_dir.mkdir(exist_ok=True)
    target = profiles_dir / "profiles.yml"
    source = project / "profiles.example.yml"
    if not target.exists() or target.read_text() != source.read_text():
        # atomic: a dbt started in parallel never reads a half-written profile
        partial = profiles_dir / f".profiles.yml.{os.getpid()}"
        shutil.copyfile(source, partial)
        os.replace(partial, target)
    return profiles_dir


def dbt_target_path() -> Path:
    """Where dbt writes its artefacts: `target/`, or DBT_TARGET_PATH (relative to the project) when set."""
    return project_dir() / os.environ.get("DBT_TARGET_PATH", "target")


def _step(msg: str) -> None:
    print(f"\n==> {msg}", flush=True)


def run_dbt(args: list[str], database: Path | None = None) -> int:
    project = project_dir()
    env = dict(os.environ)
    if database is not None:
        env["AI_FINOPS_DUCKDB_PATH"] = str(database.resolve())
    dbt = shutil.which("dbt", path=str(Path(sys.executable).parent)) or shutil.which("dbt") or "dbt"
    command = [dbt, *args, "--project-dir", str(project), "--profiles-dir", str(ensure_profile(project))]
    print("$ " + " ".join(command), flush=True)
    return subprocess.call(command, cwd=project, env=env)


def cmd_generate(ns: argparse.Namespace) -> int:
    from ai_finops.demo.generator import generate

    generate(Path(ns.out), project_dir(), scale=ns.scale, seed=ns.seed, days=ns.days)
    return 0


def cmd_seeds(ns: argparse.Namespace) -> int:
    from ai_finops.demo.seeds import write_seeds

    for path in write_seeds(project_dir()):
        print(f"wrote {path}")
    return 0


def cmd_load(ns: argparse.Namespace) -> int:
    from ai_finops.load import load

    load(Path(ns.raw), Path(ns.database), schema=ns.schema, log=lambda m: print(f"[load] {m}", flush=True))
    return 0


def _day(value: str) -> datetime:
    """A YYYY-MM-DD date as naive UTC midnight."""
    try:
        return datetime.combine(date.fromisoformat(value), datetime.min.time())
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from None


def cmd_extract(ns: argparse.Namespace) -> int:
    from ai_finops.extract import ExtractError, extract

    try:
        extract(
            ns.provider,
            Path(ns.database),
            since=ns.since,
            until=ns.until,
            base_url=ns.base_url,
            lookback_days=ns.lookback_days,
            ignore_state=ns.ignore_state,
            log=lambda m: print(f"[extract] {m}", flush=True),
        )
    except ExtractError as exc:
        print(f"ai-finops extract: {exc}", file=sys.stderr)
        return 1
    return 0


def report_dbt_failures(since: float) -> list[str]:
    """Name every failed or errored node of the dbt run that wrote target/run_results.json after `since`."""
    results = dbt_target_path() / "run_results.json"
    if not results.exists() or results.stat().st_mtime < since:
        return []
    import json

    failed = [
        f"{r['unique_id'].split('.')[2]} ({r['status']}{', ' + str(r['failures']) + ' failing rows' if r.get('failures') else ''})"
        for r in json.loads(results.read_text())["results"]
        if r["status"] in ("fail", "error", "runtime error")
    ]
    if failed:
        print(f"ai-finops: dbt build failed; {len(failed)} node(s) failed: " + "; ".join(failed), file=sys.stderr, flush=True)
    return failed


def cmd_build(ns: argparse.Namespace) -> int:
    started = time.time()
    if getattr(ns, "publish", False):
        return _build_and_publish(ns, started)
    code = run_dbt(["build", *ns.dbt_args], Path(ns.database))
    if code:
        report_dbt_failures(started)
    return code


def _build_and_publish(ns: argparse.Namespace, started: float) -> int:
    """dbt build on a copy (<name>.building.duckdb), then os.replace() it over the database: readers (the
    dashboard, opening the file read-only per query) keep answering from the previous build meanwhile."""
    database = Path(ns.database)
    building = database.with_name(database.stem + ".building.duckdb")
    building.unlink(missing_ok=True)
    if database.exists():
        shutil.copyfile(database, building)
    code = run_dbt(["build", *ns.dbt_args], building)
    if code:
        report_dbt_failures(started)
        print(f"dbt build failed; {database} was left untouched (the failed build is in {building})", file=sys.stderr)
        return code
    os.replace(building, database)
    print(f"published {database} ({time.time() - started:.0f}s)", flush=True)
    return 0


def cmd_freshness(ns: argparse.Namespace) -> int:
    """dbt source freshness: warns, then errors, when a landing table stops receiving loads."""
    return run_dbt(["source", "freshness", *ns.dbt_args], Path(ns.database))


def cmd_refresh_prices(ns: argparse.Namespace) -> int:
    from datetime import date

    from ai_finops.prices import refresh

    if not ns.litellm_version and not ns.litellm_json:
        sys.exit("ai-finops refresh-prices: give --litellm-version (downloads the wheel) or --litellm-json")
    summary = refresh(
        project_dir(),
        snapshot=date.fromisoformat(ns.snapshot_date) if ns.snapshot_date else date.today(),
        version=ns.litellm_version,
        json_path=Path(ns.litellm_json) if ns.litellm_json else None,
        backfill_from=date.fromisoformat(ns.backfill_from) if ns.backfill_from else None,
        providers=set(ns.providers.split(",")) if ns.providers else None,
    )
    print(
        f"[prices] {summary['source']}: {summary['token_prices_in_map']} token prices read; "
        f"{summary['added']} price points added, {summary['changed']} changed (old window closed), {summary['unchanged']} unchanged, "
        f"{summary['manual_kept']} kept (manual rows win); {summary['catalog_added']} models added to the catalog"
    )
    print(
        f"[prices] unit prices (per image/character/second/query/session): {summary['unit_prices_in_map']} read; "
        f"{summary['unit_added']} added, {summary['unit_changed']} changed, {summary['unit_unchanged']} unchanged, "
        f"{summary['unit_manual_kept']} kept (manual)"
    )
    return 0


def cmd_focus_export(ns: argparse.Namespace) -> int:
    from ai_finops.focus import export

    try:
        written = export(Path(ns.database), Path(ns.out), schema=ns.schema)
    except FileNotFoundError as exc:
        print(f"ai-finops focus-export: {exc}", file=sys.stderr)
        return 1
    print(f"[focus] {written['rows']} rows -> {written['parquet']} and {written['csv']}")
    if not ns.validate:
        return 0
    from ai_finops.focus import run_validator

    validator = Path(ns.validator)
    if not validator.exists():
        print(f"ai-finops focus-export: no focus-validator at {validator}; run `make focus-validator` (needs Python 3.12)", file=sys.stderr)
        return 1
    status = 0
    for kind in ("parquet", "csv"):
        report = run_validator(written[kind], validator, written[kind].with_suffix(f".{kind}.junit.xml"))
        print(
            f"[focus] focus-validator 2.2.1 on {kind}: {report['checks']} checks, {report['passed']} passed, "
            f"{report['skipped']} skipped, {len(report['failed'])} failed ({len(report['unexpected_failures'])} unexpected)"
        )
        for rule, outcome, message in report["failed"]:
            print(f"    {outcome}: {rule} {message[:200]}")
        status = status or (1 if report["unexpected_failures"] else 0)
    return status


def cmd_benchmark(ns: argparse.Namespace) -> int:
    import json

    from ai_finops.benchmark import run

    summary = run(ns.rows, Path(ns.workdir), seed=ns.seed, keep=ns.keep_raw)
    if ns.json:
        Path(ns.json).write_text(json.dumps(summary, indent=2) + "\n")
    return 0


def cmd_benchmark_app(ns: argparse.Namespace) -> int:
    """Render time of every dashboard page (AppTest, after warm-up) over a built database."""
    from ai_finops.app_benchmark import markdown, record, run

    database = Path(ns.database)
    if not database.exists():
        print(f"ai-finops benchmark-app: {database} does not exist (run `ai-finops demo` first)", file=sys.stderr)
        return 2
    summary = run(database, project_dir() / "app" / "streamlit_app.py", rounds=ns.rounds)
    print(markdown(summary), flush=True)
    if ns.record:
        record(summary, Path(ns.record))
    if ns.json:
        Path(ns.json).write_text(json.dumps(summary, indent=2) + "\n")
    return 0


def cmd_check(ns: argparse.Namespace) -> int:
    """Great Expectations gates over the raw tables and the public marts; non-zero on any breach."""
    from ai_finops.quality.gx_checks import print_report, run_checks
    from ai_finops.quality.gx_snowflake import run_snowflake_checks, select_warehouse

    try:
        warehouse = select_warehouse(ns.target, Path(ns.database), marts_schema=ns.marts_schema)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    if warehouse.kind == "snowflake":  # GX's Snowflake SQL datasource: the tables are validated where they are
        report = run_snowflake_checks(warehouse, Path(ns.docs_dir or "data/gx"))
        print_report(report, log=lambda m: print(m, file=sys.stdout if report.success else sys.stderr, flush=True))
        return 0 if report.success else 1
    database = Path(ns.database)
    if not database.exists():
        print(f"ai-finops check: {database} does not exist (run `ai-finops build` first)", file=sys.stderr)
        return 2
    as_of = _day(ns.as_of) if ns.as_of else None
    report = run_checks(database, Path(ns.docs_dir) if ns.docs_dir else database.parent / "gx", as_of=as_of)
    print_report(report, log=lambda m: print(m, file=sys.stdout if report.success else sys.stderr, flush=True))
    return 0 if report.success else 1


def cmd_profile(ns: argparse.Namespace) -> int:
    print(ensure_profile(project_dir()) / "profiles.yml")
    return 0


def cmd_dashboard(ns: argparse.Namespace) -> int:
    env = dict(os.environ, AI_FINOPS_DUCKDB_PATH=str(Path(ns.database).resolve()))
    app = project_dir() / "app" / "streamlit_app.py"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(ns.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]
    print(f"Dashboard: http://localhost:{ns.port}  (Ctrl+C to stop)", flush=True)
    return subprocess.call(command, env=env)


def cmd_demo(ns: argparse.Namespace) -> int:
    """Generate -> load -> dbt build, into a fresh database file swapped in atomically at the end."""
    started = time.time()
    database = Path(ns.database)
    building = database.with_name(database.stem + ".building.duckdb")
    building.unlink(missing_ok=True)
    _step(f"1/3 generating the demo dataset into {ns.raw}")
    if cmd_generate(argparse.Namespace(out=ns.raw, scale=ns.scale, seed=ns.seed, days=ns.days)):
        return 1
    _step(f"2/3 loading raw files into {building}")
    cmd_load(argparse.Namespace(raw=ns.raw, database=building, schema="raw"))
    _step("3/3 dbt build (seeds, models, tests)")
    # the seeded demo budgets are sized for the 0.03-scale test dataset; spend grows linearly with --scale
    # (and so are the demo commitments in seeds/contracts/ai_finops__commitments.csv)
    budget_scale = json.dumps(
        {
            "ai_finops__budget_amount_scale": round(ns.scale / DEMO_BUDGET_SCALE, 6),
            "ai_finops__commitment_amount_scale": round(ns.scale / DEMO_BUDGET_SCALE, 6),
        }
    )
    build_started = time.time()
    if run_dbt(["build", "--vars", budget_scale], building):
        report_dbt_failures(build_started)
        print("dbt build failed; the previous database (if any) was left untouched", file=sys.stderr)
        return 1
    if not ns.skip_check:
        from ai_finops.quality.gx_checks import print_report, reset_history, run_checks

        _step("quality gate: Great Expectations over the raw tables and the marts")
        docs_dir = database.parent / "gx"
        reset_history(docs_dir, database)  # a new warehouse: no volume history to compare with
        report = run_checks(building, docs_dir, history_key=database)
        print_report(report, log=lambda m: print(m, flush=True))
        if not report.success:
            print("quality gate failed; the previous database (if any) was left untouched", file=sys.stderr)
            return 1
    # Readers (the dashboard) never see a half-built file.
    os.replace(building, database)
    print(f"\nDemo built in {time.time() - started:.0f}s -> {database}", flush=True)
    return 0


def cmd_alerts(ns: argparse.Namespace) -> int:
    """New budget / anomaly / policy alerts as JSON lines (and to a webhook), each sent once."""
    import duckdb

    from ai_finops.alerts import collect_alerts, send_alerts

    with duckdb.connect(ns.database, read_only=True) as con:
        alerts = collect_alerts(con)
    sent, failed = send_alerts(alerts, sys.stdout, Path(ns.state_file) if ns.state_file else None, ns.webhook)
    print(f"[alerts] {sent} new, {len(alerts) - sent - failed} already sent, {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def cmd_enforcement_feed(ns: argparse.Namespace) -> int:
    """Keys/teams over a hard cap or breaking a high-severity policy, as LiteLLM key/team settings."""
    import duckdb

    from ai_finops.alerts import apply_feed, enforcement_feed

    with duckdb.connect(ns.database, read_only=True) as con:
        feed = enforcement_feed(con, ns.policy_days)
    feed["dry_run"] = ns.dry_run or not ns.litellm_url
    print(json.dumps(feed, indent=1, default=str))
    if feed["dry_run"]:
        return 0
    master_key = os.environ.get("LITELLM_MASTER_KEY")
    if not master_key:
        print("enforcement-feed: set LITELLM_MASTER_KEY to apply the feed (or use --dry-run)", file=sys.stderr)
        return 2
    for target, status in apply_feed(feed, ns.litellm_url, master_key):
        print(f"[enforcement-feed] {target}: HTTP {status}", file=sys.stderr)
    return 0


def cmd_estimate(ns: argparse.Namespace) -> int:
    import json

    from ai_finops.estimate import Candidate, EstimateRequest, estimate, format_table

    end = ns.requests_per_day if ns.requests_per_day_end is None else ns.requests_per_day_end
    req = EstimateRequest(
        candidates=[Candidate.parse(c) for c in ns.model],
        requests_per_day_start=ns.requests_per_day,
        requests_per_day_end=end,
        ramp_days=ns.ramp_days,
        input_tokens_per_request=ns.input_tokens,
        output_tokens_per_request=ns.output_tokens,
        start_date=date.fromisoformat(ns.start_date) if ns.start_date else date.today(),
        months=ns.months,
        cache_hit_share=ns.cache_hit_share,
        batch_share=ns.batch_share,
        service_tier=ns.service_tier,
        team_id=ns.team_id,
        workflow_id=ns.workflow_id,
        quality_reference=Candidate.parse(ns.quality_of) if ns.quality_of else None,
        volume_uncertainty=ns.volume_uncertainty,
        token_uncertainty=ns.token_uncertainty,
        input_audio_tokens_per_request=ns.input_audio_tokens,
        input_image_tokens_per_request=ns.input_image_tokens,
        output_audio_tokens_per_request=ns.output_audio_tokens,
        output_image_tokens_per_request=ns.output_image_tokens,
    )
    try:
        result = estimate(req, project_dir())
    except ValueError as exc:
        print(f"ai-finops estimate: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=2) if ns.format == "json" else format_table(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ai-finops", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def add_db(p: argparse.ArgumentParser) -> None:
        p.add_argument("--database", default=str(DEFAULT_DATABASE), help="DuckDB file (default: %(default)s)")

    def add_gen(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--scale",
            type=float,
            default=0.4,
            help="request-volume multiplier (default %(default)s = ~1.5M gateway rows; rows grow linearly)",
        )
        p.add_argument("--seed", type=int, default=42)
        p.add_argument("--days", type=int, default=90)

    p = sub.add_parser("generate", help="write the demo raw files and manifest.json")
    p.add_argument("--out", default=str(DEFAULT_RAW))
    add_gen(p)
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser("demo-seeds", help="rewrite seeds/ownership/*.csv from the demo company definition")
    p.set_defaults(func=cmd_seeds)

    p = sub.add_parser("load", help="load raw files into the DuckDB raw schema (idempotent)")
    p.add_argument("--raw", default=str(DEFAULT_RAW))
    p.add_argument("--schema", default="raw")
    add_db(p)
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("extract", help="extract usage and cost reports from a provider's admin API into the raw schema")
    p.add_argument("provider", choices=["openai", "anthropic"], help="reads the admin key from OPENAI_ADMIN_KEY / ANTHROPIC_ADMIN_KEY")
    add_db(p)
    p.add_argument("--since", type=_day, help="first day to extract (UTC) on an endpoint's first run; later runs resume from saved state")
    p.add_argument("--until", type=_day, help="extract buckets before this day (UTC; default: now)")
    p.add_argument("--base-url", help="API base URL (default: $OPENAI_ADMIN_BASE_URL / $ANTHROPIC_ADMIN_BASE_URL or the provider's)")
    p.add_argument(
        "--lookback-days",
        type=int,
        default=2,
        help="re-extract this many days before the saved state: reports are restated until the day closes (default %(default)s)",
    )
    p.add_argument("--ignore-state", action="store_true", help="start from --since even when a saved state exists (backfill)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("build", help="dbt build with the project's profile; extra args go to dbt")
    add_db(p)
    p.add_argument(
        "--publish", action="store_true", help="build a copy and swap it in atomically when done (the dashboard keeps answering)"
    )
    p.set_defaults(func=cmd_build, passes_extra_args=True)

    p = sub.add_parser("freshness", help="dbt source freshness of the raw tables (thresholds: ai_finops__*freshness* vars)")
    add_db(p)
    p.set_defaults(func=cmd_freshness, passes_extra_args=True)

    p = sub.add_parser("refresh-prices", help="merge a LiteLLM price-map snapshot into seeds/pricing (effective-dated)")
    p.add_argument("--litellm-version", help="litellm wheel to read the map from, e.g. 1.106.2 (downloaded, not installed)")
    p.add_argument("--litellm-json", help="or a model_prices_and_context_window.json file")
    p.add_argument("--snapshot-date", help="date the prices take effect (default: today)")
    p.add_argument("--backfill-from", help="valid_from for price points seen for the first time (default: the snapshot date)")
    p.add_argument("--providers", help="comma-separated provider ids to keep (default: all mapped providers)")
    p.set_defaults(func=cmd_refresh_prices)

    p = sub.add_parser("focus-export", help="write the FOCUS 1.2 Cost and Usage file (Parquet + CSV, FOCUS column names)")
    add_db(p)
    p.add_argument("--out", default="data/focus", help="output directory (default: %(default)s)")
    p.add_argument("--schema", default="main_marts", help="schema holding the marts (default: %(default)s)")
    p.add_argument(
        "--validate", action="store_true", help="run the FinOps Foundation focus-validator on both files (exit 1 on a failed rule)"
    )
    p.add_argument("--validator", default=".venv-focus/bin/focus-validator", help="focus-validator executable (default: %(default)s)")
    p.set_defaults(func=cmd_focus_export)

    p = sub.add_parser("benchmark", help="time generate/load/full and incremental dbt runs/dashboard queries against a hand-written floor")
    p.add_argument("--rows", type=int, default=20_000_000, help="gateway request rows to generate (default: %(default)s)")
    p.add_argument("--workdir", default="data/benchmark", help="where the raw files and database go (default: %(default)s)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--json", help="also write the figures to this JSON file")
    p.add_argument("--keep-raw", action="store_true", help="keep the generated raw files")
    p.set_defaults(func=cmd_benchmark)
    p = sub.add_parser("benchmark-app", help="render time of every dashboard page (AppTest, after warm-up); --record docs/benchmark.md")
    add_db(p)
    p.add_argument("--rounds", type=int, default=5, help="renders per page and mode (default %(default)s)")
    p.add_argument("--record", help="write the figures into this Markdown file (between its benchmark-app markers)")
    p.add_argument("--json", help="also write the figures as JSON")
    p.set_defaults(func=cmd_benchmark_app)

    p = sub.add_parser("check", help="Great Expectations checkpoint over raw tables and marts (run after build); writes Data Docs")
    add_db(p)
    p.add_argument("--docs-dir", help="where Data Docs and the volume history go (default: gx/ beside the database)")
    p.add_argument("--as-of", help="YYYY-MM-DD the freshness checks measure from (default: now)")
    p.add_argument(
        "--target", help="duckdb or snowflake (default: $AI_FINOPS_TARGET, else duckdb); snowflake reads the SNOWFLAKE_* variables"
    )
    p.add_argument("--marts-schema", help="schema of the marts on Snowflake (default: <SNOWFLAKE_SCHEMA>_marts)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("profile", help="write .dbt/profiles.yml from profiles.example.yml and print its path")
    p.set_defaults(func=cmd_profile)

    p = sub.add_parser("demo", help="generate + load + dbt build the demo end to end")
    p.add_argument("--raw", default=str(DEFAULT_RAW))
    add_db(p)
    add_gen(p)
    p.add_argument("--skip-check", action="store_true", help="skip the Great Expectations quality gate after the build")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("dashboard", help="serve the Streamlit dashboard over the marts")
    add_db(p)
    p.add_argument("--port", type=int, default=8501)
    p.set_defaults(func=cmd_dashboard)

    p = sub.add_parser("alerts", help="emit new budget/anomaly/policy alerts as JSON lines (optionally to a Slack-compatible webhook)")
    add_db(p)
    p.add_argument("--webhook", help="Slack-compatible incoming-webhook URL; each new alert is posted there")
    p.add_argument("--state-file", help="JSON file remembering the alerts already sent (no duplicates on re-run)")
    p.set_defaults(func=cmd_alerts)

    p = sub.add_parser("enforcement-feed", help="keys/teams over a hard cap or policy as LiteLLM key/team budget settings (JSON)")
    add_db(p)
    p.add_argument("--dry-run", action="store_true", help="print the settings only (also the default without --litellm-url)")
    p.add_argument("--litellm-url", help="LiteLLM proxy to apply the settings to (/key/update, /team/update; LITELLM_MASTER_KEY)")
    p.add_argument("--policy-days", type=int, default=7, help="look-back for high-severity policy violations (default %(default)s)")
    p.set_defaults(func=cmd_enforcement_feed)

    p = sub.add_parser(
        "estimate", help="cost-impact estimate of a planned feature per candidate model (same price book and contracts as the marts)"
    )
    p.add_argument("--model", action="append", required=True, help="candidate provider:model_id (repeat for several)")
    p.add_argument("--requests-per-day", type=float, required=True, help="requests per day at the start of the ramp")
    p.add_argument("--requests-per-day-end", type=float, help="requests per day after the ramp (default: no ramp)")
    p.add_argument("--ramp-days", type=int, default=0, help="days of linear ramp from start to end (default %(default)s)")
    p.add_argument("--input-tokens", type=float, required=True, help="mean input tokens per request")
    p.add_argument("--output-tokens", type=float, required=True, help="mean output tokens per request")
    p.add_argument("--start-date", help="first day of traffic, YYYY-MM-DD (default: today)")
    p.add_argument("--months", type=int, default=3, help="calendar months to estimate (default %(default)s)")
    p.add_argument("--cache-hit-share", type=float, default=0.0, help="share of input tokens read from the prompt cache (0-1)")
    p.add_argument("--batch-share", type=float, default=0.0, help="share of requests sent through the batch tier (0-1)")
    p.add_argument("--service-tier", default="standard", help="price tier of the non-batch requests (default %(default)s)")
    p.add_argument("--team-id", help="owning team")
    p.add_argument("--workflow-id", help="owning workflow")
    p.add_argument("--quality-of", help="quality tier: provider:model_id the answer must be as good as (model_substitutions seed)")
    p.add_argument("--volume-uncertainty", type=float, default=0.3, help="+/- share on request volume for low/high (default %(default)s)")
    p.add_argument(
        "--token-uncertainty", type=float, default=0.2, help="+/- share on tokens per request for low/high (default %(default)s)"
    )
    for flag, what in (
        ("--input-audio-tokens", "input audio tokens per request (inside --input-tokens)"),
        ("--input-image-tokens", "input image tokens per request (inside --input-tokens)"),
        ("--output-audio-tokens", "output audio tokens per request (inside --output-tokens)"),
        ("--output-image-tokens", "output image tokens per request (inside --output-tokens)"),
    ):
        p.add_argument(flag, type=float, default=0.0, help=f"{what}, priced at its own rate (default %(default)s)")
    p.add_argument("--format", choices=["table", "json"], default="table")
    p.set_defaults(func=cmd_estimate)

    ns, extra = parser.parse_known_args(argv)
    if extra and not getattr(ns, "passes_extra_args", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    ns.dbt_args = extra
    return ns.func(ns)


if __name__ == "__main__":
    raise SystemExit(main())
