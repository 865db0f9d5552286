{#-
    Usage priced per unit (int_usage_units_daily: images, audio, tools) reaches the money marts whole,
    per provider, month and endpoint: the same rows, quantities, requests (web-search model requests
    excepted: completions count them) and list cost in int_usage_unioned / int_usage_priced, the same
    quantity and list cost in fct_ai_cost_daily, and the same list cost in the chargeback's usage
    lines (unit_usage_list_cost). Unpriced unit rows keep a null cost (never 0) in every step.
-#}
with units as (

    select
        provider,
        usage_endpoint,
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        count(*) as usage_rows,
        sum(usage_quantity) as usage_quantity,
        sum(case when usage_endpoint <> 'web_search_calls' then request_count end) as request_count,
        sum(list_cost) as list_cost,
        sum(case when pricing_status <> 'priced' then 1 else 0 end) as unpriced_rows,
        sum(case when pricing_status <> 'priced' and list_cost is not null then 1 else 0 end) as unpriced_with_cost
    from {{ ref('int_usage_units_daily') }}
    group by 1, 2, 3

),

priced as (

    select
        provider,
        usage_endpoint,
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        count(*) as usage_rows,
        sum(usage_quantity) as usage_quantity,
        sum(request_count) as request_count,
        sum(list_cost) as list_cost,
        sum(case when pricing_status <> 'priced' then 1 else 0 end) as unpriced_rows,
        sum(case when pricing_status <> 'priced' and contracted_cost is not null then 1 else 0 end)
            as unpriced_with_cost,
        sum(
            uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens + output_tokens
        ) as tokens
    from {{ ref('int_usage_priced') }}
    where usage_kind = 'units'
    group by 1, 2, 3

),

daily as (

    select
        provider,
        usage_endpoint,
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        sum(usage_quantity) as usage_quantity,
        sum(list_cost) as list_cost,
        sum(total_tokens) as tokens,
        sum(case when pricing_status <> 'priced' and list_cost is not null then 1 else 0 end) as unpriced_with_cost
    from {{ ref('fct_ai_cost_daily') }}
    where usage_kind = 'units'
    group by 1, 2, 3

),

units_by_month as (

    select
        provider,
        billing_month,
        sum(list_cost) as list_cost
    from units
    group by 1, 2

),

chargeback as (

    select
        provider,
        billing_month,
        sum(unit_usage_list_cost) as list_cost
    from {{ ref('fct_chargeback_monthly') }}
    where line_type = 'usage'
    group by 1, 2

),

endpoint_failures as (

    select
        coalesce(units.provider, priced.provider, daily.provider) as provider,
        coalesce(units.billing_month, priced.billing_month, daily.billing_month) as billing_month,
        coalesce(units.usage_endpoint, priced.usage_endpoint, daily.usage_endpoint) as usage_endpoint,
        units.list_cost as units_list_cost,
        priced.list_cost as priced_list_cost,
        daily.list_cost as daily_list_cost
    from units
    full outer join priced
        on units.provider = priced.provider
            and units.usage_endpoint = priced.usage_endpoint
            and units.billing_month = priced.billing_month
    full outer join daily
        on coalesce(units.provider, priced.provider) = daily.provider
            and coalesce(units.usage_endpoint, priced.usage_endpoint) = daily.usage_endpoint
            and coalesce(units.billing_month, priced.billing_month) = daily.billing_month
    where units.provider is null
        or priced.provider is null
        or daily.provider is null
        or units.usage_rows <> priced.usage_rows
        or units.usage_quantity <> priced.usage_quantity
        or units.usage_quantity <> daily.usage_quantity
        or coalesce(units.request_count, -1) <> coalesce(priced.request_count, -1)
        or units.unpriced_rows <> priced.unpriced_rows
        or units.unpriced_with_cost + priced.unpriced_with_cost + daily.unpriced_with_cost > 0
        or priced.tokens <> 0
        or daily.tokens <> 0
        or abs(coalesce(units.list_cost, 0) - coalesce(priced.list_cost, 0)) > 0.000001
        or abs(coalesce(units.list_cost, 0) - coalesce(daily.list_cost, 0)) > 0.000001
        or (units.list_cost is null) <> (daily.list_cost is null)

),

chargeback_failures as (

    select
        units_by_month.provider,
        units_by_month.billing_month,
        'all_endpoints' as usage_endpoint,
        units_by_month.list_cost as units_list_cost,
        chargeback.list_cost as priced_list_cost,
        chargeback.list_cost as daily_list_cost
    from units_by_month
    left join chargeback
        on units_by_month.provider = chargeback.provider
            and units_by_month.billing_month = chargeback.billing_month
    where abs(coalesce(units_by_month.list_cost, 0) - coalesce(chargeback.list_cost, 0)) > 0.000001

)

select * from endpoint_failures
union all
select * from chargeback_failures
