{#-
    Daily spend of every team, workflow, agent and API key (all sources, not only the gateway)
    scored against its seasonal baseline: the median and MAD of the same day type (weekday or
    weekend) over the trailing `ai_finops__anomaly_baseline_days`, on a dense day grid from the
    scope's first day of spend (a day without spend is a zero). Providers' usage reports have no
    finer timestamps, so this is how non-gateway spend is watched.
-#}
with spend as (

    select * from {{ ref('int_spend_scoped_daily') }}
    where scope_type in ('team', 'workflow', 'agent', 'api_key')

),

scopes as (

    select
        scope_type,
        scope_id,
        min(usage_date) as first_date,
        max(owner_team_id) as owner_team_id
    from spend
    group by 1, 2

),

bounds as (

    select max(usage_date) as last_date from spend

),

numbers as (

    {{ dbt.generate_series(4096) }}

),

grid as (

    select
        scopes.scope_type,
        scopes.scope_id,
        scopes.owner_team_id,
        cast({{ dbt.dateadd('day', 'numbers.generated_number - 1', 'scopes.first_date') }} as date) as usage_date
    from scopes
    cross join numbers

),

days as (

    select
        grid.usage_date,
        grid.scope_type,
        grid.scope_id,
        coalesce(spend.owner_team_id, grid.owner_team_id) as owner_team_id,
        case when {{ ai_finops.is_weekend('grid.usage_date') }} then 'weekend' else 'weekday' end as day_type,
        spend.request_count,
        coalesce(spend.contracted_cost, 0) as contracted_cost
    from grid
    cross join bounds
    left join spend
        on grid.scope_type = spend.scope_type
            and grid.scope_id = spend.scope_id
            and grid.usage_date = spend.usage_date
    where grid.usage_date <= bounds.last_date

),

history as (

    select
        target.usage_date,
        target.scope_type,
        target.scope_id,
        past.contracted_cost as past_cost,
        {{ ai_finops.median('past.contracted_cost') }} over (
            partition by target.usage_date, target.scope_type, target.scope_id
        ) as median_cost
    from days as target
    inner join days as past
        on target.scope_type = past.scope_type
            and target.scope_id = past.scope_id
            and target.day_type = past.day_type
            and target.usage_date > past.usage_date
            and {{ dbt.dateadd('day', -1 * var('ai_finops__anomaly_baseline_days'), 'target.usage_date') }}
            <= past.usage_date

),

baseline as (

    select
        usage_date,
        scope_type,
        scope_id,
        count(*) as baseline_days,
        max(median_cost) as baseline_cost,
        {{ ai_finops.median('abs(past_cost - median_cost)') }} as mad_cost
    from history
    group by 1, 2, 3

),

final as (

    select
        days.usage_date,
        days.scope_type,
        days.scope_id,
        days.owner_team_id,
        days.day_type,
        days.request_count,
        days.contracted_cost,
        baseline.baseline_days,
        baseline.baseline_cost,
        days.contracted_cost - baseline.baseline_cost as excess_cost,
        -- the same scale floor as the hourly score: 5% of the median, at least a cent
        (days.contracted_cost - baseline.baseline_cost) / (
            case
                when 1.4826 * baseline.mad_cost > 0.05 * baseline.baseline_cost and 1.4826 * baseline.mad_cost > 0.01
                    then 1.4826 * baseline.mad_cost
                when 0.05 * baseline.baseline_cost > 0.01 then 0.05 * baseline.baseline_cost
                else 0.01
            end
        ) as cost_z
    from days
    inner join baseline
        on days.usage_date = baseline.usage_date
            and days.scope_type = baseline.scope_type
            and days.scope_id = baseline.scope_id
    where baseline.baseline_days >= 4

)

select * from final
