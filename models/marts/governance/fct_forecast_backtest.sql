{#-
    How good the month-end forecast is: for every complete month in the data, the forecasts made
    on days 10, 15 and 20 (from what was known that day) against the month's actual spend, ours
    and the naive run-rate. Absolute percentage errors per row; MAPE is their mean.
-#}
with forecasts as (

    select * from {{ ref('int_spend_forecasts_daily') }}

),

baselines as (

    select * from {{ ref('int_forecast_baselines_daily') }}

),

bounds as (

    select
        min(origin_date) as first_date,
        max(origin_date) as last_date
    from baselines

),

actuals as (

    select
        scope_type,
        scope_id,
        cast({{ dbt.date_trunc('month', 'origin_date') }} as date) as month_start_date,
        sum(daily_spend) as actual_month_spend
    from baselines
    group by 1, 2, 3

),

complete_months as (

    -- a month counts only when the data covers it from its first to its last day
    select actuals.*
    from actuals
    cross join bounds
    where
        actuals.month_start_date >= bounds.first_date
        and {{ dbt.dateadd('month', 1, 'actuals.month_start_date') }} <= {{ dbt.dateadd('day', 1, 'bounds.last_date') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "forecasts.scope_type", "'|'", "forecasts.scope_id", "'|'",
            "cast(forecasts.origin_date as " ~ dbt.type_string() ~ ")"
        ])) }} as backtest_id,
        forecasts.scope_type,
        forecasts.scope_id,
        forecasts.month_start_date,
        forecasts.origin_date as forecast_made_on_date,
        forecasts.month_days_elapsed as forecast_day_of_month,
        cast(complete_months.actual_month_spend as {{ ai_finops.type_double() }}) as actual_month_spend,
        cast(forecasts.month_end_forecast as {{ ai_finops.type_double() }}) as forecast_month_spend,
        cast(forecasts.month_end_lower as {{ ai_finops.type_double() }}) as forecast_lower_spend,
        cast(forecasts.month_end_upper as {{ ai_finops.type_double() }}) as forecast_upper_spend,
        cast(forecasts.month_end_naive_forecast as {{ ai_finops.type_double() }}) as naive_forecast_month_spend,
        cast(
            abs(forecasts.month_end_forecast - complete_months.actual_month_spend)
            / nullif(complete_months.actual_month_spend, 0) as {{ ai_finops.type_double() }}
        ) as forecast_ape,
        cast(
            abs(forecasts.month_end_naive_forecast - complete_months.actual_month_spend)
            / nullif(complete_months.actual_month_spend, 0) as {{ ai_finops.type_double() }}
        ) as naive_ape,
        complete_months.actual_month_spend >= forecasts.month_end_lower
        and complete_months.actual_month_spend <= forecasts.month_end_upper as is_actual_within_interval,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from forecasts
    inner join complete_months
        on forecasts.scope_type = complete_months.scope_type
            and forecasts.scope_id = complete_months.scope_id
            and forecasts.month_start_date = complete_months.month_start_date
    where forecasts.month_days_elapsed in (10, 15, 20)

)

select * from final
