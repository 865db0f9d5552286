"""End to end on generated data: every planted event lands where it should, and money reconciles
against the generator's independent truth (manifest.json)."""

from __future__ import annotations

import math
from datetime import date

from .conftest import run_cli

TOKEN_KEYS = (
    "uncached_input_tokens",
    "cache_read_tokens",
    "cache_write_5m_tokens",
    "output_tokens",
    "input_audio_tokens",
    "cache_read_audio_tokens",
    "output_audio_tokens",
    "input_image_tokens",
    "cache_read_image_tokens",
    "output_image_tokens",
)


def expected_in_scope(manifest: dict) -> dict:
    """Every provider's usage report is loaded, so tokens and dollars are everything billed.
    Request counts exist only where a source counts them: OpenAI's usage API and the gateway."""
    totals = manifest["totals"]
    expected = {key: totals["billable_all_sources"][key] for key in ("list_cost", *TOKEN_KEYS)}
    openai = [totals["by_provider_route"]["openai|direct"], totals["by_provider_route"]["openai|gateway"]]
    others = [v for p, v in totals["gateway_logged_billable_by_provider"].items() if p != "openai"]
    expected["requests"] = sum(part["requests"] for part in openai + others)
    # usage priced per unit (images, audio, tools): its list cost is what the generator billed for the
    # units the unit price book prices (billed at the book's unit prices); requests where the endpoint
    # counts model requests (web-search model requests are already in completions)
    units = manifest["openai_other_usage"]
    expected["list_cost"] += sum(m["billed_book_priced"] for m in units["costs_api_unit_lines_by_month"].values())
    expected["requests"] += sum(
        units["totals"][e]["num_model_requests"]
        for e in ("usage_images", "usage_audio_speeches", "usage_audio_transcriptions", "usage_moderations")
    )
    return expected


def mart_totals(marts) -> dict:
    row = marts.execute(
        """
        select sum(request_count), sum(list_cost), sum(uncached_input_tokens), sum(cache_read_tokens),
               sum(cache_write_5m_tokens), sum(output_tokens), sum(input_audio_tokens), sum(cache_read_audio_tokens),
               sum(output_audio_tokens), sum(input_image_tokens), sum(cache_read_image_tokens), sum(output_image_tokens)
        from main_marts.fct_ai_cost_daily
        """
    ).fetchone()
    return dict(zip(("requests", "list_cost", *TOKEN_KEYS), row, strict=True))


def test_marts_reconcile_to_the_generators_truth(marts, manifest):
    expected = expected_in_scope(manifest)
    actual = mart_totals(marts)
    assert math.isclose(actual["list_cost"], expected["list_cost"], rel_tol=1e-9), (actual, expected)
    for key in ("requests", *TOKEN_KEYS):
        assert int(actual[key]) == int(expected[key]), key
    chargeback = marts.execute(
        "select sum(list_cost), sum(request_count), sum(contracted_cost) from main_marts.fct_chargeback_monthly where line_type = 'usage'"
    ).fetchone()
    assert math.isclose(chargeback[0], expected["list_cost"], rel_tol=1e-9)
    assert chargeback[1] == expected["requests"]
    # negotiated discounts (seeds/contracts) computed in SQL equal the generator's own application
    truth = manifest["totals"]["billable_all_sources"]["contracted_cost"] + sum(
        m["billed_book_priced"] for m in manifest["openai_other_usage"]["costs_api_unit_lines_by_month"].values()
    )  # no contract covers the unit-priced models (tts-1, whisper-1, code interpreter)
    assert math.isclose(chargeback[2], truth, rel_tol=1e-9)
    assert chargeback[2] < chargeback[0]


def test_unknown_model_is_unpriced_not_zero(marts, manifest):
    event = next(e for e in manifest["planted_events"] if e["id"] == "unknown_model")
    unpriced = marts.execute(
        "select sum(total_tokens), count(*), count(list_cost) from main_marts.fct_ai_cost_daily where pricing_status <> 'priced'"
    ).fetchone()
    assert unpriced[0] == event["tokens"]
    assert unpriced[1] > 0 and unpriced[2] == 0  # every unpriced row has a null cost, none a zero
    chargeback = marts.execute("select sum(unpriced_tokens) from main_marts.fct_chargeback_monthly").fetchone()[0]
    assert chargeback == event["tokens"]


def test_redelivered_exports_are_not_double_counted(marts, manifest):
    raw_rows = marts.execute("select count(*) from raw.litellm_spend_logs").fetchone()[0]
    staged = marts.execute("select count(*) from main_staging.stg_litellm__spend_logs").fetchone()[0]
    duplicated = next(e for e in manifest["planted_events"] if e["id"] == "duplicate_export")["spend_log_rows_duplicated"]
    assert duplicated > 0
    assert raw_rows - staged == duplicated
    assert staged == manifest["totals"]["gateway"]["logged_requests"]
    raw_usage = marts.execute("select count(*) from raw.openai_usage_completions").fetchone()[0]
    staged_usage = marts.execute("select count(*) from main_staging.stg_openai__usage_completions").fetchone()[0]
    assert raw_usage > staged_usage  # the re-delivered page was dropped whole


def test_late_arriving_rows_are_counted(marts):
    late = marts.execute(
        """
        select count(*), count(distinct staged.request_id)
        from raw.litellm_spend_logs as raw
        inner join main_staging.stg_litellm__spend_logs as staged on raw.request_id = staged.request_id
        where raw._loaded_from_file like '%2026-10-29-late%'
        """
    ).fetchone()
    assert late[0] > 0 and late[0] == late[1]
    days = marts.execute(
        """
        select distinct cast(start_time as date) from raw.litellm_spend_logs
        where _loaded_from_file like '%2026-10-29-late%'
        """
    ).fetchall()
    assert days == [(date(2026, 10, 27),)]


def test_reorg_moves_spend_from_its_date_on(marts):
    rows = marts.execute(
        """
        select usage_date >= date '2026-09-16' as after_reorg, list(distinct cost_center_id)
        from main_marts.fct_ai_cost_daily where team_id = 'recommendations' group by 1 order by 1
        """
    ).fetchall()
    assert rows == [(False, ["cc-1001"]), (True, ["cc-1002"])]
    owners = marts.execute(
        """
        select usage_date >= date '2026-10-01' as after_transfer, list(distinct team_id)
        from main_intermediate.int_usage_attributed where provider_key_id = 'key_SalesCallNotesProd'
        group by 1 order by 1
        """
    ).fetchall()
    assert owners == [(False, ["sales-engineering"]), (True, ["growth"])]


def test_runaway_weekend_stands_out(marts, manifest):
    daily = dict(
        marts.execute(
            "select usage_date, sum(list_cost) from main_marts.fct_ai_cost_daily where workflow_id = 'deal-desk-agent' group by 1"
        ).fetchall()
    )
    ordinary = sorted(daily.values())[len(daily) // 2]
    assert daily[date(2026, 10, 10)] > 20 * ordinary
    event = next(e for e in manifest["planted_events"] if e["id"] == "runaway_agent_loop")
    weekend = sum(v for d, v in daily.items() if date(2026, 10, 10) <= d <= date(2026, 10, 12))
    assert weekend >= event["list_cost"]


def test_gateway_log_gap_is_reconciled_from_every_provider(marts, manifest):
    gap = next(e for e in manifest["planted_events"] if e["id"] == "gateway_log_gap")
    reconciled = dict(
        marts.execute(
            """
            select provider, sum(list_cost) from main_intermediate.int_usage_priced
            where source_system = 'gateway_reconciliation' and usage_date = date '2026-09-03'
            group by 1
            """
        ).fetchall()
    )
    assert set(reconciled) == set(gap["by_provider_list_cost"])
    for provider, cost in gap["by_provider_list_cost"].items():
        assert math.isclose(reconciled[provider], cost, abs_tol=1e-5), provider
    elsewhere = marts.execute(
        "select count(*) from main_intermediate.int_usage_priced where source_system = 'gateway_reconciliation' and usage_date <> date '2026-09-03'"
    ).fetchone()[0]
    assert elsewhere == 0  # outside the planted gap the gateway and the providers agree exactly


def test_every_provider_matches_the_truth(marts, manifest):
    by_route = manifest["totals"]["by_provider_route"]
    actual = {
        row[0]: row[1:]
        for row in marts.execute(
            "select provider, sum(list_cost), sum(uncached_input_tokens), sum(cache_read_tokens), sum(output_tokens) from main_marts.fct_ai_cost_daily group by 1"
        ).fetchall()
    }
    for provider in ("openai", "anthropic", "aws_bedrock", "azure_openai", "google_vertex"):
        parts = [v for k, v in by_route.items() if k.split("|")[0] == provider]
        expected = [sum(p[key] for p in parts) for key in ("list_cost", "uncached_input_tokens", "cache_read_tokens", "output_tokens")]
        if provider == "openai":  # plus the unit-priced usage (images, audio, tools) at the book's unit prices
            expected[0] += sum(m["billed_book_priced"] for m in manifest["openai_other_usage"]["costs_api_unit_lines_by_month"].values())
        assert math.isclose(actual[provider][0], expected[0], rel_tol=1e-9), provider
        assert [int(x) for x in actual[provider][1:]] == expected[1:], provider


def test_every_raw_row_is_staged_quarantined_or_superseded(marts):
    rows = marts.execute(
        "select source_table_id, raw_rows, staged_rows, quarantined_rows, superseded_rows from main_marts.fct_source_row_accounting"
    ).fetchall()
    assert len(rows) == 21  # 20 usage/cost tables (11 of them OpenAI: 10 usage endpoints + costs) + business outcomes
    for table, raw, staged, quarantined, superseded in rows:
        assert raw == staged + quarantined + superseded, table
        assert quarantined == 0, table  # the demo data is clean; bad input is tested in test_bad_input.py


def test_pooled_keys_are_ruled_or_left_unallocated_never_lost(marts, manifest):
    """The planted unowned spend: sandbox gateway keys are claimed by the virtual-tag rule, the
    shared OpenAI project stays on the unallocated usage line (shared out later)."""
    ruled, unallocated = marts.execute(
        """
        select sum(case when attribution_method = 'virtual_tag_rule' then list_cost else 0 end),
               sum(case when team_id = 'unallocated' then list_cost else 0 end)
        from main_marts.fct_ai_cost_daily
        """
    ).fetchone()
    event = next(e for e in manifest["planted_events"] if e["id"] == "pooled_keys_no_owner")
    assert ruled > 0 and unallocated > 0
    assert math.isclose(ruled + unallocated, event["list_cost_visible_to_attribution"], abs_tol=1e-5)  # manifest rounds to 6 dp


def test_loading_the_same_files_again_changes_no_total(demo_raw, built_database, manifest):
    import duckdb

    with duckdb.connect(str(built_database), read_only=True) as con:
        before = mart_totals(con)
    run_cli("load", "--raw", str(demo_raw), "--database", str(built_database))
    run_cli("build", "--database", str(built_database), "--warn-error")
    with duckdb.connect(str(built_database), read_only=True) as con:
        after = mart_totals(con)
    # float sums may differ in the last bits with aggregation order; counts must be exact
    assert math.isclose(after.pop("list_cost"), before.pop("list_cost"), rel_tol=1e-12)
    assert after == before


def test_switching_sources_off_still_builds(built_database, tmp_path, manifest):
    """A user without Azure, GCP or OTel data turns them off; the rest builds and reconciles."""
    import shutil

    import duckdb

    database = tmp_path / "subset.duckdb"
    shutil.copyfile(built_database, database)
    off = "{ai_finops__using_azure: false, ai_finops__using_gcp: false, ai_finops__using_otel: false}"
    run_cli("build", "--database", str(database), "--warn-error", "--vars", off)
    with duckdb.connect(str(database), read_only=True) as con:
        accounted = {row[0] for row in con.execute("select source_name from main_marts.fct_source_row_accounting").fetchall()}
        sources = dict(con.execute("select provider, list(distinct source_system) from main_marts.fct_ai_cost_daily group by 1").fetchall())
    assert accounted == {"openai", "litellm", "anthropic", "aws_bedrock", "outcomes"}
    # with its export off, Azure and Vertex usage is counted from the gateway alone
    assert sources["azure_openai"] == ["litellm_gateway"]
    assert sources["google_vertex"] == ["litellm_gateway"]


def test_computed_cost_reconciles_to_every_providers_bill(marts, manifest):
    rows = marts.execute(
        "select billing_month, provider, billed_cost, explained_by_unpriced_models, unexplained_variance_pct from main_marts.fct_billing_reconciliation_monthly"
    ).fetchall()
    assert len(rows) == 15  # 3 months x 5 providers, each with a billing source
    for month, provider, billed, explained, unexplained_pct in rows:
        assert abs(unexplained_pct) < 0.005, (month, provider)
        key = f"{month:%Y-%m}|{provider}"
        expected_bill = manifest["totals"]["provider_cost_by_month_provider"][key]
        if provider == "openai":  # plus the Costs API lines for images, audio and tools
            expected_bill += manifest["openai_other_usage"]["costs_api_unit_lines_by_month"][f"{month:%Y-%m}"]["billed"]
        assert math.isclose(billed, expected_bill, abs_tol=1e-4), key
        if provider == "openai":
            assert explained > 0  # the fine-tuned model is billed but not priced by us


def test_voice_audio_tokens_are_priced_at_their_audio_rates(marts, manifest):
    """The demo's voice calls (OpenAI audio model through the gateway) carry audio tokens from the
    spend logs and the Usage API to the marts, priced at the audio rates of the price-book seed."""
    import csv
    from pathlib import Path

    event = next(e for e in manifest["planted_events"] if e["id"] == "voice_audio_tokens")
    cost, input_audio, output_audio = marts.execute(
        """
        select sum(list_cost), sum(input_audio_tokens), sum(output_audio_tokens)
        from main_marts.fct_ai_cost_daily where model_id = ?
        """,
        [event["model"]],
    ).fetchone()
    assert (input_audio, output_audio) == (event["input_audio_tokens"], event["output_audio_tokens"]) and input_audio > 0
    assert math.isclose(cost, event["list_cost"], rel_tol=1e-9)
    # no demo model prices audio at a text rate (the warn test would name it)
    assert marts.execute("select sum(modality_fallback_tokens) from main_marts.fct_ai_cost_daily").fetchone()[0] == 0
    seed = Path(__file__).resolve().parents[2] / "seeds" / "pricing" / "ai_finops__model_prices.csv"
    with open(seed, newline="") as f:
        rates = {
            r["token_type"]: float(r["usd_per_million_tokens"])
            for r in csv.DictReader(f)
            if (r["provider"], r["model_id"], r["service_tier"], r["context_tier"]) == ("openai", event["model"], "standard", "standard")
        }
    assert rates["input_audio"] > rates["input"] and rates["output_audio"] > rates["output"]
    focus = dict(
        marts.execute(
            """
            select split_part(sku_id, '/', 2), sum(list_cost) from main_marts.fct_focus_cost_and_usage
            where sku_id in (? || '/input-audio', ? || '/output-audio') group by 1
            """,
            [event["model"], event["model"]],
        ).fetchall()
    )
    assert math.isclose(focus["input-audio"], input_audio * rates["input_audio"] / 1e6, rel_tol=1e-9)
    assert math.isclose(focus["output-audio"], output_audio * rates["output_audio"] / 1e6, rel_tol=1e-9)


def test_gemini_audio_tokens_from_audio_skus_and_usage_metadata(marts, manifest):
    """The demo's Gemini audio calls (direct on Vertex): the billing export's `Audio Input` SKUs feed
    input_audio_tokens (inside uncached input) priced at the audio rate of the price-book seed, and the
    same calls' usageMetadata AUDIO entries stage the same tokens; the bill reconciles exactly."""
    import csv
    from pathlib import Path

    event = next(e for e in manifest["planted_events"] if e["id"] == "gemini_audio_tokens")
    audio, audio_cost = marts.execute(
        """
        select sum(input_audio_tokens), sum(audio_list_cost) from main_intermediate.int_usage_priced
        where provider = 'google_vertex' and model_id = ?
        """,
        [event["model"]],
    ).fetchone()
    seed = Path(__file__).resolve().parents[2] / "seeds" / "pricing" / "ai_finops__model_prices.csv"
    with open(seed, newline="") as f:
        rates = {
            r["token_type"]: float(r["usd_per_million_tokens"])
            for r in csv.DictReader(f)
            if (r["provider"], r["model_id"], r["service_tier"], r["context_tier"], r["valid_to"])
            == ("google_vertex", event["model"], "standard", "standard", "")
        }
    assert audio == event["input_audio_tokens"] > 0
    assert rates["input_audio"] > rates["input"]
    assert math.isclose(audio_cost, audio * rates["input_audio"] / 1e6, rel_tol=1e-9)
    mart_audio = marts.execute(
        "select sum(input_audio_tokens) from main_marts.fct_ai_cost_daily where provider = 'google_vertex'"
    ).fetchone()[0]
    assert mart_audio == event["input_audio_tokens"]
    sku_tokens = marts.execute(
        """
        select sum(token_count) from main_staging.stg_gcp__billing_export
        where token_modality = 'audio' and token_class = 'input'
        """
    ).fetchone()[0]
    assert sku_tokens == event["input_audio_tokens"]
    responses, metadata_audio = marts.execute(
        """
        select count(*) filter (where input_audio_tokens > 0), sum(input_audio_tokens)
        from main_staging.stg_gcp__gemini_usage_metadata
        """
    ).fetchone()
    assert (responses, metadata_audio) == (event["requests"], event["input_audio_tokens"])
    unexplained = marts.execute(
        """
        select max(abs(unexplained_variance)) from main_marts.fct_billing_reconciliation_monthly
        where provider = 'google_vertex'
        """
    ).fetchone()[0]
    assert unexplained < 1e-6


def test_bedrock_usage_in_a_region_is_priced_at_its_regional_price(marts, manifest):
    """The demo's us-gov-west-1 Nova Lite calls (CUR product_region_code) are priced at the regional
    price point of the seed (LiteLLM's bedrock/us-gov-west-1/... key), the rest at the global one; the
    CUR bill reconciles and FOCUS shows the regional SKU price."""
    import csv
    from pathlib import Path

    event = next(e for e in manifest["planted_events"] if e["id"] == "bedrock_regional_price")
    tokens, cost, regions = marts.execute(
        """
        select [sum(uncached_input_tokens), sum(cache_read_tokens), sum(output_tokens)], sum(list_cost),
               list(distinct price_region)
        from main_intermediate.int_usage_priced where provider = 'aws_bedrock' and region = ?
        """,
        [event["region"]],
    ).fetchone()
    assert tokens == [event["uncached_input_tokens"], event["cache_read_tokens"], event["output_tokens"]] and tokens[0] > 0
    assert regions == [event["region"]]
    assert math.isclose(cost, event["list_cost"], rel_tol=1e-9, abs_tol=1e-8)  # the manifest rounds to 1e-9
    seed = Path(__file__).resolve().parents[2] / "seeds" / "pricing" / "ai_finops__model_prices.csv"
    with open(seed, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["provider"] == "aws_bedrock" and r["service_tier"] == "standard"]
    regional = {
        r["token_type"]: float(r["usd_per_million_tokens"]) for r in rows if r["model_id"] == f"{event['region']}/{event['model_id']}"
    }
    global_ = {r["token_type"]: float(r["usd_per_million_tokens"]) for r in rows if r["model_id"] == event["model_id"]}
    by_rates = lambda rates: (tokens[0] * rates["input"] + tokens[1] * rates["cache_read"] + tokens[2] * rates["output"]) / 1e6  # noqa: E731
    assert math.isclose(cost, by_rates(regional), rel_tol=1e-9)
    assert by_rates(regional) > by_rates(global_) * 1.15  # GovCloud is 20% dearer
    # the same model elsewhere stays at the global price
    elsewhere = marts.execute(
        """
        select count(*), count(price_region) from main_intermediate.int_usage_priced
        where provider = 'aws_bedrock' and model_id = ? and coalesce(region, '') <> ?
        """,
        [event["model_id"], event["region"]],
    ).fetchone()
    assert elsewhere[0] > 0 and elsewhere[1] == 0
    focus = marts.execute(
        "select sum(list_cost) from main_marts.fct_focus_cost_and_usage where sku_price_id like ?", [f"%/{event['region']}"]
    ).fetchone()[0]
    assert math.isclose(focus, cost, rel_tol=1e-9)
    unexplained = marts.execute(
        "select max(abs(unexplained_variance)) from main_marts.fct_billing_reconciliation_monthly where provider = 'aws_bedrock'"
    ).fetchone()[0]
    assert unexplained < 1e-6


def test_azure_data_zone_usage_is_priced_at_the_data_zone_price(marts, manifest):
    """The demo's Data Zone calls (DZone/Dz meters on legal's eastus2 resource) are priced at the US
    data-zone point of the seed (LiteLLM's azure/us/... key), the same model's global deployment at the
    global point; Azure rows carry their region into FOCUS; the Azure bill reconciles."""
    import csv
    from pathlib import Path

    event = next(e for e in manifest["planted_events"] if e["id"] == "azure_data_zone_price")
    assert (event["region"], event["data_zone"]) == ("eastus2", "us") and event["requests"] > 0
    tokens, cost, zones = marts.execute(
        """
        select [sum(uncached_input_tokens), sum(cache_read_tokens), sum(output_tokens)], sum(list_cost),
               list(distinct price_region)
        from main_intermediate.int_usage_priced where provider = 'azure_openai' and deployment_type = 'data_zone'
        """
    ).fetchone()
    assert tokens == [event["uncached_input_tokens"], event["cache_read_tokens"], event["output_tokens"]] and tokens[0] > 0
    assert zones == [event["data_zone"]]
    assert math.isclose(cost, event["list_cost"], rel_tol=1e-9, abs_tol=1e-8)  # the manifest rounds to 1e-9
    seed = Path(__file__).resolve().parents[2] / "seeds" / "pricing" / "ai_finops__model_prices.csv"
    with open(seed, newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["provider"] == "azure_openai" and r["service_tier"] == "standard"]
    zone = {r["token_type"]: float(r["usd_per_million_tokens"]) for r in rows if r["model_id"] == f"us/{event['model_id']}"}
    global_ = {r["token_type"]: float(r["usd_per_million_tokens"]) for r in rows if r["model_id"] == event["model_id"]}
    by_rates = lambda rates: (tokens[0] * rates["input"] + tokens[1] * rates["cache_read"] + tokens[2] * rates["output"]) / 1e6  # noqa: E731
    assert math.isclose(cost, by_rates(zone), rel_tol=1e-9)
    assert by_rates(zone) > by_rates(global_) * 1.09  # a data zone costs 10% more than global
    # the same model on the global deployment of the same resource stays at the global price
    global_rows = marts.execute(
        """
        select count(*), count(price_region), list(distinct region) from main_intermediate.int_usage_priced
        where provider = 'azure_openai' and source_system = 'azure_cost_export' and deployment_type = 'global'
          and model_id = ?
        """,
        [event["model_id"]],
    ).fetchone()
    assert global_rows[0] > 0 and global_rows[1] == 0 and global_rows[2] == ["eastus2"]
    focus_zone = marts.execute(
        "select sum(list_cost), list(distinct region_id), list(distinct region_name) from main_marts.fct_focus_cost_and_usage "
        "where sku_price_id like 'azure_openai/%/us'"
    ).fetchone()
    assert math.isclose(focus_zone[0], cost, rel_tol=1e-9) and focus_zone[1] == ["eastus2"] and focus_zone[2] == ["eastus2"]
    # every Azure cost-export row reaches FOCUS with its region; the gateway's Azure rows have none
    focus_regions = marts.execute(
        """
        select list(distinct coalesce(region_id, '<null>') order by coalesce(region_id, '<null>'))
        from main_marts.fct_focus_cost_and_usage where sku_price_id like 'azure_openai/%' and charge_category = 'Usage'
        """
    ).fetchone()[0]
    assert focus_regions == ["<null>", "eastus2"]
    unexplained = marts.execute(
        "select max(abs(unexplained_variance_pct)) from main_marts.fct_billing_reconciliation_monthly where provider = 'azure_openai'"
    ).fetchone()[0]
    assert unexplained < 0.005  # the bar: < 0.5% per provider-month


def test_vertex_rows_carry_their_region_at_the_models_price(marts):
    """GCP billing-export rows carry location.region (the demo's us-central1) into the usage grain and
    FOCUS RegionId, but no regional Vertex price exists in LiteLLM's map: none is applied."""
    regions, priced_regionally = marts.execute(
        """
        select list(distinct region), count(price_region) from main_intermediate.int_usage_priced
        where provider = 'google_vertex' and source_system = 'gcp_billing_export'
        """
    ).fetchone()
    assert regions == ["us-central1"] and priced_regionally == 0
    # the gateway's Vertex rows have no region (LiteLLM logs do not say)
    focus = marts.execute(
        """
        select list(distinct coalesce(region_id, '<null>') order by coalesce(region_id, '<null>')),
               sum(case when region_id = 'us-central1' then list_cost end)
        from main_marts.fct_focus_cost_and_usage where sku_price_id like 'google_vertex/%' and charge_category = 'Usage'
        """
    ).fetchone()
    cost = marts.execute(
        "select sum(list_cost) from main_intermediate.int_usage_priced where provider = 'google_vertex' and region = 'us-central1'"
    ).fetchone()[0]
    assert focus[0] == ["<null>", "us-central1"] and math.isclose(focus[1], cost, rel_tol=1e-9)
