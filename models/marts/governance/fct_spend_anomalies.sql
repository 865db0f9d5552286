{#-
    Spend anomalies on gateway traffic, one row per episode: consecutive hours in which a
    workflow, agent or gateway key spent far above its seasonal baseline. The baseline of an
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

islands as (

    select
        *,
        -- consecutive anomalous hours share one island key (hour minus its rank)
        {{ dbt.dateadd(
            'hour',
            '-1 * row_number() over (partition by scope_type, scope_id order by hour_at)',
            'hour_at'
        ) }} as island_at
    from flagged

),

episodes as (

    select
        scope_type,
        scope_id,
        island_at,
        min(hour_at) as started_at,
        max(hour_at) as last_hour_at,
        max(owner_team_id) as owner_team_id,
        count(*) as anomalous_hours,
        sum(request_count) as request_count,
        sum(baseline_requests) as baseline_request_count,
        sum(contracted_cost) as contracted_cost,
        sum(baseline_cost) as baseline_cost,
        sum(excess_cost) as excess_cost,
        max(cost_z) as max_cost_z,
        max(request_z) as max_request_z,
        max(top_session_share) as max_top_session_share,
        sum(case when is_loop_hour then 1 else 0 end) as loop_hours
    from islands
    group by 1, 2, 3

),

first_hours as (

    select
        islands.scope_type,
        islands.scope_id,
        islands.island_at,
        islands.excess_cost as first_hour_excess_cost,
        islands.is_loop_hour as is_first_hour_loop
    from islands
    inner join episodes
        on islands.scope_type = episodes.scope_type
            and islands.scope_id = episodes.scope_id
            and islands.island_at = episodes.island_at
            and islands.hour_at = episodes.started_at

),

last_hour as (

    select max(hour_at) as last_data_hour_at from hourly

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "episodes.scope_type", "'|'", "episodes.scope_id", "'|'",
            "cast(episodes.started_at as " ~ dbt.type_string() ~ ")"
        ])) }} as anomaly_id,
        'hour' as granularity,
        episodes.scope_type,
        episodes.scope_id,
        episodes.owner_team_id,
        cast(episodes.started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(case
            when episodes.last_hour_at < last_hour.last_data_hour_at
                then {{ dbt.dateadd('hour', 1, 'episodes.last_hour_at') }}
        end as {{ dbt.type_timestamp() }}) as ended_at,
        episodes.last_hour_at = last_hour.last_data_hour_at as is_ongoing,
        -- the first anomalous hour is flagged as soon as that hour closes
        cast(episodes.started_at as {{ dbt.type_timestamp() }}) as detection_hour_at,
        cast(episodes.anomalous_hours as {{ dbt.type_int() }}) as anomalous_hours,
        cast(episodes.request_count as {{ dbt.type_bigint() }}) as request_count,
        cast(episodes.baseline_request_count as {{ ai_finops.type_double() }}) as baseline_request_count,
        cast(episodes.contracted_cost as {{ ai_finops.type_double() }}) as contracted_cost,
        cast(episodes.baseline_cost as {{ ai_finops.type_double() }}) as baseline_cost,
        cast(episodes.excess_cost as {{ ai_finops.type_double() }}) as excess_cost,
        cast(first_hours.first_hour_excess_cost as {{ ai_finops.type_double() }}) as first_hour_excess_cost,
        cast(episodes.max_cost_z as {{ ai_finops.type_double() }}) as max_cost_z,
        cast(episodes.max_request_z as {{ ai_finops.type_double() }}) as max_request_z,
        cast(episodes.max_top_session_share as {{ ai_finops.type_double() }}) as max_top_session_share,
        episodes.loop_hours > 0 as is_runaway_loop,
        case
            when first_hours.is_first_hour_loop
                or episodes.excess_cost >= {{ var('ai_finops__anomaly_critical_excess_cost') }} then 'critical'
            when episodes.excess_cost >= {{ var('ai_finops__anomaly_critical_excess_cost') }} / 5.0 then 'high'
            else 'medium'
        end as severity,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from episodes
    inner join first_hours
        on episodes.scope_type = first_hours.scope_type
            and episodes.scope_id = first_hours.scope_id
            and episodes.island_at = first_hours.island_at
    cross join last_hour

)

select * from final
