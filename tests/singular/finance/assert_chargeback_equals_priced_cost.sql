{#-
    Money reconciles end to end, per month: the chargeback's usage lines hold exactly the cost,
    tokens and requests that pricing produced (nothing dropped by attribution, nothing doubled by
    joins), and all lines together (after sharing) add exactly the month's shared charges: sharing
    moves money between owners, it never creates or loses any.
-#}
with priced as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        sum(list_cost) as list_cost,
        sum(contracted_cost) as contracted_cost,
        sum(uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens + output_tokens)
            as total_tokens,
        sum(request_count) as request_count
    from {{ ref('int_usage_priced') }}
    group by 1

),

charges as (

    select
        priced.billing_month,
        sum(cost_pool_charges.monthly_amount) as shared_charges
    from priced
    inner join {{ ai_finops.reference_table('cost_pool_charges') }} as cost_pool_charges
        on priced.billing_month >= cost_pool_charges.valid_from
            and priced.billing_month < coalesce(cost_pool_charges.valid_to, cast('9999-12-31' as date))
    group by 1

),

charged as (

    select
        billing_month,
        sum(case when line_type = 'usage' then list_cost else 0 end) as usage_list_cost,
        sum(list_cost) as list_cost_after_sharing,
        sum(contracted_cost) as contracted_cost_after_sharing,
        sum(total_tokens) as total_tokens,
        sum(request_count) as request_count
    from {{ ref('fct_chargeback_monthly') }}
    group by 1

)

select
    priced.list_cost as priced_list_cost,
    charged.usage_list_cost as chargeback_usage_list_cost,
    charged.list_cost_after_sharing,
    charges.shared_charges,
    priced.total_tokens as priced_tokens,
    charged.total_tokens as chargeback_tokens,
    coalesce(priced.billing_month, charged.billing_month) as billing_month
from priced
full outer join charged
    on priced.billing_month = charged.billing_month
left join charges
    on priced.billing_month = charges.billing_month
where priced.billing_month is null
    or charged.billing_month is null
    or abs(coalesce(priced.list_cost, 0) - coalesce(charged.usage_list_cost, 0)) > 0.000001
    or abs(coalesce(priced.list_cost, 0) + coalesce(charges.shared_charges, 0) - charged.list_cost_after_sharing)
    > 0.000001
    or abs(
        coalesce(priced.contracted_cost, 0) + coalesce(charges.shared_charges, 0)
        - charged.contracted_cost_after_sharing
    ) > 0.000001
    or priced.total_tokens <> charged.total_tokens
    or priced.request_count <> charged.request_count
