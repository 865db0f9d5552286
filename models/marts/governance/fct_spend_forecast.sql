{#-
    Spend forecasts as of the last day with data, per scope (total, business unit, team,
    workflow): the current month's end and the next `ai_finops__forecast_horizon_days` days, each
    with an 80% prediction interval and the naive run-rate figure beside it.
-#}
with forecasts as (

    select * from {{ ref('int_spend_forecasts_daily') }}

),

as_of as (

    select max(origin_date) as as_of_date from forecasts

),

latest as (

    select forecasts.*
    from forecasts
    inner join as_of
        on forecasts.origin_date = as_of.as_of_date

),

month_end as (

    select
        origin_date as as_of_date,
        scope_type,
        scope_id,
        'month_end' as horizon,
        month_start_date as period_start_date,
        cast({{ dbt.dateadd('month', 1, 'month_start_date') }} as date) as period_end_date,
        month_to_date_spend as actual_to_date_spend,
        month_end_forecast as forecast_spend,
        month_end_lower as forecast_lower_spend,
        month_end_upper as forecast_upper_spend,
        month_end_naive_forecast as naive_forecast_spend,
        weekday_median_spend,
        weekend_median_spend
    from latest

),

horizon as (

    select
        origin_date as as_of_date,
        scope_type,
        scope_id,
        'next_{{ var("ai_finops__forecast_horizon_days") }}_days' as horizon,
        cast({{ dbt.dateadd('day', 1, 'origin_date') }} as date) as period_start_date,
        cast({{ dbt.dateadd('day', var('ai_finops__forecast_horizon_days') + 1, 'origin_date') }} as date)
            as period_end_date,
        0 as actual_to_date_spend,
        horizon_forecast as forecast_spend,
        horizon_lower as forecast_lower_spend,
        horizon_upper as forecast_upper_spend,
        -- naive: the month's run rate carried over the horizon
        month_to_date_spend
        / month_days_elapsed
        * {{ var('ai_finops__forecast_horizon_days') }} as naive_forecast_spend,
        weekday_median_spend,
        weekend_median_spend
    from latest

),

unioned as (

    select * from month_end
    union all
    select * from horizon

),

final as (

    select
        {{ dbt.hash(dbt.concat(["scope_type", "'|'", "scope_id", "'|'", "horizon"])) }} as forecast_id,
        as_of_date,
        scope_type,
        scope_id,
        horizon,
        period_start_date,
        period_end_date,
        cast(actual_to_date_spend as {{ ai_finops.type_double() }}) as actual_to_date_spend,
        cast(forecast_spend as {{ ai_finops.type_double() }}) as forecast_spend,
        cast(forecast_lower_spend as {{ ai_finops.type_double() }}) as forecast_lower_spend,
        cast(forecast_upper_spend as {{ ai_finops.type_double() }}) as forecast_upper_spend,
        cast(naive_forecast_spend as {{ ai_finops.type_double() }}) as naive_forecast_spend,
        cast(weekday_median_spend as {{ ai_finops.type_double() }}) as weekday_median_spend,
        cast(weekend_median_spend as {{ ai_finops.type_double() }}) as weekend_median_spend,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from unioned

)

select * from final
