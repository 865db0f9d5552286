{#-
    Request-level traffic shape of each gateway workload over the optimization window: prompt-size
    percentiles, output size, hour-of-day spread, and what trimming prompts to a target size would
    save. Grain: one row per team x workflow x provider x model over the window (gateway requests
    only: the one source with per-request tokens and timestamps). Team and workflow follow the
    attribution precedence of int_usage_attributed (valid request tag, then gateway key owner).
-#}
{%- set lookback_days = var('ai_finops__optimization_lookback_days') -%}
{%- set target_tokens = var('ai_finops__oversized_context_target_input_tokens') -%}
{%- set unallocated = var('ai_finops__unallocated_label') -%}

with requests as (

    select * from {{ ref('int_gateway_requests_enriched') }}

),

attributed as (

    select * from {{ ref('int_usage_attributed') }}

),

prices as (

    select * from {{ ref('int_model_prices') }}

),

owners as (

    select * from {{ ai_finops.reference_table('account_owners') }}

),

teams as (

    select * from {{ ai_finops.reference_table('teams') }}

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

owned as (

    select
        windowed.*,
        case
            when tag_team.team_id is not null then tag_team.team_id
            when key_owner.team_id is not null then key_owner.team_id
            else '{{ unallocated }}'
        end as team_id,
        coalesce(
            case when tag_team.team_id is not null then windowed.tag_workflow_id end,
            case when tag_team.team_id is null then key_owner.workflow_id end,
            'unassigned'
        ) as workflow_id
    from windowed
    left join teams as tag_team
        on windowed.tag_team_id = tag_team.team_id
            and windowed.usage_date >= tag_team.valid_from
            and windowed.usage_date < coalesce(tag_team.valid_to, cast('9999-12-31' as date))
    left join owners as key_owner
        on key_owner.provider = 'litellm'
            and key_owner.account_type = 'gateway_key'
            and windowed.gateway_key_hash = key_owner.account_id
            and windowed.usage_date >= key_owner.valid_from
            and windowed.usage_date < coalesce(key_owner.valid_to, cast('9999-12-31' as date))

),

priced as (

    select
        owned.*,
        (
            owned.uncached_input_tokens * prices.input_usd_per_million
            + owned.cache_read_tokens * prices.cache_read_usd_per_million
            + owned.cache_write_5m_tokens * prices.cache_write_5m_usd_per_million
            + owned.cache_write_1h_tokens * prices.cache_write_1h_usd_per_million
        ) / 1000000.0 as input_list_cost,
        owned.output_tokens * prices.output_usd_per_million / 1000000.0 as output_list_cost,
        -- trimming keeps the token mix: each input token type shrinks by the same share
        case
            when owned.input_tokens > {{ target_tokens }}
                then (owned.input_tokens - {{ target_tokens }}) * 1.0 / owned.input_tokens
            else 0
        end as trimmed_input_share,
        extract(hour from owned.request_started_at) as hour_of_day
    from owned
    left join prices
        on owned.provider = prices.provider
            and owned.model_id = prices.model_id
            and owned.service_tier = prices.service_tier
            and owned.context_tier = prices.context_tier
            and owned.usage_date >= prices.valid_from
            and owned.usage_date < prices.valid_to

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
