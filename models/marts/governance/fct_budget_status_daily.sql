{#-
    Every budget on every day it is in force, up to the last day with data: spend to date in the
    current period (contracted cost: what is owed), burn rate, projected period-end spend,
    projected overrun date, highest soft threshold crossed, status and the roll-up of child budgets.
    A period (calendar month / quarter / custom range) starts again from zero; a budget version
    changed mid-period changes the amount from its date but never the spend already counted.
-#}
with budgets as (

    select
        budget_id,
        budget_name,
        scope_type,
        scope_id,
        period_type,
        period_start,
        period_end,
        currency,
        threshold_pcts,
        parent_budget_id,
        valid_from,
        valid_to,
        amount * {{ var('ai_finops__budget_amount_scale') }} as amount,
        hard_cap_amount * {{ var('ai_finops__budget_amount_scale') }} as hard_cap_amount
    from {{ ai_finops.reference_table('budgets') }}

),

spend as (

    select * from {{ ref('int_spend_scoped_daily') }}

),

workflows as (

    select * from {{ ai_finops.reference_table('workflows') }}

),

as_of as (

    select max(usage_date) as as_of_date from spend

),

first_day as (

    select min(valid_from) as first_budget_date from budgets

),

numbers as (

    {{ dbt.generate_series(4096) }}

),

calendar as (

    select
        cast({{ dbt.dateadd('day', 'numbers.generated_number - 1', 'first_day.first_budget_date') }} as date)
            as budget_date
    from numbers
    cross join first_day

),

days as (

    select calendar.budget_date
    from calendar
    inner join as_of
        on calendar.budget_date <= as_of.as_of_date

),

budget_days as (

    select
        days.budget_date,
        budgets.*,
        cast(case
            when budgets.period_type = 'monthly' then {{ dbt.date_trunc('month', 'days.budget_date') }}
            when budgets.period_type = 'quarterly' then {{ dbt.date_trunc('quarter', 'days.budget_date') }}
            else budgets.period_start
        end as date) as period_start_date
    from budgets
    inner join days
        on budgets.valid_from <= days.budget_date
            and coalesce(budgets.valid_to, cast('9999-12-31' as date)) > days.budget_date
            and (
                budgets.period_type <> 'custom'
                or (budgets.period_start <= days.budget_date and budgets.period_end > days.budget_date)
            )

),

periods as (

    select
        *,
        cast(case
            when period_type = 'monthly' then {{ dbt.dateadd('month', 1, 'period_start_date') }}
            when period_type = 'quarterly' then {{ dbt.dateadd('month', 3, 'period_start_date') }}
            else period_end
        end as date) as period_end_date,
        cast(nullif({{ dbt.split_part('threshold_pcts', "'|'", 1) }}, '') as {{ ai_finops.type_double() }})
            as threshold_1_pct,
        cast(nullif({{ dbt.split_part('threshold_pcts', "'|'", 2) }}, '') as {{ ai_finops.type_double() }})
            as threshold_2_pct,
        cast(nullif({{ dbt.split_part('threshold_pcts', "'|'", 3) }}, '') as {{ ai_finops.type_double() }})
            as threshold_3_pct,
        cast(nullif({{ dbt.split_part('threshold_pcts', "'|'", 4) }}, '') as {{ ai_finops.type_double() }})
            as threshold_4_pct,
        cast(nullif({{ dbt.split_part('threshold_pcts', "'|'", 5) }}, '') as {{ ai_finops.type_double() }})
            as threshold_5_pct
    from budget_days

),

with_spend as (

    select
        periods.*,
        coalesce(spend.contracted_cost, 0) as daily_spend
    from periods
    left join spend
        on periods.scope_type = spend.scope_type
            and periods.scope_id = spend.scope_id
            and periods.budget_date = spend.usage_date

),

cumulated as (

    select
        *,
        -- the dispatched datediff expands past the line limit on DuckDB
        {{ dbt.datediff('period_start_date', 'budget_date', 'day') }} + 1 as days_elapsed,  -- noqa: LT05
        {{ dbt.datediff('period_start_date', 'period_end_date', 'day') }} as days_in_period,  -- noqa: LT05
        sum(daily_spend) over (
            partition by budget_id, period_start_date order by budget_date
            rows between unbounded preceding and current row
        ) as spend_to_date,
        avg(daily_spend) over (
            partition by budget_id order by budget_date
            rows between {{ var('ai_finops__budget_burn_window_days') - 1 }} preceding and current row
        ) as burn_rate_daily
    from with_spend

),

projected as (

    select
        *,
        spend_to_date + burn_rate_daily * (days_in_period - days_elapsed) as projected_period_end_spend,
        -- the first day of this period the spend reached the amount in force that day (no look-ahead)
        min(case when spend_to_date >= amount then budget_date end) over (
            partition by budget_id, period_start_date order by budget_date
            rows between unbounded preceding and current row
        ) as overrun_date
    from cumulated

),

assessed as (

    select
        *,
        case
            when overrun_date is not null then overrun_date
            when burn_rate_daily > 0 and projected_period_end_spend > amount
                then cast({{ dbt.dateadd(
                    'day',
                    'cast(ceil((amount - spend_to_date) / burn_rate_daily) as ' ~ dbt.type_int() ~ ')',
                    'budget_date'
                ) }} as date)
        end as projected_overrun_date,
        case
            when spend_to_date * 100 >= amount * threshold_5_pct then threshold_5_pct
            when spend_to_date * 100 >= amount * threshold_4_pct then threshold_4_pct
            when spend_to_date * 100 >= amount * threshold_3_pct then threshold_3_pct
            when spend_to_date * 100 >= amount * threshold_2_pct then threshold_2_pct
            when spend_to_date * 100 >= amount * threshold_1_pct then threshold_1_pct
        end as highest_threshold_crossed_pct,
        case
            when hard_cap_amount is not null and spend_to_date >= hard_cap_amount then 'hard_cap_breached'
            when spend_to_date >= amount then 'over'
            when projected_period_end_spend > amount then 'warning'
            else 'ok'
        end as budget_status
    from projected

),

children as (

    select
        parent_budget_id,
        budget_date,
        count(*) as child_budget_count,
        sum(spend_to_date) as child_budgets_spend_to_date,
        sum(amount) as child_budgets_amount
    from assessed
    where parent_budget_id is not null
    group by 1, 2

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "assessed.budget_id", "'|'", "cast(assessed.budget_date as " ~ dbt.type_string() ~ ")"
        ])) }} as budget_status_id,
        assessed.budget_date,
        assessed.budget_id,
        assessed.budget_name,
        assessed.scope_type,
        assessed.scope_id,
        case
            when assessed.scope_type = 'team' then assessed.scope_id
            when assessed.scope_type in ('workflow', 'agent') then workflows.team_id
        end as owner_team_id,
        assessed.period_type,
        assessed.period_start_date,
        assessed.period_end_date,
        cast(assessed.days_elapsed as {{ dbt.type_int() }}) as days_elapsed,
        cast(assessed.days_in_period as {{ dbt.type_int() }}) as days_in_period,
        cast(assessed.amount as {{ ai_finops.type_double() }}) as budget_amount,
        cast(assessed.hard_cap_amount as {{ ai_finops.type_double() }}) as hard_cap_amount,
        assessed.currency,
        assessed.threshold_pcts,
        cast(assessed.daily_spend as {{ ai_finops.type_double() }}) as daily_spend,
        cast(assessed.spend_to_date as {{ ai_finops.type_double() }}) as spend_to_date,
        cast(assessed.spend_to_date * 100.0 / nullif(assessed.amount, 0) as {{ ai_finops.type_double() }})
            as spend_pct_of_budget,
        cast(assessed.burn_rate_daily as {{ ai_finops.type_double() }}) as burn_rate_daily,
        cast(assessed.projected_period_end_spend as {{ ai_finops.type_double() }}) as projected_period_end_spend,
        assessed.overrun_date,
        assessed.projected_overrun_date,
        cast(assessed.highest_threshold_crossed_pct as {{ ai_finops.type_double() }}) as highest_threshold_crossed_pct,
        assessed.budget_status,
        assessed.parent_budget_id,
        cast(coalesce(children.child_budget_count, 0) as {{ dbt.type_int() }}) as child_budget_count,
        cast(children.child_budgets_spend_to_date as {{ ai_finops.type_double() }}) as child_budgets_spend_to_date,
        cast(children.child_budgets_amount as {{ ai_finops.type_double() }}) as child_budgets_amount,
        assessed.budget_date = as_of.as_of_date as is_latest
    from assessed
    cross join as_of
    left join workflows
        on assessed.scope_type in ('workflow', 'agent')
            and assessed.scope_id = workflows.workflow_id
    left join children
        on assessed.budget_id = children.parent_budget_id
            and assessed.budget_date = children.budget_date

)

select * from final
