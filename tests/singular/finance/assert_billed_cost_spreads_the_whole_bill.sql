{#-
    billed_cost on usage rows adds up to each provider's net bill for the month (bill plus credits),
    wherever there is usage to carry it: spreading the invoice over owners loses and invents nothing.
    Unit bills (OpenAI Costs API image, audio, tool lines) included: the priced ones ride on the priced
    bill, the others on the unpriced unit usage of their endpoint and model (where there is some).
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

unit_bills as (

    select
        billing_month,
        provider,
        sum(case when unpriced_quantity > 0 then billed_cost_of_unpriced_unit_usage else 0 end)
            as spreadable_unpriced_unit_bill
    from {{ ref('int_billed_unit_cost_factors_monthly') }}
    group by 1, 2

),

factors as (

    select
        bill_factors.*,
        bill_factors.billed_cost_of_priced_models + bill_factors.credit_amount
        + bill_factors.billed_cost_of_unpriced_models + bill_factors.billed_cost_of_priced_unit_usage
        + coalesce(unit_bills.spreadable_unpriced_unit_bill, 0) as net_bill
    from {{ ref('int_billed_cost_factors_monthly') }} as bill_factors
    left join unit_bills
        on bill_factors.billing_month = unit_bills.billing_month
            and bill_factors.provider = unit_bills.provider

)

select
    factors.billing_month,
    factors.provider,
    spread.billed_cost,
    factors.net_bill
from factors
left join spread
    on factors.billing_month = spread.billing_month
        and factors.provider = spread.provider
where factors.priced_contracted_cost > 0
    and (factors.billed_cost_of_unpriced_models = 0 or factors.unpriced_tokens > 0)
    and abs(coalesce(spread.billed_cost, 0) - factors.net_bill) > 0.0001
