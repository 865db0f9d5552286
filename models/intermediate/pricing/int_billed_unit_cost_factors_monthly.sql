{#-
    The provider's bill for usage priced per unit (OpenAI Costs API unit lines: images, speech,
    transcription, code interpreter, vector storage, file and web search) matched to that unit usage,
    per billing month x provider x usage endpoint x model. A bill whose usage is all priced by the
    unit price book is a priced unit bill: it joins the bill for priced models and is spread in
    proportion to contracted cost (int_billed_cost_factors_monthly), and its difference to our
    contracted cost is a variance to explain. Any other unit bill (its usage has no unit price, or
    there is no unit usage for it) is explained by unpriced unit usage and spread over those usage
    rows per unit of usage_quantity (billed_per_unpriced_unit). Grain: billing month x provider x
    usage endpoint x model, for every key with a unit bill or unit usage.
-#}
with billed as (

    select
        cast({{ dbt.date_trunc('month', 'billed_date') }} as date) as billing_month,
        provider,
        usage_endpoint,
        model_id,
        sum(billed_cost) as billed_cost,
        sum(case when fx_status = 'missing_fx_rate' then 1 else 0 end) as unconverted_bill_lines
    from {{ ref('int_billed_costs_daily') }}
    where usage_kind = 'units'
    group by 1, 2, 3, 4

),

usage as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        provider,
        usage_endpoint,
        model_id,
        sum(case when pricing_status = 'priced' then contracted_cost else 0 end) as priced_contracted_cost,
        sum(case when pricing_status = 'priced' then usage_quantity else 0 end) as priced_quantity,
        sum(case when pricing_status <> 'priced' then usage_quantity else 0 end) as unpriced_quantity
    from {{ ref('int_usage_priced') }}
    where usage_kind = 'units'
    group by 1, 2, 3, 4

),

joined as (

    select
        coalesce(billed.billing_month, usage.billing_month) as billing_month,
        coalesce(billed.provider, usage.provider) as provider,
        coalesce(billed.usage_endpoint, usage.usage_endpoint) as usage_endpoint,
        coalesce(billed.model_id, usage.model_id) as model_id,
        billed.provider is not null as has_unit_bill,
        coalesce(billed.billed_cost, 0) as billed_cost,
        coalesce(billed.unconverted_bill_lines, 0) as unconverted_bill_lines,
        coalesce(usage.priced_contracted_cost, 0) as priced_contracted_cost,
        coalesce(usage.priced_quantity, 0) as priced_quantity,
        coalesce(usage.unpriced_quantity, 0) as unpriced_quantity
    from billed
    full outer join usage
        on billed.billing_month = usage.billing_month
            and billed.provider = usage.provider
            and billed.usage_endpoint = usage.usage_endpoint
            and billed.model_id = usage.model_id

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(billing_month as " ~ dbt.type_string() ~ ")", "'|'", "provider", "'|'",
            "coalesce(usage_endpoint, '')", "'|'", "coalesce(model_id, '')"
        ])) }} as unit_bill_key,
        billing_month,
        provider,
        usage_endpoint,
        model_id,
        has_unit_bill,
        billed_cost,
        unconverted_bill_lines,
        priced_contracted_cost,
        priced_quantity,
        unpriced_quantity,
        -- all of the key's usage is unit-priced: the bill is checked against our contracted cost
        priced_quantity > 0 and unpriced_quantity = 0 as is_priced_unit_usage,
        case when priced_quantity > 0 and unpriced_quantity = 0 then billed_cost else 0 end
            as billed_cost_of_priced_unit_usage,
        case when priced_quantity > 0 and unpriced_quantity = 0 then 0 else billed_cost end
            as billed_cost_of_unpriced_unit_usage,
        case
            when not (priced_quantity > 0 and unpriced_quantity = 0)
                then billed_cost / nullif(unpriced_quantity, 0)
        end as billed_per_unpriced_unit
    from joined

)

select * from final
