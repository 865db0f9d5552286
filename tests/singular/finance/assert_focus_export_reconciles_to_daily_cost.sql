{#-
    The FOCUS export holds the same money and quantities as the cost mart, per provider and month, for every
    row of it (tokens and usage priced per unit: images, audio, tools): priced usage at the same list, contracted
    and effective (amortised) cost, every priced token and unit (usage_quantity) as a ConsumedQuantity.
    Commitments: EffectiveCost of priced usage plus the unused-commitment rows = daily effective cost + the unused
    cost of fct_commitment_utilization; BilledCost = the billed cost spread over usage rows, less the part of it on
    usage a commitment covered (the purchase pays for that), plus the commitment purchases. Unpriced usage appears
    only when the provider billed it (at the billed rate), so it is compared on billed cost: a cost-mart row
    with no billed cost has no FOCUS row, so all of the mart's billed cost must be in the export.
-#}
with focus as (

    select
        x_billing_month as billing_month,
        billing_account_id as provider,
        sum(case when x_pricing_status = 'priced' then list_cost else 0 end) as priced_list_cost,
        sum(case when x_pricing_status = 'priced' then contracted_cost else 0 end) as priced_contracted_cost,
        sum(case when x_pricing_status = 'priced' then effective_cost else 0 end) as priced_effective_cost,
        sum(case when x_pricing_status = 'unused_commitment' then effective_cost else 0 end) as unused_cost,
        sum(case when x_pricing_status = 'priced' then consumed_quantity else 0 end) as priced_quantity,
        sum(billed_cost) as billed_cost
    from {{ ref('fct_focus_cost_and_usage') }}
    group by 1, 2

),

daily as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        provider,
        sum(case when pricing_status = 'priced' then list_cost else 0 end) as priced_list_cost,
        sum(case when pricing_status = 'priced' then contracted_cost else 0 end) as priced_contracted_cost,
        sum(case when pricing_status = 'priced' then effective_cost else 0 end) as priced_effective_cost,
        -- unit rows have 0 tokens and their quantity in usage_quantity (null on token rows)
        sum(case when pricing_status = 'priced' then total_tokens + coalesce(usage_quantity, 0) else 0 end)
            as priced_quantity,
        sum(coalesce(billed_cost, 0)) as billed_cost
    from {{ ref('fct_ai_cost_daily') }}
    group by 1, 2

),

-- billed cost of usage commitments covered: contracted cost x the provider-month's billed factor
covered_billed as (

    select
        cast({{ dbt.date_trunc('month', 'commitments.usage_date') }} as date) as billing_month,
        commitments.provider,
        sum(commitments.commitment_covered_cost * coalesce(bill_factors.billed_per_contracted_dollar, 1.0))
            as covered_billed_cost
    from {{ ref('fct_ai_cost_daily') }} as commitments
    left join {{ ref('int_billed_cost_factors_monthly') }} as bill_factors
        on cast({{ dbt.date_trunc('month', 'commitments.usage_date') }} as date) = bill_factors.billing_month
            and commitments.provider = bill_factors.provider
    group by 1, 2

),

purchases as (

    select
        cast({{ dbt.date_trunc('month', 'period_start') }} as date) as billing_month,
        provider,
        sum(period_amount) as purchase_cost
    from {{ ref('int_commitment_periods') }}
    where period_amount is not null
    group by 1, 2

),

unused as (

    select
        cast({{ dbt.date_trunc('month', 'last_elapsed_date') }} as date) as billing_month,
        provider,
        sum(unused_cost) as unused_cost
    from {{ ref('fct_commitment_utilization') }}
    where unused_cost > 0
    group by 1, 2

),

expected as (

    select
        daily.billing_month,
        daily.provider,
        daily.priced_list_cost,
        daily.priced_contracted_cost,
        daily.priced_effective_cost,
        daily.priced_quantity,
        coalesce(unused.unused_cost, 0) as unused_cost,
        daily.billed_cost - coalesce(covered_billed.covered_billed_cost, 0) + coalesce(purchases.purchase_cost, 0)
            as billed_cost
    from daily
    left join covered_billed
        on daily.billing_month = covered_billed.billing_month
            and daily.provider = covered_billed.provider
    left join purchases
        on daily.billing_month = purchases.billing_month
            and daily.provider = purchases.provider
    left join unused
        on daily.billing_month = unused.billing_month
            and daily.provider = unused.provider

)

select
    focus.priced_list_cost as focus_list_cost,
    expected.priced_list_cost as daily_list_cost,
    focus.priced_quantity as focus_quantity,
    expected.priced_quantity as daily_quantity,
    focus.billed_cost as focus_billed_cost,
    expected.billed_cost as expected_billed_cost,
    focus.unused_cost as focus_unused_cost,
    expected.unused_cost as expected_unused_cost,
    coalesce(focus.billing_month, expected.billing_month) as billing_month,
    coalesce(focus.provider, expected.provider) as provider
from focus
full outer join expected
    on focus.billing_month = expected.billing_month
        and focus.provider = expected.provider
where focus.provider is null
    or expected.provider is null
    or abs(focus.priced_list_cost - expected.priced_list_cost) > 0.000001
    or abs(focus.priced_contracted_cost - expected.priced_contracted_cost) > 0.000001
    or abs(focus.priced_effective_cost - expected.priced_effective_cost) > 0.000001
    or abs(focus.unused_cost - expected.unused_cost) > 0.000001
    or abs(focus.priced_quantity - expected.priced_quantity) > 0.5
    or abs(focus.billed_cost - expected.billed_cost) > 0.0001
