{#-
    Request-level traffic shape of each gateway workload over the optimization window: prompt-size
    percentiles, output size, hour-of-day spread, and what trimming prompts to a target size would
    save. Grain: one row per team x workflow x provider x model over the window (gateway requests
    only: the one source with per-request tokens and timestamps). Team and workflow follow the
    attribution precedence of int_usage_attributed (valid request tag, then gateway key owner),
    and requests are priced, both once in int_gateway_requests_enriched, already in the reporting
    currency there (a day without an FX rate leaves the cost null: counted here as unpriced).
-#}
{%- set lookback_days = var('ai_finops__optimization_lookback_days') -%}
{%- set target_tokens = var('ai_finops__oversized_context_target_input_tokens') -%}

with requests as (

    select * from {{ ref('int_gateway_requests_enriched') }}

),

attributed as (

    select * from {{ ref('int_usage_attributed') }}

),

window_bounds as (

    select
        cast({{ dbt.dateadd('day', 1 - lookback_days, 'max(usage_date)') }} as date) as window_start,
        max(usage_date) as window_end
    from attributed

),

windowed as (

    select
        requests.*,
        window_bounds.window_start,
        window_bounds.window_end,
        requests.uncached_input_tokens + requests.cache_read_tokens
        + requests.cache_write_5m_tokens + requests.cache_write_1h_tokens as input_tokens
    from requests
    cross join window_bounds
    where requests.usage_date >= window_bounds.window_start
        and requests.usage_date <= window_bounds.window_end

),

priced as (

    select
        windowed.*,
        -- trimming keeps the token mix: each input token type shrinks by the same share
        case
            when windowed.input_tokens > {{ target_tokens }}
                then (windowed.input_tokens - {{ target_tokens }}) * 1.0 / windowed.input_tokens
            else 0
        end as trimmed_input_share,
        extract(hour from windowed.request_started_at) as hour_of_day
    from windowed

),

hourly as (

    select
        team_id,
        workflow_id,
        provider,
        model_id,
        hour_of_day,
        count(*) as hour_requests
    from priced
    group by 1, 2, 3, 4, 5

),

hour_spread as (

    select
        team_id,
        workflow_id,
        provider,
        model_id,
        -- an hour of the day without a single request makes the spread 0
        case
            when count(*) < 24 then 0
            else min(hour_requests) * 1.0 / max(hour_requests)
        end as hourly_spread
    from hourly
    group by 1, 2, 3, 4

),

profiles as (

    select
        team_id,
        workflow_id,
        provider,
        model_id,
        min(window_start) as window_start,
        min(window_end) as window_end,
        count(*) as request_count,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        avg(input_tokens) as avg_input_tokens_per_request,
        {{ ai_finops.percentile_cont('input_tokens', 0.5) }} as p50_input_tokens,
        {{ ai_finops.percentile_cont('input_tokens', 0.95) }} as p95_input_tokens,
        avg(output_tokens) as avg_output_tokens_per_request,
        sum(case when input_tokens > {{ target_tokens }} then 1 else 0 end) as requests_above_target,
        sum(input_list_cost + output_list_cost) as list_cost,
        sum(trimmed_input_share * input_list_cost) as trimmed_input_list_savings,
        sum(case when input_list_cost is null then 1 else 0 end) as unpriced_requests
    from priced
    group by 1, 2, 3, 4

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "profiles.team_id", "'|'", "profiles.workflow_id", "'|'", "profiles.provider", "'|'", "profiles.model_id"
        ])) }} as request_profile_id,
        profiles.team_id,
        profiles.workflow_id,
        profiles.provider,
        profiles.model_id,
        profiles.window_start,
        profiles.window_end,
        cast(profiles.request_count as {{ dbt.type_bigint() }}) as request_count,
        cast(profiles.input_tokens as {{ dbt.type_bigint() }}) as input_tokens,
        cast(profiles.output_tokens as {{ dbt.type_bigint() }}) as output_tokens,
        cast(profiles.avg_input_tokens_per_request as {{ ai_finops.type_double() }}) as avg_input_tokens_per_request,
        cast(profiles.p50_input_tokens as {{ ai_finops.type_double() }}) as p50_input_tokens,
        cast(profiles.p95_input_tokens as {{ ai_finops.type_double() }}) as p95_input_tokens,
        cast(profiles.avg_output_tokens_per_request as {{ ai_finops.type_double() }}) as avg_output_tokens_per_request,
        cast(profiles.requests_above_target as {{ dbt.type_bigint() }}) as requests_above_target,
        cast(hour_spread.hourly_spread as {{ ai_finops.type_double() }}) as hourly_spread,
        cast(profiles.list_cost as {{ ai_finops.type_double() }}) as list_cost,
        cast(profiles.trimmed_input_list_savings as {{ ai_finops.type_double() }}) as trimmed_input_list_savings,
        cast(profiles.unpriced_requests as {{ dbt.type_bigint() }}) as unpriced_requests
    from profiles
    inner join hour_spread
        on profiles.team_id = hour_spread.team_id
            and profiles.workflow_id = hour_spread.workflow_id
            and profiles.provider = hour_spread.provider
            and profiles.model_id = hour_spread.model_id

)

select * from final
