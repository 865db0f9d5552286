{#-
    Shared costs distributed to teams, one auditable line per split. Pools (seeds/allocation):
    the month's unallocated usage (per provider x model) and recurring charges not tied to usage
    (platform hosting, seats). Each pool is split by its allocation_method: proportional to the
    teams' attributed contracted cost in the month, even across the teams with attributed spend,
    or fixed percentages. fraction_of_total is the receiving team's fraction of the pool; a pool
    with no receiver in a month stays with `unallocated`. A receiver rolls up to its cost center as
    of the month's last day. Grain: month x cost pool x pool line (provider x model, or charge) x
    receiving team.
-#}
with daily as (

    select * from {{ ref('fct_ai_cost_daily') }}

),

pools as (

    select * from {{ ai_finops.reference_table('cost_pools') }}

),

charges as (

    select * from {{ ai_finops.reference_table('cost_pool_charges') }}

),

fixed_splits as (

    select * from {{ ai_finops.reference_table('cost_pool_fixed_splits') }}

),

teams as (

    select * from {{ ai_finops.reference_table('teams') }}

),

cost_centers as (

    select * from {{ ai_finops.reference_table('cost_centers') }}

),

business_units as (

    select * from {{ ai_finops.reference_table('business_units') }}

),

months as (

    select distinct
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        cast(
            {{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, dbt.date_trunc('month', 'usage_date'))) }} as date
        ) as month_last_day
    from daily

),

active_pools as (

    select
        months.billing_month,
        months.month_last_day,
        pools.cost_pool_id,
        pools.cost_pool_name,
        pools.pool_type,
        pools.allocation_method,
        pools.allocation_scope_type,
        pools.allocation_scope_id
    from months
    inner join pools
        on months.billing_month >= pools.valid_from
            and months.billing_month < coalesce(pools.valid_to, cast('9999-12-31' as date))

),

-- what is in each pool: unallocated usage per provider x model, or the month's recurring charges
unallocated_usage_lines as (

    select
        active_pools.billing_month,
        active_pools.cost_pool_id,
        daily.provider,
        daily.model_id,
        cast(null as {{ dbt.type_string() }}) as charge_id,
        cast(null as {{ dbt.type_string() }}) as charge_description,
        sum(daily.list_cost) as list_cost,
        sum(daily.contracted_cost) as contracted_cost,
        sum(daily.effective_cost) as effective_cost,
        sum(daily.billed_cost) as billed_cost
    from daily
    inner join active_pools
        on cast({{ dbt.date_trunc('month', 'daily.usage_date') }} as date) = active_pools.billing_month
            and active_pools.pool_type = 'unallocated_usage'
    where daily.team_id = '{{ var("ai_finops__unallocated_label") }}'
    group by 1, 2, 3, 4, 5, 6

),

charge_lines as (

    select
        active_pools.billing_month,
        active_pools.cost_pool_id,
        charges.provider,
        'not_applicable' as model_id,
        charges.charge_id,
        charges.charge_description,
        charges.monthly_amount as list_cost,
        charges.monthly_amount as contracted_cost,
        charges.monthly_amount as effective_cost,
        charges.monthly_amount as billed_cost
    from active_pools
    inner join charges
        on active_pools.cost_pool_id = charges.cost_pool_id
            and active_pools.billing_month >= charges.valid_from
            and active_pools.billing_month < coalesce(charges.valid_to, cast('9999-12-31' as date))
    where active_pools.pool_type = 'fixed_charge'

),

pool_lines as (

    select * from unallocated_usage_lines
    union all
    select * from charge_lines

),

-- who receives, with what weight
team_spend as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        team_id,
        business_unit_id,
        sum(coalesce(contracted_cost, 0)) as contracted_cost
    from daily
    where team_id <> '{{ var("ai_finops__unallocated_label") }}'
    group by 1, 2, 3

),

usage_weights as (

    select
        active_pools.billing_month,
        active_pools.cost_pool_id,
        team_spend.team_id,
        case when active_pools.allocation_method = 'even' then 1.0 else team_spend.contracted_cost end
            as allocation_weight
    from active_pools
    inner join team_spend
        on active_pools.billing_month = team_spend.billing_month
            and (
                active_pools.allocation_scope_type = 'all'
                or active_pools.allocation_scope_id = team_spend.business_unit_id
            )
    where
        active_pools.allocation_method in ('proportional', 'even')
        and team_spend.contracted_cost > 0

),

fixed_weights as (

    select
        active_pools.billing_month,
        active_pools.cost_pool_id,
        fixed_splits.team_id,
        fixed_splits.allocation_pct as allocation_weight
    from active_pools
    inner join fixed_splits
        on active_pools.cost_pool_id = fixed_splits.cost_pool_id
            and active_pools.billing_month >= fixed_splits.valid_from
            and active_pools.billing_month < coalesce(fixed_splits.valid_to, cast('9999-12-31' as date))
    where active_pools.allocation_method = 'fixed'

),

unioned_weights as (

    select * from usage_weights
    union all
    select * from fixed_weights

),

weights as (

    -- one weight per team, pool and month (a team in two business units over a month is summed)
    select
        billing_month,
        cost_pool_id,
        team_id,
        sum(allocation_weight) as allocation_weight
    from unioned_weights
    group by 1, 2, 3

),

pools_without_receivers as (

    select
        active_pools.billing_month,
        active_pools.cost_pool_id,
        '{{ var("ai_finops__unallocated_label") }}' as team_id,
        1.0 as allocation_weight
    from active_pools
    left join weights
        on active_pools.billing_month = weights.billing_month
            and active_pools.cost_pool_id = weights.cost_pool_id
            and weights.allocation_weight > 0
    where weights.cost_pool_id is null

),

all_receivers as (

    select * from weights
    where allocation_weight > 0
    union all
    select * from pools_without_receivers

),

receivers as (

    select
        billing_month,
        cost_pool_id,
        team_id,
        allocation_weight,
        allocation_weight / sum(allocation_weight) over (partition by billing_month, cost_pool_id)
            as fraction_of_total
    from all_receivers

),

allocated as (

    select
        pool_lines.billing_month,
        active_pools.month_last_day,
        pool_lines.cost_pool_id,
        active_pools.cost_pool_name,
        active_pools.pool_type,
        active_pools.allocation_method,
        pool_lines.provider,
        pool_lines.model_id,
        pool_lines.charge_id,
        pool_lines.charge_description,
        receivers.team_id,
        receivers.allocation_weight,
        receivers.fraction_of_total,
        pool_lines.list_cost as pool_line_list_cost,
        pool_lines.contracted_cost as pool_line_contracted_cost,
        pool_lines.list_cost * receivers.fraction_of_total as allocated_list_cost,
        pool_lines.contracted_cost * receivers.fraction_of_total as allocated_contracted_cost,
        pool_lines.effective_cost * receivers.fraction_of_total as allocated_effective_cost,
        pool_lines.billed_cost * receivers.fraction_of_total as allocated_billed_cost
    from pool_lines
    inner join active_pools
        on pool_lines.billing_month = active_pools.billing_month
            and pool_lines.cost_pool_id = active_pools.cost_pool_id
    inner join receivers
        on pool_lines.billing_month = receivers.billing_month
            and pool_lines.cost_pool_id = receivers.cost_pool_id

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(allocated.billing_month as " ~ dbt.type_string() ~ ")", "'|'", "allocated.cost_pool_id", "'|'",
            "allocated.provider", "'|'", "allocated.model_id", "'|'", "coalesce(allocated.charge_id, '')", "'|'",
            "allocated.team_id"
        ])) }} as allocation_line_id,
        allocated.billing_month,
        allocated.cost_pool_id,
        allocated.cost_pool_name,
        allocated.pool_type,
        allocated.allocation_method,
        allocated.provider,
        allocated.model_id,
        allocated.charge_id,
        allocated.charge_description,
        coalesce(business_units.business_unit_id, '{{ var("ai_finops__unallocated_label") }}') as business_unit_id,
        coalesce(business_units.business_unit_name, '{{ var("ai_finops__unallocated_label") }}')
            as business_unit_name,
        coalesce(cost_centers.cost_center_id, '{{ var("ai_finops__unallocated_label") }}') as cost_center_id,
        coalesce(cost_centers.cost_center_name, '{{ var("ai_finops__unallocated_label") }}') as cost_center_name,
        allocated.team_id,
        coalesce(teams.team_name, '{{ var("ai_finops__unallocated_label") }}') as team_name,
        cast(allocated.allocation_weight as {{ ai_finops.type_double() }}) as allocation_weight,
        cast(allocated.fraction_of_total as {{ ai_finops.type_double() }}) as fraction_of_total,
        cast(allocated.pool_line_list_cost as {{ ai_finops.type_double() }}) as pool_line_list_cost,
        cast(allocated.pool_line_contracted_cost as {{ ai_finops.type_double() }}) as pool_line_contracted_cost,
        cast(allocated.allocated_list_cost as {{ ai_finops.type_double() }}) as allocated_list_cost,
        cast(allocated.allocated_contracted_cost as {{ ai_finops.type_double() }}) as allocated_contracted_cost,
        cast(allocated.allocated_effective_cost as {{ ai_finops.type_double() }}) as allocated_effective_cost,
        cast(allocated.allocated_billed_cost as {{ ai_finops.type_double() }}) as allocated_billed_cost,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from allocated
    left join teams
        on allocated.team_id = teams.team_id
            and allocated.month_last_day >= teams.valid_from
            and allocated.month_last_day < coalesce(teams.valid_to, cast('9999-12-31' as date))
    left join cost_centers
        on teams.cost_center_id = cost_centers.cost_center_id
    left join business_units
        on cost_centers.business_unit_id = business_units.business_unit_id

)

select * from final
