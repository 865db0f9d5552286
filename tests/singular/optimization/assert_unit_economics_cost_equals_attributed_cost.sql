{#-
    Unit economics never loses or double counts spend: per month, the contracted cost of
    fct_unit_economics_monthly (counted once per team x workflow, since a workflow with several
    outcome types repeats its cost) equals attributed contracted cost. Returns the months that differ.
-#}
with unit_economics as (

    select
        usage_month,
        team_id,
        workflow_id,
        max(contracted_cost) as contracted_cost
    from {{ ref('fct_unit_economics_monthly') }}
    group by 1, 2, 3

),

unit_economics_monthly as (

    select
        usage_month,
        sum(contracted_cost) as contracted_cost
    from unit_economics
    group by 1

),

attributed_monthly as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as usage_month,
        sum(contracted_cost) as contracted_cost
    from {{ ref('int_usage_attributed') }}
    group by 1

)

select
    attributed_monthly.usage_month,
    attributed_monthly.contracted_cost as attributed_contracted_cost,
    unit_economics_monthly.contracted_cost as unit_economics_contracted_cost
from attributed_monthly
full outer join unit_economics_monthly
    on attributed_monthly.usage_month = unit_economics_monthly.usage_month
where
    attributed_monthly.usage_month is null
    or unit_economics_monthly.usage_month is null
    or abs(
        coalesce(attributed_monthly.contracted_cost, 0) - coalesce(unit_economics_monthly.contracted_cost, 0)
    ) > 0.000001
