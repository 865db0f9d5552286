{#-
    Forecasts made on every day (the origin) for every scope, from what was known that day:
    month-end spend (month to date + each remaining day at its day-type median) and the next
    `ai_finops__forecast_horizon_days` days, each with an 80% prediction interval (1.2816 x the
    combined spread of the remaining days, each day's spread being 1.4826 x its day type's MAD),
    and the naive run-rate forecast (month to date / days elapsed x days in month) for comparison.
-#}
with baselines as (

    select * from {{ ref('int_forecast_baselines_daily') }}

),

numbers as (

    {{ dbt.generate_series(var('ai_finops__forecast_horizon_days')) }}

),

ahead as (

    select
        baselines.origin_date,
        baselines.scope_type,
        baselines.scope_id,
        cast({{ dbt.dateadd('day', 'numbers.generated_number', 'baselines.origin_date') }} as date) as forecast_date
    from baselines
    cross join numbers

),

ahead_typed as (

    select
        *,
        case when {{ ai_finops.is_weekend('forecast_date') }} then 1 else 0 end as is_weekend_day,
        case
            when
                {{ dbt.date_trunc('month', 'forecast_date') }}
                = {{ dbt.date_trunc('month', 'origin_date') }}
                then 1
            else 0
        end as is_same_month
    from ahead

),

remaining as (

    select
        origin_date,
        scope_type,
        scope_id,
        sum(is_same_month * (1 - is_weekend_day)) as month_weekdays_left,
        sum(is_same_month * is_weekend_day) as month_weekend_days_left,
        sum(1 - is_weekend_day) as horizon_weekdays,
        sum(is_weekend_day) as horizon_weekend_days
    from ahead_typed
    group by 1, 2, 3

),

combined as (

    select
        baselines.*,
        remaining.month_weekdays_left,
        remaining.month_weekend_days_left,
        remaining.horizon_weekdays,
        remaining.horizon_weekend_days,
        cast({{ dbt.date_trunc('month', 'baselines.origin_date') }} as date) as month_start_date,
        extract(day from baselines.origin_date) as month_days_elapsed
    from baselines
    inner join remaining
        on baselines.origin_date = remaining.origin_date
            and baselines.scope_type = remaining.scope_type
            and baselines.scope_id = remaining.scope_id

),

forecast as (

    select
        *,
        month_days_elapsed + month_weekdays_left + month_weekend_days_left as month_days,
        month_weekdays_left * weekday_median_spend + month_weekend_days_left * weekend_median_spend
            as month_remaining_forecast,
        1.2816 * 1.4826 * sqrt(
            month_weekdays_left * weekday_mad_spend * weekday_mad_spend
            * (1 + month_weekdays_left * 1.0 / coalesce(nullif(weekday_history_days, 0), weekend_history_days))
            + month_weekend_days_left * weekend_mad_spend * weekend_mad_spend
            * (1 + month_weekend_days_left * 1.0 / coalesce(nullif(weekend_history_days, 0), weekday_history_days))
        ) as month_interval_half_width,
        horizon_weekdays * weekday_median_spend + horizon_weekend_days * weekend_median_spend as horizon_forecast,
        1.2816 * 1.4826 * sqrt(
            horizon_weekdays * weekday_mad_spend * weekday_mad_spend
            * (1 + horizon_weekdays * 1.0 / coalesce(nullif(weekday_history_days, 0), weekend_history_days))
            + horizon_weekend_days * weekend_mad_spend * weekend_mad_spend
            * (1 + horizon_weekend_days * 1.0 / coalesce(nullif(weekend_history_days, 0), weekday_history_days))
        ) as horizon_interval_half_width
    from combined

),

final as (

    select
        origin_date,
        scope_type,
        scope_id,
        history_days,
        weekday_history_days,
        weekend_history_days,
        weekday_median_spend,
        weekend_median_spend,
        month_start_date,
        cast(month_days_elapsed as {{ dbt.type_int() }}) as month_days_elapsed,
        cast(month_days as {{ dbt.type_int() }}) as month_days,
        month_to_date_spend,
        month_to_date_spend + month_remaining_forecast as month_end_forecast,
        month_to_date_spend + case
            when month_remaining_forecast - month_interval_half_width > 0
                then month_remaining_forecast - month_interval_half_width
            else 0
        end as month_end_lower,
        month_to_date_spend + month_remaining_forecast + month_interval_half_width as month_end_upper,
        month_to_date_spend * month_days / month_days_elapsed as month_end_naive_forecast,
        horizon_forecast,
        case
            when horizon_forecast - horizon_interval_half_width > 0 then horizon_forecast - horizon_interval_half_width
            else 0
        end as horizon_lower,
        horizon_forecast + horizon_interval_half_width as horizon_upper
    from forecast

)

select * from final
