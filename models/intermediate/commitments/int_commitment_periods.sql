{#-
    Every period of every commitment (seeds/contracts/ai_finops__commitments.csv) that has begun by the last
    usage day: a calendar month, quarter or year, or the whole term, clipped to the commitment's
    validity (valid_from inclusive, valid_to exclusive). A period cut short by the validity gets its
    amount and included usage pro rata by days. Amounts are converted from the commitment's currency
    to the reporting currency at the rate of the period's first day; without a rate they are null
    (fx_status missing_fx_rate: the commitment covers nothing, usage stays at contracted cost) and a
    test warns. Grain: commitment x period.
-#}
with commitments as (

    select * from {{ ai_finops.reference_table('commitments') }}

),

fx as (

    select * from {{ ref('int_fx_rates_daily') }}

),

usage_bounds as (

    select max(usage_date) as last_usage_date
    from {{ ref('int_usage_priced') }}

),

numbers as (

    {{ dbt.generate_series(4096) }}

),

first_day as (

    select min(valid_from) as first_commitment_date
    from commitments

),

calendar as (

    select
        cast({{ dbt.dateadd('day', 'numbers.generated_number - 1', 'first_day.first_commitment_date') }} as date)
            as date_day
    from numbers
    cross join first_day

),

days_in_force as (

    select
        commitments.commitment_id,
        calendar.date_day,
        usage_bounds.last_usage_date,
        case commitments.period
            when 'month' then cast({{ dbt.date_trunc('month', 'calendar.date_day') }} as date)
            when 'quarter' then cast({{ dbt.date_trunc('quarter', 'calendar.date_day') }} as date)
            when 'year' then cast({{ dbt.date_trunc('year', 'calendar.date_day') }} as date)
            else commitments.valid_from
        end as calendar_period_start
    from commitments
    cross join usage_bounds
    inner join calendar
        on commitments.valid_from <= calendar.date_day
            and coalesce(commitments.valid_to, cast('9999-12-31' as date)) > calendar.date_day

),

periods as (

    select
        commitment_id,
        calendar_period_start,
        last_usage_date,
        min(date_day) as period_start,
        cast({{ dbt.dateadd('day', 1, 'max(date_day)') }} as date) as period_end,
        count(*) as days_in_period
    from days_in_force
    -- periods that have begun by the last usage day (open-ended commitments stop there)
    where calendar_period_start <= last_usage_date
    group by 1, 2, 3

),

sized as (

    select
        periods.commitment_id,
        periods.period_start,
        periods.period_end,
        periods.days_in_period,
        periods.last_usage_date,
        cast({{ dbt.dateadd('day', 1, 'periods.last_usage_date') }} as date) as day_after_last_usage,
        commitments.provider,
        commitments.model_id,
        commitments.commitment_type,
        commitments.currency,
        coalesce(commitments.overage_pct, 100) as overage_pct,
        case commitments.period
            when 'month'
                then {{ dbt.datediff('periods.calendar_period_start',
                    dbt.dateadd('month', 1, 'periods.calendar_period_start'), 'day') }}
            when 'quarter'
                then {{ dbt.datediff('periods.calendar_period_start',
                    dbt.dateadd('month', 3, 'periods.calendar_period_start'), 'day') }}
            when 'year'
                then {{ dbt.datediff('periods.calendar_period_start',
                    dbt.dateadd('year', 1, 'periods.calendar_period_start'), 'day') }}
            else periods.days_in_period
        end as days_in_full_period,
        commitments.amount * {{ var('ai_finops__commitment_amount_scale') }} as full_period_amount,
        commitments.included_usage * {{ var('ai_finops__commitment_amount_scale') }} as full_period_included_usage,
        -- amounts convert to the reporting currency at the rate of the period's first day (null without one)
        case
            when upper(commitments.currency) = upper('{{ var("ai_finops__reporting_currency") }}') then 1.0
            else fx.rate_to_reporting_currency
        end as fx_rate
    from periods
    inner join commitments
        on periods.commitment_id = commitments.commitment_id
    left join fx
        on periods.period_start = fx.rate_day
            and upper(commitments.currency) = fx.currency

),

final as (

    select
        {{ dbt.hash(dbt.concat(["commitment_id", "'|'", "cast(period_start as " ~ dbt.type_string() ~ ")"])) }}
            as commitment_period_id,
        commitment_id,
        provider,
        model_id,
        commitment_type,
        -- the order in which commitments take usage: capacity first, then credits, bundles, committed spend
        case commitment_type
            when 'provisioned_throughput' then 1
            when 'prepaid_credit' then 2
            when 'usage_bundle' then 3
            when 'committed_spend' then 4
        end as commitment_stage,
        period_start,
        period_end,
        days_in_period,
        cast(full_period_amount * fx_rate * days_in_period / days_in_full_period as {{ ai_finops.type_double() }})
            as period_amount,
        cast(
            full_period_included_usage * fx_rate * days_in_period / days_in_full_period as {{ ai_finops.type_double() }}
        ) as period_included_usage,
        -- effective cost of one contracted dollar the commitment covers (a $270 purchase of $300 of credits: 0.9)
        cast(full_period_amount / nullif(full_period_included_usage, 0) as {{ ai_finops.type_double() }})
            as unit_rate,
        cast(overage_pct as {{ ai_finops.type_double() }}) as overage_pct,
        -- days of the period the usage data covers so far
        case
            when period_end <= day_after_last_usage then days_in_period
            when period_start > last_usage_date then 0
            else 1 + {{ dbt.datediff(
                'period_start', 'last_usage_date', 'day'
            ) }}
        end as elapsed_days,
        period_end <= day_after_last_usage as is_closed,
        currency as source_currency,
        fx_rate,
        case when fx_rate is null then 'missing_fx_rate' else 'ok' end as fx_status,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from sized

)

select * from final
