{#-
    Money reconciles end to end: the chargeback mart holds exactly the cost, tokens and requests that
    pricing produced (nothing dropped by attribution, nothing doubled by joins), per month.
-#}
with priced as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        sum(list_cost) as list_cost,
        sum(uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens + output_tokens)
            as total_tokens,
        sum(request_count) as request_count
    from {{ ref('int_usage_priced') }}
    group by 1

),

charged as (

    select
        billing_month,
        sum(list_cost) as list_cost,
        sum(total_tokens) as total_tokens,
        sum(request_count) as request_count
    from {{ ref('fct_chargeback_monthly') }}
    group by 1

)

select
    priced.list_cost as priced_list_cost,
    charged.list_cost as chargeback_list_cost,
    priced.total_tokens as priced_tokens,
    charged.total_tokens as chargeback_tokens,
    coalesce(priced.billing_month, charged.billing_month) as billing_month
from priced
full outer join charged
    on priced.billing_month = charged.billing_month
where priced.billing_month is null
    or charged.billing_month is null
    or abs(coalesce(priced.list_cost, 0) - coalesce(charged.list_cost, 0)) > 0.000001
    or priced.total_tokens <> charged.total_tokens
    or priced.request_count <> charged.request_count
