{#-
    Every optimization recommendation the rules find, before ranking. Grain: one row per
    recommendation type x scope (workload = team x workflow x provider x model; key; model).
    Savings are over the trailing window (ai_finops__optimization_lookback_days) at list prices,
    each recommendation on its own; fct_optimization_recommendations ranks the ones touching the
    same tokens and computes incremental savings so the total never double counts.
    Currency: savings are in the reporting currency. Usage list_cost already is; prices re-read from
    the USD price book are converted per usage row at its day's rate (price_fx_rate, as in
    int_usage_priced) and commitment offers (USD a month) at the window end's rate; a missing rate
    gives null, never a rate of 1.0.
-#}
{%- set lookback_days = var('ai_finops__optimization_lookback_days') -%}
{%- set min_requests = var('ai_finops__optimization_min_requests') -%}
{%- set unallocated = var('ai_finops__unallocated_label') -%}
{%- set string = dbt.type_string() -%}
{%- set reporting_in_usd = var('ai_finops__reporting_currency') | upper == 'USD' -%}
{%- set money_sign = '$' if reporting_in_usd else var('ai_finops__reporting_currency') ~ ' ' -%}
{%- set double = ai_finops.type_double() -%}
{%- set key_types = "'api_key', 'gateway_key', 'iam_role', 'azure_deployment', 'gcp_service_account'" -%}

with attributed as (

    select * from {{ ref('int_usage_attributed') }}

),

prices as (

    select * from {{ ref('int_model_prices') }}

),

profiles as (

    select * from {{ ref('int_gateway_request_profiles_summarized') }}

),

substitutions as (

    select * from {{ ai_finops.reference_table('model_substitutions') }}

),

offers_usd as (

    select * from {{ ai_finops.reference_table('commitment_offers') }}

),

usd_rates as (

    select * from {{ ref('int_fx_rates_daily') }}
    where currency = 'USD'

),

deprecations as (

    select * from {{ ai_finops.reference_table('model_deprecations') }}

),

owners as (

    select * from {{ ai_finops.reference_table('account_owners') }}

),

workflows as (

    select * from {{ ai_finops.reference_table('workflows') }}

),

window_bounds as (

    select
        cast({{ dbt.dateadd('day', 1 - lookback_days, 'max(usage_date)') }} as date) as window_start,
        max(usage_date) as window_end
    from attributed

),

-- offer prices in the reporting currency at the window end's rate (null without a rate)
offers as (

    select
        offers_usd.offer_id,
        offers_usd.provider,
        offers_usd.model_id,
        offers_usd.offer_type,
        offers_usd.max_tokens_per_month,
        offers_usd.assumption_note,
        usd_rates.rate_to_reporting_currency as usd_rate,
        {% if reporting_in_usd -%}
            offers_usd.usd_per_month
        {%- else -%}
            offers_usd.usd_per_month * usd_rates.rate_to_reporting_currency
        {%- endif %} as price_per_month
    from offers_usd
    cross join window_bounds
    left join usd_rates
        on window_bounds.window_end = usd_rates.rate_day

),

usage as (

    select
        attributed.*,
        window_bounds.window_start,
        window_bounds.window_end,
        attributed.uncached_input_tokens + attributed.cache_read_tokens
        + attributed.cache_write_5m_tokens + attributed.cache_write_1h_tokens as input_tokens
    from attributed
    cross join window_bounds
    where attributed.usage_date >= window_bounds.window_start
        and attributed.usage_date <= window_bounds.window_end
        -- token usage only: usage priced per unit (images, audio seconds, tools) has no tokens to reprice
        and attributed.usage_kind = 'tokens'

),

workloads as (

    select
        team_id,
        workflow_id,
        provider,
        model_id,
        min(window_start) as window_start,
        min(window_end) as window_end,
        sum(request_count) as request_count,
        -- per-request means only over rows whose source counts requests
        sum(case when request_count is not null then input_tokens end) * 1.0
        / nullif(sum(request_count), 0) as avg_input_tokens_per_request,
        sum(case when request_count is not null then output_tokens end) * 1.0
        / nullif(sum(request_count), 0) as avg_output_tokens_per_request,
        sum(cache_read_tokens) * 1.0 / nullif(sum(input_tokens), 0) as cache_read_share,
        sum(reasoning_tokens) * 1.0 / nullif(sum(output_tokens), 0) as reasoning_share,
        sum(case when service_tier = 'batch' then input_tokens + output_tokens else 0 end) * 1.0
        / nullif(sum(input_tokens + output_tokens), 0) as batch_share,
        sum(list_cost) as list_cost,
        sum(case when list_cost is null then 1 else 0 end) as unpriced_rows
    from usage
    group by 1, 2, 3, 4

),

-- 1. model downgrade: the same tokens at the substitute model's prices (same tier, same day)
downgrade_priced as (

    select
        usage.team_id,
        usage.workflow_id,
        usage.provider,
        usage.model_id,
        substitutions.substitute_model_id,
        substitutions.max_output_tokens_per_request,
        substitutions.quality_note,
        count(*) as usage_rows,
        count(substitute.price_point_id) as repriced_rows,
        sum(usage.list_cost) as current_list_cost,
        sum(
            -- audio/image subsets at the substitute price point's own audio/image rates
            {{ ai_finops.token_list_usd_per_million('usage', 'substitute') }} / 1000000.0 * usage.price_fx_rate
        ) as substitute_list_cost
    from usage
    inner join substitutions
        on usage.provider = substitutions.provider
            and usage.model_id = substitutions.premium_model_id
    left join prices as substitute
        on substitutions.provider = substitute.provider
            and substitutions.substitute_model_id = substitute.model_id
            and usage.service_tier = substitute.service_tier
            and usage.context_tier = substitute.context_tier
            and usage.usage_date >= substitute.valid_from
            and usage.usage_date < substitute.valid_to
    group by 1, 2, 3, 4, 5, 6, 7

),

downgrade_ranked as (

    select
        downgrade_priced.*,
        workloads.window_start,
        workloads.window_end,
        workloads.request_count,
        workloads.avg_input_tokens_per_request,
        workloads.avg_output_tokens_per_request,
        workloads.list_cost as workload_list_cost,
        row_number() over (
            partition by
                downgrade_priced.team_id, downgrade_priced.workflow_id,
                downgrade_priced.provider, downgrade_priced.model_id
            order by
                downgrade_priced.current_list_cost - downgrade_priced.substitute_list_cost desc,
                downgrade_priced.substitute_model_id
        ) as substitute_rank
    from downgrade_priced
    inner join workloads
        on downgrade_priced.team_id = workloads.team_id
            and downgrade_priced.workflow_id = workloads.workflow_id
            and downgrade_priced.provider = workloads.provider
            and downgrade_priced.model_id = workloads.model_id
    where downgrade_priced.repriced_rows = downgrade_priced.usage_rows
        and workloads.unpriced_rows = 0
        and workloads.request_count >= {{ min_requests }}
        and (
            downgrade_priced.max_output_tokens_per_request is null
            or workloads.avg_output_tokens_per_request <= downgrade_priced.max_output_tokens_per_request
        )
        and downgrade_priced.current_list_cost > downgrade_priced.substitute_list_cost

),

model_downgrade as (

    select
        'model_downgrade' as recommendation_type,
        'workflow' as scope_type,
        workflow_id as scope_id,
        team_id,
        workflow_id,
        provider,
        model_id,
        'move to ' || substitute_model_id as recommended_change,
        window_start,
        window_end,
        request_count,
        avg_input_tokens_per_request,
        cast(null as {{ double }}) as p95_input_tokens,
        avg_output_tokens_per_request,
        cast(null as {{ double }}) as cache_read_share,
        cast(null as {{ double }}) as reasoning_share,
        cast(null as {{ double }}) as batch_share,
        cast(null as {{ double }}) as hourly_spread,
        cast(null as {{ double }}) as daily_token_cv,
        cast(null as {{ double }}) as break_even_tokens_per_month,
        workload_list_cost,
        current_list_cost - substitute_list_cost as window_list_savings,
        'same tokens, same service tier, priced at ' || substitute_model_id
        || ' list prices (int_model_prices); quality: ' || quality_note as savings_assumption,
        cast(request_count as {{ string }}) || ' requests averaging '
        || cast(round(avg_output_tokens_per_request, 1) as {{ string }}) || ' output tokens on '
        || model_id || ' (classification-like traffic); $'
        || cast(round(current_list_cost, 2) as {{ string }}) || ' at list over the window would cost $'
        || cast(round(substitute_list_cost, 2) as {{ string }}) || ' on ' || substitute_model_id as evidence,
        case when max_output_tokens_per_request is not null then 'high' else 'medium' end as confidence,
        'open' as recommendation_status
    from downgrade_ranked
    where substitute_rank = 1

),

-- 2. prompt caching: a share of the prompt assumed to be a repeated prefix, read from the cache
caching_priced as (

    select
        team_id,
        workflow_id,
        provider,
        model_id,
        sum(
            case
                when input_usd_per_million > cache_read_usd_per_million
                    -- the cached prefix is text: audio/image input (at their own rates) never moves
                    then greatest(
                            least(
                                {{ var('ai_finops__caching_target_cache_read_share') }} * input_tokens
                                - cache_read_tokens,
                                uncached_input_tokens
                                - coalesce(input_audio_tokens, 0) - coalesce(input_image_tokens, 0)
                            ),
                            0
                        ) * (input_usd_per_million - cache_read_usd_per_million) / 1000000.0 * price_fx_rate
                else 0
            end
        ) as caching_list_savings
    from usage
    group by 1, 2, 3, 4

),

prompt_caching as (

    select
        'prompt_caching' as recommendation_type,
        'workflow' as scope_type,
        workloads.workflow_id as scope_id,
        workloads.team_id,
        workloads.workflow_id,
        workloads.provider,
        workloads.model_id,
        'cache the repeated prompt prefix (system prompt, shared context)' as recommended_change,
        workloads.window_start,
        workloads.window_end,
        workloads.request_count,
        workloads.avg_input_tokens_per_request,
        cast(null as {{ double }}) as p95_input_tokens,
        workloads.avg_output_tokens_per_request,
        workloads.cache_read_share,
        cast(null as {{ double }}) as reasoning_share,
        cast(null as {{ double }}) as batch_share,
        cast(null as {{ double }}) as hourly_spread,
        cast(null as {{ double }}) as daily_token_cv,
        cast(null as {{ double }}) as break_even_tokens_per_month,
        workloads.list_cost as workload_list_cost,
        caching_priced.caching_list_savings as window_list_savings,
        'cache reads reach {{ var("ai_finops__caching_target_cache_read_share") }} of input tokens,'
        || ' the added cache reads priced at the cache-read rate instead of the input rate;'
        || ' cache-write premiums not included' as savings_assumption,
        'prompts average '
        || cast(cast(round(workloads.avg_input_tokens_per_request, 0) as {{ dbt.type_bigint() }}) as {{ string }})
        || ' tokens with only ' || cast(round(100 * workloads.cache_read_share, 1) as {{ string }})
        || '% read from the provider cache' as evidence,
        'medium' as confidence,
        'open' as recommendation_status
    from workloads
    inner join caching_priced
        on workloads.team_id = caching_priced.team_id
            and workloads.workflow_id = caching_priced.workflow_id
            and workloads.provider = caching_priced.provider
            and workloads.model_id = caching_priced.model_id
    where workloads.unpriced_rows = 0
        and workloads.request_count >= {{ min_requests }}
        and workloads.avg_input_tokens_per_request >= {{ var('ai_finops__caching_min_input_tokens_per_request') }}
        and workloads.cache_read_share < {{ var('ai_finops__caching_max_cache_read_share') }}
        and caching_priced.caching_list_savings > 0

),

-- 3. batch API: standard-tier tokens of a latency-tolerant workload at the batch price point
batch_priced as (

    select
        usage.team_id,
        usage.workflow_id,
        usage.provider,
        usage.model_id,
        count(*) as usage_rows,
        count(batch.price_point_id) as repriced_rows,
        sum(usage.list_cost) as standard_list_cost,
        sum(
            -- audio/image subsets at the batch price point's own audio/image rates
            {{ ai_finops.token_list_usd_per_million('usage', 'batch') }} / 1000000.0 * usage.price_fx_rate
        ) as batch_list_cost
    from usage
    left join prices as batch
        on usage.provider = batch.provider
            and usage.model_id = batch.model_id
            and batch.service_tier = 'batch'
            and usage.context_tier = batch.context_tier
            and usage.usage_date >= batch.valid_from
            and usage.usage_date < batch.valid_to
    where usage.service_tier = 'standard'
    group by 1, 2, 3, 4

),

batch_api as (

    select
        'batch_api' as recommendation_type,
        'workflow' as scope_type,
        workloads.workflow_id as scope_id,
        workloads.team_id,
        workloads.workflow_id,
        workloads.provider,
        workloads.model_id,
        'send the standard-tier traffic through the batch API' as recommended_change,
        workloads.window_start,
        workloads.window_end,
        workloads.request_count,
        workloads.avg_input_tokens_per_request,
        cast(null as {{ double }}) as p95_input_tokens,
        workloads.avg_output_tokens_per_request,
        cast(null as {{ double }}) as cache_read_share,
        cast(null as {{ double }}) as reasoning_share,
        workloads.batch_share,
        profiles.hourly_spread,
        cast(null as {{ double }}) as daily_token_cv,
        cast(null as {{ double }}) as break_even_tokens_per_month,
        workloads.list_cost as workload_list_cost,
        batch_priced.standard_list_cost - batch_priced.batch_list_cost as window_list_savings,
        'all standard-tier tokens priced at the batch price point of the same model (int_model_prices);'
        || ' results arrive within 24 hours' as savings_assumption,
        case
            when workloads.batch_share >= {{ var('ai_finops__batch_min_existing_batch_share') }}
                then cast(round(100 * workloads.batch_share, 1) as {{ string }})
                    || '% of its tokens already go through batch, the rest pays standard rates'
            else 'requests spread evenly over the day (quietest/busiest hour '
                || cast(round(profiles.hourly_spread, 2) as {{ string }}) || '): not interactive'
        end as evidence,
        case
            when workloads.batch_share >= {{ var('ai_finops__batch_min_existing_batch_share') }} then 'high'
            else 'medium'
        end as confidence,
        'open' as recommendation_status
    from workloads
    inner join batch_priced
        on workloads.team_id = batch_priced.team_id
            and workloads.workflow_id = batch_priced.workflow_id
            and workloads.provider = batch_priced.provider
            and workloads.model_id = batch_priced.model_id
    left join profiles
        on workloads.team_id = profiles.team_id
            and workloads.workflow_id = profiles.workflow_id
            and workloads.provider = profiles.provider
            and workloads.model_id = profiles.model_id
    left join workflows
        on workloads.workflow_id = workflows.workflow_id
    where workloads.unpriced_rows = 0
        -- an agent's steps wait on each other: never a batch candidate, however flat its traffic
        and not coalesce(workflows.is_agent, false)
        and batch_priced.repriced_rows = batch_priced.usage_rows
        and batch_priced.standard_list_cost > batch_priced.batch_list_cost
        and (
            workloads.batch_share >= {{ var('ai_finops__batch_min_existing_batch_share') }}
            or (
                profiles.hourly_spread >= {{ var('ai_finops__batch_min_hourly_spread') }}
                and profiles.request_count >= {{ min_requests }}
            )
        )

),

-- 4. oversized context: p95 prompt far above peers while the answers stay short
peer_p95 as (

    select {{ ai_finops.percentile_cont('p95_input_tokens', 0.5) }} as median_p95_input_tokens
    from profiles
    where request_count >= {{ min_requests }}

),

oversized_context as (

    select
        'oversized_context' as recommendation_type,
        'workflow' as scope_type,
        profiles.workflow_id as scope_id,
        profiles.team_id,
        profiles.workflow_id,
        profiles.provider,
        profiles.model_id,
        'trim prompts to about {{ var("ai_finops__oversized_context_target_input_tokens") }} tokens'
        || ' (fewer or shorter retrieved chunks, summarised history)' as recommended_change,
        profiles.window_start,
        profiles.window_end,
        profiles.request_count,
        profiles.avg_input_tokens_per_request,
        profiles.p95_input_tokens,
        profiles.avg_output_tokens_per_request,
        cast(null as {{ double }}) as cache_read_share,
        cast(null as {{ double }}) as reasoning_share,
        cast(null as {{ double }}) as batch_share,
        cast(null as {{ double }}) as hourly_spread,
        cast(null as {{ double }}) as daily_token_cv,
        cast(null as {{ double }}) as break_even_tokens_per_month,
        profiles.list_cost as workload_list_cost,
        profiles.trimmed_input_list_savings as window_list_savings,
        'every prompt above {{ var("ai_finops__oversized_context_target_input_tokens") }} tokens trimmed to it,'
        || ' each input token type shrinking by the same share, at the request''s own list prices'
            as savings_assumption,
        'p95 prompt ' || cast(cast(round(profiles.p95_input_tokens, 0) as {{ dbt.type_bigint() }}) as {{ string }})
        || ' tokens vs a peer median p95 of '
        || cast(cast(round(peer_p95.median_p95_input_tokens, 0) as {{ dbt.type_bigint() }}) as {{ string }})
        || '; '
        || cast(
            cast(
                round(profiles.input_tokens * 1.0 / nullif(profiles.output_tokens, 0), 0) as {{ dbt.type_bigint() }}
            ) as {{ string }}
        )
        || ' input tokens per output token' as evidence,
        'medium' as confidence,
        'open' as recommendation_status
    from profiles
    cross join peer_p95
    where profiles.request_count >= {{ min_requests }}
        and profiles.unpriced_requests = 0
        and profiles.p95_input_tokens
        >= {{ var('ai_finops__oversized_context_peer_multiple') }} * peer_p95.median_p95_input_tokens
        and profiles.input_tokens
        >= {{ var('ai_finops__oversized_context_min_input_output_ratio') }} * profiles.output_tokens
        and profiles.trimmed_input_list_savings > 0

),

-- 5. reasoning effort: reasoning tokens dominate the output
reasoning_priced as (

    select
        team_id,
        workflow_id,
        provider,
        model_id,
        sum(
            reasoning_tokens * {{ var('ai_finops__reasoning_effort_reduction') }}
            * output_usd_per_million / 1000000.0 * price_fx_rate
        ) as reasoning_list_savings
    from usage
    group by 1, 2, 3, 4

),

reasoning_effort as (

    select
        'reasoning_effort' as recommendation_type,
        'workflow' as scope_type,
        workloads.workflow_id as scope_id,
        workloads.team_id,
        workloads.workflow_id,
        workloads.provider,
        workloads.model_id,
        'lower the reasoning effort (or budget) where the task does not need deliberation' as recommended_change,
        workloads.window_start,
        workloads.window_end,
        workloads.request_count,
        workloads.avg_input_tokens_per_request,
        cast(null as {{ double }}) as p95_input_tokens,
        workloads.avg_output_tokens_per_request,
        cast(null as {{ double }}) as cache_read_share,
        workloads.reasoning_share,
        cast(null as {{ double }}) as batch_share,
        cast(null as {{ double }}) as hourly_spread,
        cast(null as {{ double }}) as daily_token_cv,
        cast(null as {{ double }}) as break_even_tokens_per_month,
        workloads.list_cost as workload_list_cost,
        reasoning_priced.reasoning_list_savings as window_list_savings,
        '{{ var("ai_finops__reasoning_effort_reduction") }} of the reasoning tokens saved at the output rate'
            as savings_assumption,
        cast(round(100 * workloads.reasoning_share, 1) as {{ string }})
        || '% of output tokens are reasoning' as evidence,
        'low' as confidence,
        'open' as recommendation_status
    from workloads
    inner join reasoning_priced
        on workloads.team_id = reasoning_priced.team_id
            and workloads.workflow_id = reasoning_priced.workflow_id
            and workloads.provider = reasoning_priced.provider
            and workloads.model_id = reasoning_priced.model_id
    where workloads.unpriced_rows = 0
        and workloads.reasoning_share >= {{ var('ai_finops__reasoning_min_share') }}
        and reasoning_priced.reasoning_list_savings > 0

),

-- 6. commitment / provisioned throughput: fixed monthly capacity vs pay-per-token
model_daily as (

    select
        provider,
        model_id,
        usage_date,
        sum(input_tokens + output_tokens) as daily_tokens
    from usage
    group by 1, 2, 3

),

model_volume as (

    select
        usage.provider,
        usage.model_id,
        min(usage.window_start) as window_start,
        min(usage.window_end) as window_end,
        sum(usage.request_count) as request_count,
        sum(usage.input_tokens + usage.output_tokens) as window_tokens,
        sum(usage.list_cost) as list_cost
    from usage
    group by 1, 2

),

model_steadiness as (

    select
        provider,
        model_id,
        stddev_pop(daily_tokens) / nullif(avg(daily_tokens), 0) as daily_token_cv
    from model_daily
    group by 1, 2

),

model_top_team as (

    select
        provider,
        model_id,
        team_id,
        row_number() over (partition by provider, model_id order by sum(list_cost) desc, team_id) as team_rank
    from usage
    group by 1, 2, 3

),

commitment as (

    select
        'commitment_break_even' as recommendation_type,
        'model' as scope_type,
        offers.offer_id as scope_id,
        model_top_team.team_id,
        '*' as workflow_id,
        model_volume.provider,
        model_volume.model_id,
        'buy ' || offers.offer_type || ' at {{ money_sign }}' || cast(offers.price_per_month as {{ string }})
        || ' a month' as recommended_change,
        model_volume.window_start,
        model_volume.window_end,
        model_volume.request_count,
        cast(null as {{ double }}) as avg_input_tokens_per_request,
        cast(null as {{ double }}) as p95_input_tokens,
        cast(null as {{ double }}) as avg_output_tokens_per_request,
        cast(null as {{ double }}) as cache_read_share,
        cast(null as {{ double }}) as reasoning_share,
        cast(null as {{ double }}) as batch_share,
        cast(null as {{ double }}) as hourly_spread,
        model_steadiness.daily_token_cv,
        offers.price_per_month / (model_volume.list_cost / model_volume.window_tokens) as break_even_tokens_per_month,
        model_volume.list_cost as workload_list_cost,
        case
            when model_volume.list_cost * 30.0 / {{ lookback_days }} > offers.price_per_month
                and model_volume.window_tokens * 30.0 / {{ lookback_days }} <= offers.max_tokens_per_month
                and model_steadiness.daily_token_cv <= {{ var('ai_finops__commitment_max_daily_token_cv') }}
                then model_volume.list_cost - offers.price_per_month * {{ lookback_days }} / 30.0
            else 0
        end as window_list_savings,
        offers.assumption_note
        || ' (seeds/optimization/ai_finops__commitment_offers.csv); monthly volume as in the window'
            as savings_assumption,
        cast(
            cast(
                round(model_volume.window_tokens * 30.0 / {{ lookback_days }}, 0) as {{ dbt.type_bigint() }}
            ) as {{ string }}
        )
        || ' tokens a month at a blended $'
        || cast(round(1000000 * model_volume.list_cost / model_volume.window_tokens, 4) as {{ string }})
        || ' per million; break-even at '
        || cast(
            cast(
                round(
                    offers.price_per_month / (model_volume.list_cost / model_volume.window_tokens), 0
                ) as {{ dbt.type_bigint() }}
            ) as {{ string }}
        )
        || ' tokens a month; daily volume varies by '
        || cast(cast(round(100 * model_steadiness.daily_token_cv, 0) as {{ dbt.type_bigint() }}) as {{ string }})
        || '% (CV)' as evidence,
        'medium' as confidence,
        case
            when model_volume.list_cost * 30.0 / {{ lookback_days }} > offers.price_per_month
                and model_volume.window_tokens * 30.0 / {{ lookback_days }} <= offers.max_tokens_per_month
                and model_steadiness.daily_token_cv <= {{ var('ai_finops__commitment_max_daily_token_cv') }}
                then 'open'
            else 'watch'
        end as recommendation_status
    from offers
    inner join model_volume
        on offers.provider = model_volume.provider
            and offers.model_id = model_volume.model_id
    inner join model_steadiness
        on model_volume.provider = model_steadiness.provider
            and model_volume.model_id = model_steadiness.model_id
    inner join model_top_team
        on model_volume.provider = model_top_team.provider
            and model_volume.model_id = model_top_team.model_id
            and model_top_team.team_rank = 1
    where model_volume.list_cost > 0

),

-- 7. hygiene: idle keys, keys nobody owns, spend on deprecated models (no savings claimed)
providers_reporting_keys as (

    select distinct case when gateway_key_hash is not null then 'litellm' else provider end as key_provider
    from usage
    where provider_key_id is not null or gateway_key_hash is not null

),

keys_used as (

    select distinct
        case when gateway_key_hash is not null then 'litellm' else provider end as key_provider,
        coalesce(gateway_key_hash, provider_key_id) as key_id
    from usage
    where provider_key_id is not null or gateway_key_hash is not null

),

idle_keys as (

    select
        'idle_key' as recommendation_type,
        'key' as scope_type,
        coalesce(nullif(owners.account_name, ''), owners.account_id) as scope_id,
        coalesce(nullif(owners.team_id, ''), '{{ unallocated }}') as team_id,
        coalesce(nullif(owners.workflow_id, ''), 'unassigned') as workflow_id,
        owners.provider,
        cast(null as {{ string }}) as model_id,
        'revoke the key (no traffic in the window)' as recommended_change,
        window_bounds.window_start,
        window_bounds.window_end,
        cast(0 as {{ dbt.type_bigint() }}) as request_count,
        cast(null as {{ double }}) as avg_input_tokens_per_request,
        cast(null as {{ double }}) as p95_input_tokens,
        cast(null as {{ double }}) as avg_output_tokens_per_request,
        cast(null as {{ double }}) as cache_read_share,
        cast(null as {{ double }}) as reasoning_share,
        cast(null as {{ double }}) as batch_share,
        cast(null as {{ double }}) as hourly_spread,
        cast(null as {{ double }}) as daily_token_cv,
        cast(null as {{ double }}) as break_even_tokens_per_month,
        cast(0 as {{ double }}) as workload_list_cost,
        cast(0 as {{ double }}) as window_list_savings,
        'no direct savings: an unused live key is leak and attribution risk' as savings_assumption,
        owners.account_type || ' ' || owners.account_id || ' had no usage between '
        || cast(window_bounds.window_start as {{ string }}) || ' and '
        || cast(window_bounds.window_end as {{ string }}) as evidence,
        'high' as confidence,
        'open' as recommendation_status
    from owners
    cross join window_bounds
    inner join providers_reporting_keys
        on owners.provider = providers_reporting_keys.key_provider
    left join keys_used
        on owners.provider = keys_used.key_provider
            and owners.account_id = keys_used.key_id
    where owners.account_type in ({{ key_types }})
        and owners.valid_from <= window_bounds.window_end
        and coalesce(owners.valid_to, cast('9999-12-31' as date)) > window_bounds.window_end
        and keys_used.key_id is null

),

unowned_key_usage as (

    select
        provider,
        team_id,
        coalesce(gateway_key_alias, provider_key_id) as key_name,
        min(window_start) as window_start,
        min(window_end) as window_end,
        sum(request_count) as request_count,
        sum(list_cost) as list_cost
    from usage
    -- the key had no owner: spend fell through to its container's owner or to nobody
    where attribution_method in ('container_owner', 'unallocated')
        and coalesce(gateway_key_alias, provider_key_id) is not null
    group by 1, 2, 3

),

unowned_keys as (

    select
        'key_without_owner' as recommendation_type,
        'key' as scope_type,
        key_name as scope_id,
        team_id,
        'unassigned' as workflow_id,
        provider,
        cast(null as {{ string }}) as model_id,
        'assign an owner in seeds/ownership/ai_finops__account_owners.csv or require tags on the key'
            as recommended_change,
        window_start,
        window_end,
        request_count,
        cast(null as {{ double }}) as avg_input_tokens_per_request,
        cast(null as {{ double }}) as p95_input_tokens,
        cast(null as {{ double }}) as avg_output_tokens_per_request,
        cast(null as {{ double }}) as cache_read_share,
        cast(null as {{ double }}) as reasoning_share,
        cast(null as {{ double }}) as batch_share,
        cast(null as {{ double }}) as hourly_spread,
        cast(null as {{ double }}) as daily_token_cv,
        cast(null as {{ double }}) as break_even_tokens_per_month,
        list_cost as workload_list_cost,
        cast(0 as {{ double }}) as window_list_savings,
        'no direct savings: unowned spend cannot be challenged by anyone' as savings_assumption,
        '$' || cast(round(list_cost, 2) as {{ string }}) || ' at list on key ' || key_name
        || ' with no owner; charged to ' || team_id as evidence,
        'high' as confidence,
        'open' as recommendation_status
    from unowned_key_usage
    where list_cost > 0

),

deprecated_models as (

    select
        'deprecated_model' as recommendation_type,
        'workflow' as scope_type,
        workloads.workflow_id as scope_id,
        workloads.team_id,
        workloads.workflow_id,
        workloads.provider,
        workloads.model_id,
        'migrate to ' || deprecations.replacement_model_id || ' before '
        || cast(deprecations.retires_on as {{ string }}) as recommended_change,
        workloads.window_start,
        workloads.window_end,
        workloads.request_count,
        workloads.avg_input_tokens_per_request,
        cast(null as {{ double }}) as p95_input_tokens,
        workloads.avg_output_tokens_per_request,
        cast(null as {{ double }}) as cache_read_share,
        cast(null as {{ double }}) as reasoning_share,
        cast(null as {{ double }}) as batch_share,
        cast(null as {{ double }}) as hourly_spread,
        cast(null as {{ double }}) as daily_token_cv,
        cast(null as {{ double }}) as break_even_tokens_per_month,
        workloads.list_cost as workload_list_cost,
        cast(0 as {{ double }}) as window_list_savings,
        'no savings claimed: the replacement''s price is not necessarily lower' as savings_assumption,
        '$' || cast(round(workloads.list_cost, 2) as {{ string }}) || ' at list on ' || workloads.model_id
        || ', deprecated since ' || cast(deprecations.deprecated_on as {{ string }}) || '; ' || deprecations.note
            as evidence,
        'high' as confidence,
        'open' as recommendation_status
    from workloads
    inner join deprecations
        on workloads.provider = deprecations.provider
            and workloads.model_id = deprecations.model_id
            and workloads.window_end >= deprecations.deprecated_on
    where workloads.list_cost > 0

),

unioned as (

    select * from model_downgrade
    union all
    select * from prompt_caching
    union all
    select * from batch_api
    union all
    select * from oversized_context
    union all
    select * from reasoning_effort
    union all
    select * from commitment
    union all
    select * from idle_keys
    union all
    select * from unowned_keys
    union all
    select * from deprecated_models

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "recommendation_type", "'|'", "scope_type", "'|'", "scope_id", "'|'", "team_id", "'|'",
            "provider", "'|'", "coalesce(model_id, '')"
        ])) }} as recommendation_id,
        recommendation_type,
        scope_type,
        scope_id,
        team_id,
        workflow_id,
        provider,
        model_id,
        recommended_change,
        window_start,
        window_end,
        cast(request_count as {{ dbt.type_bigint() }}) as request_count,
        cast(avg_input_tokens_per_request as {{ double }}) as avg_input_tokens_per_request,
        cast(p95_input_tokens as {{ double }}) as p95_input_tokens,
        cast(avg_output_tokens_per_request as {{ double }}) as avg_output_tokens_per_request,
        cast(cache_read_share as {{ double }}) as cache_read_share,
        cast(reasoning_share as {{ double }}) as reasoning_share,
        cast(batch_share as {{ double }}) as batch_share,
        cast(hourly_spread as {{ double }}) as hourly_spread,
        cast(daily_token_cv as {{ double }}) as daily_token_cv,
        cast(break_even_tokens_per_month as {{ double }}) as break_even_tokens_per_month,
        cast(workload_list_cost as {{ double }}) as workload_list_cost,
        cast(window_list_savings as {{ double }}) as window_list_savings,
        savings_assumption,
        evidence,
        confidence,
        recommendation_status
    from unioned

)

select * from final
