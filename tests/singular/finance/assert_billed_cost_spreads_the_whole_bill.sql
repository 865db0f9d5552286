{#-
    billed_cost on usage rows adds up to each provider's net bill for the month (bill plus credits),
    wherever there is usage to carry it: spreading the invoice over owners loses and invents nothing.
-#}
with spread as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        provider,
        sum(billed_cost) as billed_cost
    from {{ ref('fct_ai_cost_daily') }}
    where billed_cost_basis = 'provider_bill'
    group by 1, 2

),

factors as (

    select * from {{ ref('int_billed_cost_factors_monthly') }}

)

select
    factors.billing_month,
    factors.provider,
    spread.billed_cost,
    factors.billed_cost_of_priced_models + factors.credit_amount + factors.billed_cost_of_unpriced_models as net_bill
from factors
left join spread
    on factors.billing_month = spread.billing_month
        and factors.provider = spread.provider
where factors.priced_contracted_cost > 0
    and (factors.billed_cost_of_unpriced_models = 0 or factors.unpriced_tokens > 0)
    and abs(
        coalesce(spread.billed_cost, 0)
        - (factors.billed_cost_of_priced_models + factors.credit_amount + factors.billed_cost_of_unpriced_models)
    ) > 0.0001
