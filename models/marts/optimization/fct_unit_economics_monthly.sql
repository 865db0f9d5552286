{#-
    Unit economics: what one business outcome costs, per month, team, workflow and outcome type,
    its trend against the prior month, and whether spend moves with outcomes day by day.
    Grain: one row per month x team x workflow x outcome type. Cost is the team's attributed spend
    on the workflow; outcomes count for the workflow's owning team. A workflow reporting several
    outcome types repeats its cost on each (see int_outcomes_costed_daily).
-#}
{%- set min_days = var('ai_finops__unit_economics_min_days_for_correlation') -%}

with daily as (

    select * from {{ ref('int_outcomes_costed_daily') }}

),

workflows as (

    select * from {{ ai_finops.reference_table('workflows') }}

),

team_names as (

    select
        team_id,
        max(team_name) as team_name
    from {{ ai_finops.reference_table('teams') }}
    group by 1

),

monthly as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as usage_month,
        team_id,
        workflow_id,
        outcome_type,
        count(*) as active_days,
        sum(outcome_count) as outcome_count,
        sum(list_cost) as list_cost,
        sum(contracted_cost) as contracted_cost,
        sum(unpriced_usage_rows) as unpriced_usage_rows,
        -- corr is null/NaN without variance: only computed when both series vary
        case
            when count(*) >= {{ min_days }} and var_pop(contracted_cost) > 0 and var_pop(outcome_count) > 0
                then round(corr(contracted_cost, outcome_count), 4)
        end as daily_cost_outcome_correlation
    from daily
    group by 1, 2, 3, 4

),

unit_costs as (

    select
        *,
        case
            -- no attributed spend is not free: the cost sits elsewhere (e.g. container-level attribution)
            when outcome_count > 0 and unpriced_usage_rows = 0 and contracted_cost > 0
                then contracted_cost / outcome_count
        end as contracted_cost_per_outcome
    from monthly

),

trended as (

    select
        *,
        lag(contracted_cost_per_outcome) over (
            partition by team_id, workflow_id, outcome_type order by usage_month
        ) as prior_month_contracted_cost_per_outcome,
        lag(usage_month) over (
            partition by team_id, workflow_id, outcome_type order by usage_month
        ) as prior_usage_month
    from unit_costs

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(trended.usage_month as " ~ dbt.type_string() ~ ")", "'|'", "trended.team_id", "'|'",
            "trended.workflow_id", "'|'", "trended.outcome_type"
        ])) }} as unit_economics_id,
        trended.usage_month,
        trended.team_id,
        coalesce(team_names.team_name, trended.team_id) as team_name,
        trended.workflow_id,
        workflows.workflow_name,
        trended.outcome_type,
        cast(trended.active_days as {{ dbt.type_bigint() }}) as active_days,
        cast(trended.outcome_count as {{ dbt.type_bigint() }}) as outcome_count,
        cast(trended.list_cost as {{ ai_finops.type_double() }}) as list_cost,
        cast(trended.contracted_cost as {{ ai_finops.type_double() }}) as contracted_cost,
        cast(trended.unpriced_usage_rows > 0 as boolean) as has_unpriced_usage,
        cast(trended.contracted_cost_per_outcome as {{ ai_finops.type_double() }}) as contracted_cost_per_outcome,
        -- a gap month is no prior month: the trend compares consecutive months only
        cast(
            case
                when trended.prior_usage_month = cast({{ dbt.dateadd('month', -1, 'trended.usage_month') }} as date)
                    then trended.prior_month_contracted_cost_per_outcome
            end as {{ ai_finops.type_double() }}
        ) as prior_month_contracted_cost_per_outcome,
        cast(
            case
                when trended.prior_usage_month = cast({{ dbt.dateadd('month', -1, 'trended.usage_month') }} as date)
                    and trended.prior_month_contracted_cost_per_outcome > 0
                    then 100.0 * (trended.contracted_cost_per_outcome - trended.prior_month_contracted_cost_per_outcome)
                        / trended.prior_month_contracted_cost_per_outcome
            end as {{ ai_finops.type_double() }}
        ) as cost_per_outcome_change_pct,
        cast(trended.daily_cost_outcome_correlation as {{ ai_finops.type_double() }}) as daily_cost_outcome_correlation,
        case
            when trended.outcome_type = 'none' then 'no outcomes reported'
            when trended.outcome_count = 0 then 'spend without outcomes'
            when trended.unpriced_usage_rows > 0 then 'unpriced usage'
            when trended.contracted_cost = 0 then 'outcomes without attributed spend'
            when trended.daily_cost_outcome_correlation is null then 'too little data'
            when trended.daily_cost_outcome_correlation >= 0.5 then 'spend tracks outcomes'
            else 'spend does not track outcomes'
        end as consumption_signal,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from trended
    left join workflows
        on trended.workflow_id = workflows.workflow_id
    left join team_names
        on trended.team_id = team_names.team_id

)

select * from final
