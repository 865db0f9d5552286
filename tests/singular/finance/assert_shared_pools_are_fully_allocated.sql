{#-
    Every shared pool line is split exactly: its fractions sum to 1 and its allocated amounts to the
    line's amount; and after sharing, an unallocated-usage pool that had receivers leaves nothing on
    the `unallocated` usage line of its month.
-#}
with lines as (

    select
        billing_month,
        cost_pool_id,
        provider,
        model_id,
        coalesce(charge_id, '') as charge_id,
        max(pool_line_contracted_cost) as pool_line_contracted_cost,
        sum(allocated_contracted_cost) as allocated_contracted_cost,
        sum(fraction_of_total) as fraction_sum
    from {{ ref('fct_shared_cost_allocation_monthly') }}
    group by 1, 2, 3, 4, 5

),

unallocated_after_sharing as (

    select
        billing_month,
        sum(contracted_cost) as contracted_cost
    from {{ ref('fct_chargeback_monthly') }}
    where team_id = '{{ var("ai_finops__unallocated_label") }}'
    group by 1

),

shared_pool_months as (

    select distinct billing_month
    from {{ ref('fct_shared_cost_allocation_monthly') }}
    where pool_type = 'unallocated_usage' and team_id <> '{{ var("ai_finops__unallocated_label") }}'

)

select
    'pool line not fully split' as problem,
    billing_month,
    cost_pool_id
from lines
where abs(fraction_sum - 1) > 0.000000001
    or abs(coalesce(pool_line_contracted_cost, 0) - coalesce(allocated_contracted_cost, 0)) > 0.000001

union all

select
    'unallocated left after sharing' as problem,
    unallocated_after_sharing.billing_month,
    null as cost_pool_id
from unallocated_after_sharing
inner join shared_pool_months
    on unallocated_after_sharing.billing_month = shared_pool_months.billing_month
where abs(unallocated_after_sharing.contracted_cost) > 0.000001
