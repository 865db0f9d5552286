{#-
    Savings never double count: within a group of recommendations touching the same tokens, the
    incremental savings add up to at most the group's cost, no recommendation is credited with more
    than it saves alone, and the top-ranked one is credited in full. Returns offending groups.
-#}
with recommendations as (

    select * from {{ ref('fct_optimization_recommendations') }}

),

groups as (

    select
        overlap_group,
        max(current_monthly_list_cost) as current_monthly_list_cost,
        sum(incremental_monthly_savings) as incremental_monthly_savings,
        sum(case when incremental_monthly_savings > estimated_monthly_savings + 0.000001 then 1 else 0 end)
            as over_credited,
        sum(
            case
                when rank_in_overlap_group = 1 and recommendation_type <> 'commitment_break_even'
                    and abs(incremental_monthly_savings - estimated_monthly_savings) > 0.000001 then 1
                else 0
            end
        ) as top_not_in_full
    from recommendations
    group by 1

)

select * from groups
where incremental_monthly_savings > current_monthly_list_cost + 0.000001
    or over_credited > 0
    or top_not_in_full > 0
