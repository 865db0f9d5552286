{#-
    The forecast's view of each scope on each day (the forecast origin): median daily spend over
    the trailing `ai_finops__forecast_history_days` (origin included), separately for weekdays and
    weekends, with the MAD of each (the spread the prediction interval uses), and the month's
    spend to date. Medians ignore one-off spikes (a runaway weekend is not extrapolated).
    Scopes: total, business_unit, team, workflow; a scope's days without spend are zeros.
-#}
with scoped as (

    select
        usage_date,
        scope_type,
        scope_id,
        contracted_cost
    from {{ ref('int_spend_scoped_daily') }}
    where scope_type in ('business_unit', 'team', 'workflow')

    union all

    select
        usage_date,
        'total' as scope_type,
        'total' as scope_id,
        contracted_cost
    from {{ ref('int_spend_scoped_daily') }}
    where scope_type = 'business_unit'

),

daily as (

    select
        usage_date,
        scope_type,
        scope_id,
        sum(contracted_cost) as daily_spend
    from scoped
    group by 1, 2, 3

),

bounds as (

    select
        min(usage_date) as first_date,
        max(usage_date) as last_date
    from daily

),

numbers as (

    {{ dbt.generate_series(4096) }}

),

calendar as (

    select cast({{ dbt.dateadd('day', 'numbers.generated_number - 1', 'bounds.first_date') }} as date) as spend_date
    from numbers
    cross join bounds

),

scopes as (

    select distinct
        scope_type,
        scope_id
    from daily

),

dense as (

    select
        calendar.spend_date,
        scopes.scope_type,
        scopes.scope_id,
        case when {{ ai_finops.is_weekend('calendar.spend_date') }} then 'weekend' else 'weekday' end as day_type,
        coalesce(daily.daily_spend, 0) as daily_spend
    from calendar
    cross join bounds
    cross join scopes
    left join daily
        on calendar.spend_date = daily.usage_date
            and scopes.scope_type = daily.scope_type
            and scopes.scope_id = daily.scope_id
    where calendar.spend_date <= bounds.last_date

),

month_to_date as (

    select
        spend_date as origin_date,
        scope_type,
        scope_id,
        daily_spend,
        sum(daily_spend) over (
            partition by scope_type, scope_id, {{ dbt.date_trunc('month', 'spend_date') }}
            order by spend_date rows between unbounded preceding and current row
        ) as month_to_date_spend
    from dense

),

history as (

    select
        origin.spend_date as origin_date,
        origin.scope_type,
        origin.scope_id,
        past.day_type,
        past.daily_spend,
        {{ ai_finops.median('past.daily_spend') }} over (
            partition by origin.spend_date, origin.scope_type, origin.scope_id, past.day_type
        ) as median_spend
    from dense as origin
    inner join dense as past
        on origin.scope_type = past.scope_type
            and origin.scope_id = past.scope_id
            and origin.spend_date >= past.spend_date
            and past.spend_date
            > {{ dbt.dateadd('day', -1 * var('ai_finops__forecast_history_days'), 'origin.spend_date') }}

),

by_day_type as (

    select
        origin_date,
        scope_type,
        scope_id,
        day_type,
        count(*) as history_days,
        max(median_spend) as median_spend,
        {{ ai_finops.median('abs(daily_spend - median_spend)') }} as mad_spend
    from history
    group by 1, 2, 3, 4

),

final as (

    select
        month_to_date.origin_date,
        month_to_date.scope_type,
        month_to_date.scope_id,
        month_to_date.daily_spend,
        month_to_date.month_to_date_spend,
        coalesce(weekday.median_spend, weekend.median_spend) as weekday_median_spend,
        coalesce(weekend.median_spend, weekday.median_spend) as weekend_median_spend,
        coalesce(weekday.mad_spend, weekend.mad_spend) as weekday_mad_spend,
        coalesce(weekend.mad_spend, weekday.mad_spend) as weekend_mad_spend,
        coalesce(weekday.history_days, 0) as weekday_history_days,
        coalesce(weekend.history_days, 0) as weekend_history_days,
        coalesce(weekday.history_days, 0) + coalesce(weekend.history_days, 0) as history_days
    from month_to_date
    left join by_day_type as weekday
        on month_to_date.origin_date = weekday.origin_date
            and month_to_date.scope_type = weekday.scope_type
            and month_to_date.scope_id = weekday.scope_id
            and weekday.day_type = 'weekday'
    left join by_day_type as weekend
        on month_to_date.origin_date = weekend.origin_date
            and month_to_date.scope_type = weekend.scope_type
            and month_to_date.scope_id = weekend.scope_id
            and weekend.day_type = 'weekend'

)

select * from final
