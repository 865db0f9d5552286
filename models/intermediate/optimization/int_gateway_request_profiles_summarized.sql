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

{#- percentile_cont over the window's prompt sizes, read off their sorted counts (prompt_sizes_ranked):
    the values at 0-based ranks floor(p(n-1)) and ceil(p(n-1)), interpolated. Exact, and unlike a
    quantile aggregate over the requests (which holds every value in memory) it needs one row per
    distinct prompt size -#}
{%- set percentiles = {} -%}
{%- for name, p in [('p50', 0.5), ('p95', 0.95)] -%}
    {%- set value_at_floor -%}
        min(case when requests_up_to > floor({{ p }} * (group_requests - 1)) then input_tokens end)
    {%- endset -%}
    {%- set value_at_ceil -%}
        min(case when requests_up_to > ceil({{ p }} * (group_requests - 1)) then input_tokens end)
    {%- endset -%}
    {%- set fraction -%}
        (max({{ p }} * (group_requests - 1)) - max(floor({{ p }} * (group_requests - 1))))
    {%- endset -%}
    {%- set interpolated = value_at_floor ~ ' + ' ~ fraction ~ ' * (' ~ value_at_ceil ~ ' - ' ~ value_at_floor ~ ')' -%}
    {%- do percentiles.update({name: interpolated}) -%}
{%- endfor %}

with attributed as (

    select * from {{ ref('int_usage_attributed') }}

),

window_bounds as (

    select
        cast({{ dbt.dateadd('day', 1 - lookback_days, 'max(usage_date)') }} as date) as window_start,
        max(usage_date) as window_end
    from attributed

),

-- the window's requests aggregated straight away, once per shape. Each shape reads the request table
-- itself: one CTE read by both may be materialized whole, and at 100M requests it would not fit in memory.
requests_by_prompt_size as (

    select
        requests.team_id,
        requests.workflow_id,
        requests.provider,
        requests.model_id,
        requests.uncached_input_tokens + requests.cache_read_tokens
        + requests.cache_write_5m_tokens + requests.cache_write_1h_tokens as input_tokens,
        count(*) as request_count,
        sum(requests.output_tokens) as output_tokens,
        sum(requests.input_list_cost + requests.output_list_cost) as list_cost,
        sum(requests.input_list_cost) as input_list_cost,
        sum(case when requests.input_list_cost is null then 1 else 0 end) as unpriced_requests
    from {{ ref('int_gateway_requests_enriched') }} as requests
    inner join window_bounds
        on requests.usage_date >= window_bounds.window_start
            and requests.usage_date <= window_bounds.window_end
    group by 1, 2, 3, 4, 5

),

requests_by_hour as (

    select
        requests.team_id,
        requests.workflow_id,
        requests.provider,
        requests.model_id,
        extract(hour from requests.request_started_at) as hour_of_day,
        count(*) as hour_requests
    from {{ ref('int_gateway_requests_enriched') }} as requests
    inner join window_bounds
        on requests.usage_date >= window_bounds.window_start
            and requests.usage_date <= window_bounds.window_end
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
    from requests_by_hour
    group by 1, 2, 3, 4

),

prompt_sizes_ranked as (

    select
        *,
        -- requests with this prompt size or a smaller one, and all of the workload's requests
        sum(request_count) over (
            partition by team_id, workflow_id, provider, model_id
            order by input_tokens
            rows between unbounded preceding and current row
        ) as requests_up_to,
        sum(request_count) over (partition by team_id, workflow_id, provider, model_id) as group_requests,
        -- trimming keeps the token mix: each input token type shrinks by the same share
        case
            when input_tokens > {{ target_tokens }}
                then (input_tokens - {{ target_tokens }}) * 1.0 / input_tokens
            else 0
        end as trimmed_input_share
    from requests_by_prompt_size

),

profiles as (

    select
        prompt_sizes_ranked.team_id,
        prompt_sizes_ranked.workflow_id,
        prompt_sizes_ranked.provider,
        prompt_sizes_ranked.model_id,
        min(window_bounds.window_start) as window_start,
        min(window_bounds.window_end) as window_end,
        sum(prompt_sizes_ranked.request_count) as request_count,
        sum(prompt_sizes_ranked.input_tokens * prompt_sizes_ranked.request_count) as input_tokens,
        sum(prompt_sizes_ranked.output_tokens) as output_tokens,
        sum(prompt_sizes_ranked.input_tokens * prompt_sizes_ranked.request_count) * 1.0
        / sum(prompt_sizes_ranked.request_count) as avg_input_tokens_per_request,
        {{ percentiles['p50'] }} as p50_input_tokens,
        {{ percentiles['p95'] }} as p95_input_tokens,
        sum(prompt_sizes_ranked.output_tokens) * 1.0
        / sum(prompt_sizes_ranked.request_count) as avg_output_tokens_per_request,
        sum(
            case
                when prompt_sizes_ranked.input_tokens > {{ target_tokens }} then prompt_sizes_ranked.request_count
                else 0
            end
        ) as requests_above_target,
        sum(prompt_sizes_ranked.list_cost) as list_cost,
        sum(
            prompt_sizes_ranked.trimmed_input_share * prompt_sizes_ranked.input_list_cost
        ) as trimmed_input_list_savings,
        sum(prompt_sizes_ranked.unpriced_requests) as unpriced_requests
    from prompt_sizes_ranked
    cross join window_bounds
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
