"""OpenAI's non-token usage endpoints (images, audio, moderations, vector stores, code interpreter,
file search, web search) from the generated pages to int_usage_units_daily: every row and every unit
accounted for against the generator's truth, in its own unit, and never priced at $0."""

from __future__ import annotations

import pytest

from ai_finops.demo.openai_other import ENDPOINTS

# endpoint -> (quantity field, unit in int_usage_units_daily, field counted as request_count or None)
UNITS = {
    "usage_images": ("images", "images", "num_model_requests"),
    "usage_audio_speeches": ("characters", "characters", "num_model_requests"),
    "usage_audio_transcriptions": ("seconds", "seconds", "num_model_requests"),
    "usage_moderations": ("input_tokens", "tokens", "num_model_requests"),
    "usage_vector_stores": ("usage_bytes", "gibibyte_hours", None),
    "usage_code_interpreter_sessions": ("num_sessions", "sessions", None),
    "usage_file_search_calls": ("num_requests", "calls", None),
    "usage_web_search_calls": ("num_requests", "calls", "num_model_requests"),
}


PRICED_ENDPOINTS = {"audio_speeches", "audio_transcriptions", "code_interpreter_sessions"}


def test_every_documented_endpoint_is_generated(manifest):
    truth = manifest["openai_other_usage"]["totals"]
    assert set(truth) == set(ENDPOINTS) == set(UNITS)
    for endpoint, totals in truth.items():
        assert totals["rows"] > 0, endpoint
        assert any(f.startswith(f"openai/{endpoint}/") for f in manifest["openai_other_usage"]["files"])


@pytest.mark.parametrize("endpoint", list(UNITS))
def test_raw_rows_are_all_staged_and_accounted_for(marts, manifest, endpoint):
    rows = manifest["openai_other_usage"]["totals"][endpoint]["rows"]
    accounting = marts.execute(
        """select raw_rows, staged_rows, quarantined_rows, superseded_rows
           from main_marts.fct_source_row_accounting where source_name = 'openai' and source_table = ?""",
        [endpoint],
    ).fetchone()
    assert accounting == (rows, rows, 0, 0)
    assert marts.execute(f"select count(*) from raw.openai_{endpoint}").fetchone()[0] == rows
    assert marts.execute(f"select count(*) from main_staging.stg_openai__{endpoint}").fetchone()[0] == rows


@pytest.mark.parametrize("endpoint", list(UNITS))
def test_units_reach_the_normalised_grain_exactly(marts, manifest, endpoint):
    quantity_field, unit, request_field = UNITS[endpoint]
    truth = manifest["openai_other_usage"]["totals"][endpoint]
    name = endpoint.removeprefix("usage_")
    rows, quantity, requests, units, priced = marts.execute(
        """select count(*), sum(usage_quantity), sum(request_count), list(distinct quantity_unit), count(list_cost)
           from main_intermediate.int_usage_units_daily where usage_endpoint = ?""",
        [name],
    ).fetchone()
    assert rows == truth["rows"]
    if name == "vector_stores":
        # a stored level becomes GiB-hours over its (daily) bucket: what OpenAI bills, additive over days
        assert quantity == pytest.approx(truth[quantity_field] / 2**30 * 24, rel=1e-12)
    else:
        assert int(quantity) == truth[quantity_field]
    assert units == [unit]
    assert requests == (truth[request_field] if request_field else None)
    # LiteLLM 1.106.2 prices speech per character, transcription per second and code-interpreter sessions;
    # the other endpoints have no unit price in the book: null, never $0
    assert priced == (rows if name in PRICED_ENDPOINTS else 0)


def test_units_never_enter_the_token_grain(marts):
    """The token grain is unchanged: no row of a non-token model, no images counted as tokens."""
    models = {r[0] for r in marts.execute("select distinct reported_model from main_intermediate.int_usage_provider_daily").fetchall()}
    assert not models & {"gpt-image-1", "tts-1", "whisper-1", "omni-moderation-latest"}
    statuses = {r[0] for r in marts.execute("select distinct pricing_status from main_intermediate.int_usage_units_daily").fetchall()}
    assert statuses == {"priced", "unpriced_no_unit_price"}


def test_unit_rows_are_priced_from_the_unit_price_seed(marts):
    """list_cost = quantity x the seed's unit price (LiteLLM 1.106.2: tts-1 per character, whisper-1 per
    input second, code interpreter per `container` session); the rest has no unit price in the map
    (gpt-image-1 only per quality, which the Usage API does not report; gpt-4o web search; moderations,
    storage, file search): list_cost null, never 0."""
    import csv

    from .conftest import PROJECT

    with open(PROJECT / "seeds" / "pricing" / "ai_finops__unit_prices.csv", newline="") as f:
        seed = {
            (r["model_id"], r["unit_price_type"], r["usage_detail"]): float(r["usd_per_unit"])
            for r in csv.DictReader(f)
            if not r["valid_to"]
        }
    expected_price = {
        "audio_speeches": seed[("tts-1", "input_character", "*")],
        "audio_transcriptions": seed[("whisper-1", "input_second", "*")],
        "code_interpreter_sessions": seed[("container", "session", "*")],
    }
    assert expected_price == {"audio_speeches": 1.5e-05, "audio_transcriptions": 0.0001, "code_interpreter_sessions": 0.03}
    rows = marts.execute(
        """select usage_endpoint, count(*), count(list_cost), sum(usage_quantity), sum(list_cost),
                  sum(case when list_cost = 0 then 1 else 0 end)
           from main_intermediate.int_usage_units_daily group by 1"""
    ).fetchall()
    for endpoint, n, n_costed, quantity, list_cost, zeros in rows:
        assert zeros == 0, endpoint
        if endpoint in expected_price:
            assert n_costed == n and list_cost == pytest.approx(quantity * expected_price[endpoint], rel=1e-12), endpoint
        else:
            assert n_costed == 0 and list_cost is None, endpoint


def test_unit_usage_flows_into_the_cost_mart_with_owners(marts):
    """Unit rows reach fct_ai_cost_daily whole (same quantity and list cost as int_usage_units_daily),
    as usage_kind 'units' with no tokens, owned like token usage of the same key/project (the demo's
    unit usage is on owned direct keys and projects: never unallocated); unpriced rows keep a null cost."""
    units = marts.execute(
        """select usage_endpoint, sum(usage_quantity), sum(list_cost), count(list_cost)
           from main_intermediate.int_usage_units_daily group by 1 order by 1"""
    ).fetchall()
    daily = marts.execute(
        """select usage_endpoint, sum(usage_quantity), sum(list_cost), count(list_cost)
           from main_marts.fct_ai_cost_daily where usage_kind = 'units' group by 1 order by 1"""
    ).fetchall()
    assert [r[0] for r in daily] == [r[0] for r in units]
    for (endpoint, q_units, cost_units, _), (_, q_daily, cost_daily, _) in zip(units, daily, strict=True):
        assert q_daily == pytest.approx(q_units, rel=1e-12), endpoint
        assert (cost_daily is None) == (cost_units is None), endpoint
        if cost_units is not None:
            assert cost_daily == pytest.approx(cost_units, rel=1e-12), endpoint
    tokens, methods, teams, zero_cost = marts.execute(
        """select sum(total_tokens), list(distinct attribution_method order by attribution_method),
                  count(distinct team_id) filter (where team_id = 'unallocated'),
                  count(*) filter (where list_cost = 0)
           from main_marts.fct_ai_cost_daily where usage_kind = 'units'"""
    ).fetchone()
    assert tokens == 0 and zero_cost == 0 and teams == 0
    assert set(methods) <= {"api_key_owner", "container_owner"} and "api_key_owner" in methods
    # the same key's token usage and unit usage land on the same team
    mismatched = marts.execute(
        """with unit_keys as (
               select distinct provider_key_id, usage_date, team_id from main_intermediate.int_usage_attributed
               where usage_kind = 'units' and provider_key_id is not null),
           token_keys as (
               select distinct provider_key_id, usage_date, team_id from main_intermediate.int_usage_attributed
               where usage_kind = 'tokens' and provider_key_id is not null)
           select count(*) from unit_keys join token_keys using (provider_key_id, usage_date)
           where unit_keys.team_id <> token_keys.team_id"""
    ).fetchone()[0]
    assert mismatched == 0
    unpriced_daily, unpriced_chargeback = marts.execute(
        """select (select count(*) from main_marts.fct_ai_cost_daily where usage_kind = 'units' and pricing_status <> 'priced'),
                  (select sum(unpriced_unit_usage_rows) from main_marts.fct_chargeback_monthly)"""
    ).fetchone()
    assert unpriced_daily > 0 and unpriced_chargeback == unpriced_daily


def test_costs_api_unit_lines_reconcile_to_unit_usage(marts, manifest):
    """The demo's Costs API bills the unit usage on its own lines (generator truth per month): the
    reconciliation mart shows them apart; the part our unit price book prices equals our contracted
    cost of that usage, the rest is explained by unpriced unit usage, and the spread puts the unpriced
    unit bills on the unpriced unit rows exactly."""
    truth = manifest["openai_other_usage"]["costs_api_unit_lines_by_month"]
    assert set(truth) == {"2026-08", "2026-09", "2026-10"}
    rows = marts.execute(
        """select strftime(billing_month, '%Y-%m'), billed_unit_usage_cost, billed_priced_unit_usage_cost,
                  computed_unit_usage_contracted_cost, unit_usage_variance, explained_by_unpriced_unit_usage,
                  unpriced_unit_usage_rows, unexplained_variance_pct
           from main_marts.fct_billing_reconciliation_monthly where provider = 'openai' order by 1"""
    ).fetchall()
    assert [r[0] for r in rows] == sorted(truth)
    for month, billed, billed_priced, computed, variance, explained, unpriced_rows, unexplained_pct in rows:
        t = truth[month]
        assert billed == pytest.approx(t["billed"], abs=1e-5), month
        assert billed_priced == pytest.approx(t["billed_book_priced"], abs=1e-5), month
        assert explained == pytest.approx(t["billed_unpriced"], abs=1e-5), month
        assert computed == pytest.approx(t["billed_book_priced"], abs=1e-5), month  # billed at the book's unit prices
        assert abs(variance) < 1e-5 and unpriced_rows > 0, month
        assert abs(unexplained_pct) < 0.005, month
    spread = dict(
        marts.execute(
            """select strftime(usage_date, '%Y-%m'), sum(billed_cost) from main_marts.fct_ai_cost_daily
               where usage_kind = 'units' and pricing_status <> 'priced' group by 1"""
        ).fetchall()
    )
    for month, t in truth.items():
        assert spread[month] == pytest.approx(t["billed_unpriced"], abs=1e-5), month
