{#-
    How a provider's bill for a month is spread over our usage rows, so every usage row carries a
    billed_cost and a month's rows add up to the bill. The part billed for models we can price is
    spread in proportion to contracted cost (credits with it); the part billed for models we cannot
    price, in proportion to those rows' tokens. Unit bills (OpenAI Costs API lines for images, audio,
    tools) whose usage the unit price book prices join the priced bill (their contracted cost is in
    priced_contracted_cost); the other unit bills are spread by int_billed_unit_cost_factors_monthly.
    Grain: billing month x provider with a billing source.
-#}
with usage as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        provider,
        sum(case when pricing_status = 'priced' then contracted_cost else 0 end) as priced_contracted_cost,
        sum(
            case
                when pricing_status <> 'priced'
                    then
                        uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens
                        + output_tokens
                else 0
            end
        ) as unpriced_tokens
    from {{ ref('int_usage_priced') }}
    group by 1, 2

),

billed as (

    select
        cast({{ dbt.date_trunc('month', 'billed_date') }} as date) as billing_month,
        provider,
        sum(case when is_priced_model then billed_cost else 0 end) as billed_cost_of_priced_models,
        sum(case when not is_priced_model then billed_cost else 0 end) as billed_cost_of_unpriced_models,
        sum(credit_amount) as credit_amount
    from {{ ref('int_billed_costs_daily') }}
    group by 1, 2

),

unit_billed as (

    select
        billing_month,
        provider,
        sum(billed_cost_of_priced_unit_usage) as billed_cost_of_priced_unit_usage,
        sum(billed_cost_of_unpriced_unit_usage) as billed_cost_of_unpriced_unit_usage
    from {{ ref('int_billed_unit_cost_factors_monthly') }}
    where has_unit_bill
    group by 1, 2

),

final as (

    select
        billed.billing_month,
        billed.provider,
        billed.billed_cost_of_priced_models,
        billed.billed_cost_of_unpriced_models,
        billed.credit_amount,
        coalesce(usage.priced_contracted_cost, 0) as priced_contracted_cost,
        coalesce(usage.unpriced_tokens, 0) as unpriced_tokens,
        (
            billed.billed_cost_of_priced_models + coalesce(unit_billed.billed_cost_of_priced_unit_usage, 0)
            + billed.credit_amount
        )
        / nullif(usage.priced_contracted_cost, 0) as billed_per_contracted_dollar,
        billed.billed_cost_of_unpriced_models / nullif(usage.unpriced_tokens, 0) as billed_per_unpriced_token,
        coalesce(unit_billed.billed_cost_of_priced_unit_usage, 0) as billed_cost_of_priced_unit_usage,
        coalesce(unit_billed.billed_cost_of_unpriced_unit_usage, 0) as billed_cost_of_unpriced_unit_usage
    from billed
    left join usage
        on
            billed.billing_month = usage.billing_month
            and billed.provider = usage.provider
    left join unit_billed
        on
            billed.billing_month = unit_billed.billing_month
            and billed.provider = unit_billed.provider

)

select * from final
