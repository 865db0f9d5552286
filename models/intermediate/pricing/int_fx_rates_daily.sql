{#-
    The exchange rate into the reporting currency (var ai_finops__reporting_currency) for every day
    and currency: the newest rate on or before the day, at most var ai_finops__fx_max_rate_age_days
    days old (weekends and holidays carry the last rate). A day with no such rate has no row here, so
    a cost in that currency on that day is not converted (never taken at 1.0). The reporting currency
    itself converts at exactly 1 and needs no rate. Grain: rate day x currency.
-#}
with rates as (

    select
        rate_date,
        rate,
        upper(from_currency) as currency
    from {{ ai_finops.reference_table('fx_rates') }}
    where upper(to_currency) = upper('{{ var("ai_finops__reporting_currency") }}')
        and upper(from_currency) <> upper('{{ var("ai_finops__reporting_currency") }}')

),

numbers as (

    {{ dbt.generate_series(4096) }}

),

bounds as (

    select min(rate_date) as first_rate_date
    from rates

),

calendar as (

    select cast({{ dbt.dateadd('day', 'numbers.generated_number - 1', 'bounds.first_rate_date') }} as date) as rate_day
    from numbers
    cross join bounds

),

candidates as (

    select
        calendar.rate_day,
        rates.currency,
        rates.rate,
        rates.rate_date as observed_rate_date,
        row_number() over (
            partition by calendar.rate_day, rates.currency order by rates.rate_date desc
        ) as recency
    from calendar
    inner join rates
        on calendar.rate_day >= rates.rate_date
            and rates.rate_date >= cast(
                {{ dbt.dateadd('day', '-' ~ var('ai_finops__fx_max_rate_age_days'), 'calendar.rate_day') }} as date
            )

),

final as (

    select
        rate_day,
        currency,
        cast(rate as {{ ai_finops.type_double() }}) as rate_to_reporting_currency,
        observed_rate_date
    from candidates
    where recency = 1

)

select * from final
