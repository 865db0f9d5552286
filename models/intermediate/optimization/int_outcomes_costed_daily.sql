{#-
    Daily AI cost next to the business outcomes it bought. Grain: one row per day x team x
    workflow x outcome type. Cost comes from attribution (team = the team the spend is attributed
    to); outcomes belong to the workflow's owning team (seeds/ownership/ai_finops__workflows.csv). A workflow
    that reports no outcome type carries outcome_type 'none'. When a workflow reports several outcome
    types its cost repeats on each type's row (one cost, several yardsticks): sum cost over distinct
    day x team x workflow, never over outcome types (a singular test proves it reconciles).
-#}
{%- set unallocated = var('ai_finops__unallocated_label') -%}

with attributed as (

    select * from {{ ref('int_usage_attributed') }}

),

outcomes as (

    select * from {{ ref('stg_outcomes__business_outcomes') }}

),

workflows as (

    select * from {{ ai_finops.reference_table('workflows') }}

),

costs_daily as (

    select
        usage_date,
        team_id,
        workflow_id,
        sum(list_cost) as list_cost,
        sum(contracted_cost) as contracted_cost,
        sum(case when list_cost is null then 1 else 0 end) as unpriced_usage_rows
    from attributed
    group by 1, 2, 3

),

outcomes_daily as (

    select
        outcomes.event_date as usage_date,
        coalesce(nullif(workflows.team_id, ''), '{{ unallocated }}') as team_id,
        outcomes.workflow_id,
        outcomes.outcome_type,
        sum(outcomes.outcome_count) as outcome_count
    from outcomes
    left join workflows
        on outcomes.workflow_id = workflows.workflow_id
    group by 1, 2, 3, 4

),

workflow_outcome_types as (

    select distinct
        workflow_id,
        outcome_type
    from outcomes

),

costs_by_outcome_type as (

    select
        costs_daily.*,
        coalesce(workflow_outcome_types.outcome_type, 'none') as outcome_type
    from costs_daily
    left join workflow_outcome_types
        on costs_daily.workflow_id = workflow_outcome_types.workflow_id

),

joined as (

    select
        costs_by_outcome_type.list_cost,
        costs_by_outcome_type.contracted_cost,
        coalesce(costs_by_outcome_type.usage_date, outcomes_daily.usage_date) as usage_date,
        coalesce(costs_by_outcome_type.team_id, outcomes_daily.team_id) as team_id,
        coalesce(costs_by_outcome_type.workflow_id, outcomes_daily.workflow_id) as workflow_id,
        coalesce(costs_by_outcome_type.outcome_type, outcomes_daily.outcome_type) as outcome_type,
        coalesce(outcomes_daily.outcome_count, 0) as outcome_count,
        coalesce(costs_by_outcome_type.unpriced_usage_rows, 0) as unpriced_usage_rows,
        costs_by_outcome_type.workflow_id is not null as has_usage
    from costs_by_outcome_type
    full outer join outcomes_daily
        on costs_by_outcome_type.usage_date = outcomes_daily.usage_date
            and costs_by_outcome_type.team_id = outcomes_daily.team_id
            and costs_by_outcome_type.workflow_id = outcomes_daily.workflow_id
            and costs_by_outcome_type.outcome_type = outcomes_daily.outcome_type

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(usage_date as " ~ dbt.type_string() ~ ")", "'|'", "team_id", "'|'", "workflow_id", "'|'", "outcome_type"
        ])) }} as outcome_cost_daily_id,
        usage_date,
        team_id,
        workflow_id,
        outcome_type,
        cast(outcome_count as {{ dbt.type_bigint() }}) as outcome_count,
        -- a day with outcomes and no usage cost nothing (0); unpriced usage keeps its null cost
        cast(case when has_usage then list_cost else 0 end as {{ ai_finops.type_double() }}) as list_cost,
        cast(case when has_usage then contracted_cost else 0 end as {{ ai_finops.type_double() }}) as contracted_cost,
        cast(unpriced_usage_rows as {{ dbt.type_bigint() }}) as unpriced_usage_rows,
        has_usage
    from joined

)

select * from final
