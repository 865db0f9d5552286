{#- The installed package's chargeback (usage lines) holds exactly its daily cost fact, per month. -#}
with daily as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        sum(list_cost) as list_cost
    from {{ ref('fct_ai_cost_daily') }}
    group by 1

),

charged as (

    select
        billing_month,
        sum(list_cost) as list_cost
    from {{ ref('fct_chargeback_monthly') }}
    where line_type = 'usage'
    group by 1

)

select
    daily.billing_month,
    daily.list_cost as daily_list_cost,
    charged.list_cost as chargeback_list_cost
from daily
left join charged
    on daily.billing_month = charged.billing_month
where charged.billing_month is null
    or abs(daily.list_cost - charged.list_cost) > 0.000001
