{#-
    How much of each provider's spend finance can pin on an owner, and how: directly (request tag,
    key, project/workspace/account owner), by a virtual-tag rule, by sharing the unallocated pool, or
    still unallocated after sharing. Read over months it shows the pooled-key problem shrinking.
    Measured in contracted cost (what is owed); list cost alongside. Unpriced usage has no cost here
    (see unpriced tokens in the chargeback). Grain: billing month x provider x coverage category x
    attribution method.
-#}
with daily as (

    select * from {{ ref('fct_ai_cost_daily') }}

),

allocations as (

    select * from {{ ref('fct_shared_cost_allocation_monthly') }}

),

usage as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        provider,
        case
            when attribution_method in ('request_tag', 'gateway_key_owner', 'api_key_owner', 'container_owner')
                then 'direct'
            when attribution_method = 'virtual_tag_rule' then 'rule'
            else 'unallocated'
        end as coverage_category,
        attribution_method,
        sum(coalesce(contracted_cost, 0)) as contracted_cost,
        sum(coalesce(list_cost, 0)) as list_cost
    from daily
    group by 1, 2, 3, 4

),

shared_out as (

    -- the part of the unallocated pool handed to real teams
    select
        billing_month,
        provider,
        sum(coalesce(allocated_contracted_cost, 0)) as contracted_cost,
        sum(coalesce(allocated_list_cost, 0)) as list_cost
    from allocations
    where pool_type = 'unallocated_usage'
        and team_id <> '{{ var("ai_finops__unallocated_label") }}'
    group by 1, 2

),

categorised as (

    select
        usage.billing_month,
        usage.provider,
        usage.coverage_category,
        usage.attribution_method,
        usage.contracted_cost - case
            when usage.coverage_category = 'unallocated' then coalesce(shared_out.contracted_cost, 0) else 0
        end as contracted_cost,
        usage.list_cost - case
            when usage.coverage_category = 'unallocated' then coalesce(shared_out.list_cost, 0) else 0
        end as list_cost
    from usage
    left join shared_out
        on usage.billing_month = shared_out.billing_month
            and usage.provider = shared_out.provider

    union all

    select
        billing_month,
        provider,
        'shared' as coverage_category,
        'shared_allocation' as attribution_method,
        contracted_cost,
        list_cost
    from shared_out

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(billing_month as " ~ dbt.type_string() ~ ")", "'|'", "provider", "'|'", "coverage_category",
            "'|'", "attribution_method"
        ])) }} as coverage_id,
        billing_month,
        provider,
        coverage_category,
        attribution_method,
        cast(contracted_cost as {{ ai_finops.type_double() }}) as contracted_cost,
        cast(list_cost as {{ ai_finops.type_double() }}) as list_cost,
        cast(
            contracted_cost / nullif(sum(contracted_cost) over (partition by billing_month, provider), 0)
            as {{ ai_finops.type_double() }}
        ) as share_of_provider_month,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from categorised

)

select * from final
