{#-
    Spend anomalies, one row per episode: consecutive hours in which a workflow, agent or gateway
    key spent far above its seasonal baseline on the gateway (request-level timestamps), and
    consecutive days in which a team, workflow, agent or API key did across all sources
    (int_spend_days_scored: the same rule on daily spend, cost only). The baseline of an
    hour is the median and MAD of the same hour of day on the same kind of day (weekday or
    weekend) over the trailing `ai_finops__anomaly_baseline_days`, so a weekend night is compared
    with weekend nights. An hour is anomalous when its robust z-score (cost or request rate)
    reaches `ai_finops__anomaly_min_z` and it spent at least `ai_finops__anomaly_min_excess_cost`
    above the baseline median. A runaway loop is a request rate far above baseline from mostly one
    session with no more output per request than usual (the same call, repeated).
-#}
with hourly as (

    select
        *,
        extract(hour from hour_at) as hour_of_day,
        case when {{ ai_finops.is_weekend('hour_at') }} then 'weekend' else 'weekday' end as day_type
    from {{ ref('int_gateway_spend_hourly') }}

),

history as (

    select
        target.hour_at,
        target.scope_type,
        target.scope_id,
        past.contracted_cost as past_cost,
        past.request_count as past_requests,
        past.output_tokens as past_output_tokens,
        {{ ai_finops.median('past.contracted_cost') }} over (
            partition by target.hour_at, target.scope_type, target.scope_id
        ) as median_cost,
        {{ ai_finops.median('past.request_count') }} over (
            partition by target.hour_at, target.scope_type, target.scope_id
        ) as median_requests
    from hourly as target
    inner join hourly as past
        on target.scope_type = past.scope_type
            and target.scope_id = past.scope_id
            and target.hour_of_day = past.hour_of_day
            and target.day_type = past.day_type
            and target.hour_at > past.hour_at
            and past.hour_at >= {{ dbt.dateadd('day', -1 * var('ai_finops__anomaly_baseline_days'), 'target.hour_at') }}

),

baseline as (

    select
        hour_at,
        scope_type,
        scope_id,
        count(*) as baseline_hours,
        max(median_cost) as baseline_cost,
        max(median_requests) as baseline_requests,
        {{ ai_finops.median('abs(past_cost - median_cost)') }} as mad_cost,
        {{ ai_finops.median('abs(past_requests - median_requests)') }} as mad_requests,
        sum(past_output_tokens) * 1.0 / nullif(sum(past_requests), 0) as baseline_output_per_request
    from history
    group by 1, 2, 3

),

scored as (

    select
        hourly.*,
        baseline.baseline_hours,
        baseline.baseline_cost,
        baseline.baseline_requests,
        baseline.baseline_output_per_request,
        hourly.contracted_cost - baseline.baseline_cost as excess_cost,
        hourly.request_count - baseline.baseline_requests as excess_requests,
        -- MAD is 0 on a flat history: the scale never drops below 5% of the median (or a cent / a request)
        (hourly.contracted_cost - baseline.baseline_cost) / (
            case
                when 1.4826 * baseline.mad_cost > 0.05 * baseline.baseline_cost and 1.4826 * baseline.mad_cost > 0.01
                    then 1.4826 * baseline.mad_cost
                when 0.05 * baseline.baseline_cost > 0.01 then 0.05 * baseline.baseline_cost
                else 0.01
            end
        ) as cost_z,
        (hourly.request_count - baseline.baseline_requests) / (
            case
                when 1.4826 * baseline.mad_requests > 0.05 * baseline.baseline_requests and baseline.mad_requests > 0
                    then 1.4826 * baseline.mad_requests
                when 0.05 * baseline.baseline_requests > 1 then 0.05 * baseline.baseline_requests
                else 1
            end
        ) as request_z,
        hourly.output_tokens * 1.0 / nullif(hourly.request_count, 0) as output_per_request,
        hourly.top_session_request_count * 1.0 / nullif(hourly.request_count, 0) as top_session_share
    from hourly
    inner join baseline
        on hourly.hour_at = baseline.hour_at
            and hourly.scope_type = baseline.scope_type
            and hourly.scope_id = baseline.scope_id
    where baseline.baseline_hours >= 4

),

flagged as (

    select
        *,
        (
            request_z >= {{ var('ai_finops__anomaly_min_z') }}
            and top_session_share >= 0.5
            and (baseline_output_per_request is null or output_per_request <= 2 * baseline_output_per_request)
        ) as is_loop_hour
    from scored
    where
        excess_cost >= {{ var('ai_finops__anomaly_min_excess_cost') }}
        and (cost_z >= {{ var('ai_finops__anomaly_min_z') }} or request_z >= {{ var('ai_finops__anomaly_min_z') }})

),

flagged_days as (

    select * from {{ ref('int_spend_days_scored') }}
    where
        excess_cost >= {{ var('ai_finops__anomaly_min_excess_cost') }}
        and cost_z >= {{ var('ai_finops__anomaly_min_z') }}

),

unioned as (

    select
        'hour' as granularity,
        hour_at as period_at,
        scope_type,
        scope_id,
        owner_team_id,
        request_count,
        baseline_requests,
        contracted_cost,
        baseline_cost,
        excess_cost,
        cost_z,
        request_z,
        top_session_share,
        is_loop_hour as is_loop_period
    from flagged

    union all

    select
        'day' as granularity,
        cast(usage_date as {{ dbt.type_timestamp() }}) as period_at,
        scope_type,
        scope_id,
        owner_team_id,
        request_count,
        cast(null as {{ ai_finops.type_double() }}) as baseline_requests,
        contracted_cost,
        baseline_cost,
        excess_cost,
        cost_z,
        cast(null as {{ ai_finops.type_double() }}) as request_z,
        cast(null as {{ ai_finops.type_double() }}) as top_session_share,
        false as is_loop_period
    from flagged_days

),

ranked as (

    select
        *,
        row_number() over (partition by granularity, scope_type, scope_id order by period_at) as period_rank
    from unioned

),

islands as (

    select
        *,
        -- consecutive anomalous periods share one island key (period minus its rank)
        case
            when granularity = 'hour' then {{ dbt.dateadd('hour', '-1 * period_rank', 'period_at') }}
            else {{ dbt.dateadd('day', '-1 * period_rank', 'period_at') }}
        end as island_at
    from ranked

),

episodes as (

    select
        granularity,
        scope_type,
        scope_id,
        island_at,
        min(period_at) as started_at,
        max(period_at) as last_period_at,
        max(owner_team_id) as owner_team_id,
        count(*) as anomalous_periods,
        sum(request_count) as request_count,
        sum(baseline_requests) as baseline_request_count,
        sum(contracted_cost) as contracted_cost,
        sum(baseline_cost) as baseline_cost,
        sum(excess_cost) as excess_cost,
        max(cost_z) as max_cost_z,
        max(request_z) as max_request_z,
        max(top_session_share) as max_top_session_share,
        sum(case when is_loop_period then 1 else 0 end) as loop_periods
    from islands
    group by 1, 2, 3, 4

),

first_periods as (

    select
        islands.granularity,
        islands.scope_type,
        islands.scope_id,
        islands.island_at,
        islands.excess_cost as first_period_excess_cost,
        islands.is_loop_period as is_first_period_loop
    from islands
    inner join episodes
        on islands.granularity = episodes.granularity
            and islands.scope_type = episodes.scope_type
            and islands.scope_id = episodes.scope_id
            and islands.island_at = episodes.island_at
            and islands.period_at = episodes.started_at

),

last_periods as (

    select
        'hour' as granularity,
        max(hour_at) as last_data_period_at
    from hourly

    union all

    select
        'day' as granularity,
        cast(max(usage_date) as {{ dbt.type_timestamp() }}) as last_data_period_at
    from {{ ref('int_spend_days_scored') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "episodes.granularity", "'|'", "episodes.scope_type", "'|'", "episodes.scope_id", "'|'",
            "cast(episodes.started_at as " ~ dbt.type_string() ~ ")"
        ])) }} as anomaly_id,
        episodes.granularity,
        episodes.scope_type,
        episodes.scope_id,
        episodes.owner_team_id,
        cast(episodes.started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(case
            when episodes.last_period_at < last_periods.last_data_period_at and episodes.granularity = 'hour'
                then {{ dbt.dateadd('hour', 1, 'episodes.last_period_at') }}
            when episodes.last_period_at < last_periods.last_data_period_at
                then {{ dbt.dateadd('day', 1, 'episodes.last_period_at') }}
        end as {{ dbt.type_timestamp() }}) as ended_at,
        episodes.last_period_at = last_periods.last_data_period_at as is_ongoing,
        -- the first anomalous hour (or day) is flagged as soon as it closes
        cast(episodes.started_at as {{ dbt.type_timestamp() }}) as detection_period_at,
        cast(episodes.anomalous_periods as {{ dbt.type_int() }}) as anomalous_periods,
        cast(episodes.request_count as {{ dbt.type_bigint() }}) as request_count,
        cast(episodes.baseline_request_count as {{ ai_finops.type_double() }}) as baseline_request_count,
        cast(episodes.contracted_cost as {{ ai_finops.type_double() }}) as contracted_cost,
        cast(episodes.baseline_cost as {{ ai_finops.type_double() }}) as baseline_cost,
        cast(episodes.excess_cost as {{ ai_finops.type_double() }}) as excess_cost,
        cast(first_periods.first_period_excess_cost as {{ ai_finops.type_double() }}) as first_period_excess_cost,
        cast(episodes.max_cost_z as {{ ai_finops.type_double() }}) as max_cost_z,
        cast(episodes.max_request_z as {{ ai_finops.type_double() }}) as max_request_z,
        cast(episodes.max_top_session_share as {{ ai_finops.type_double() }}) as max_top_session_share,
        episodes.loop_periods > 0 as is_runaway_loop,
        case
            when first_periods.is_first_period_loop
                or episodes.excess_cost >= {{ var('ai_finops__anomaly_critical_excess_cost') }} then 'critical'
            when episodes.excess_cost >= {{ var('ai_finops__anomaly_critical_excess_cost') }} / 5.0 then 'high'
            else 'medium'
        end as severity,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from episodes
    inner join first_periods
        on episodes.granularity = first_periods.granularity
            and episodes.scope_type = first_periods.scope_type
            and episodes.scope_id = first_periods.scope_id
            and episodes.island_at = first_periods.island_at
    inner join last_periods
        on episodes.granularity = last_periods.granularity

)

select * from final
