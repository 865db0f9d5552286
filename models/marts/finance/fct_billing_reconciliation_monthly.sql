{#-
    Our computed cost against what each provider billed, per provider and month: the bill should
    equal the contracted cost (list less negotiated discounts). The variance
    is split into what explains it (bills for models our price book cannot price; credits are shown
    apart) and what does not; unexplained_variance_pct is the number to watch. Bill lines in a
    currency without an FX rate are not in billed_cost; unconverted_bill_lines counts them.
    Usage priced per unit (images, audio, tools) is in the computed cost; its bill lines (OpenAI
    Costs API unit lines) are shown apart: billed_unit_usage_cost against computed_unit_usage_contracted_cost,
    and the unit bills whose usage has no unit price are explained (explained_by_unpriced_unit_usage).
    Grain: one row per billing month x provider.
-#}
with computed as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        provider,
        sum(list_cost) as computed_list_cost,
        sum(contracted_cost) as computed_contracted_cost,
        sum(case when pricing_status <> 'priced' then total_tokens else 0 end) as unpriced_tokens,
        sum(case when usage_kind = 'units' then contracted_cost else 0 end) as computed_unit_contracted_cost,
        sum(case when usage_kind = 'units' and pricing_status <> 'priced' then 1 else 0 end) as unpriced_unit_rows
    from {{ ref('fct_ai_cost_daily') }}
    group by 1, 2

),

billed as (

    select
        cast({{ dbt.date_trunc('month', 'billed_date') }} as date) as billing_month,
        provider,
        sum(billed_cost) as billed_cost,
        sum(case when not is_priced_model then billed_cost else 0 end) as billed_cost_of_unpriced_models,
        sum(credit_amount) as credit_amount,
        sum(case when fx_status = 'missing_fx_rate' then 1 else 0 end) as unconverted_bill_lines
    from {{ ref('int_billed_costs_daily') }}
    group by 1, 2

),

unit_billed as (

    select
        billing_month,
        provider,
        sum(billed_cost) as billed_unit_cost,
        sum(billed_cost_of_priced_unit_usage) as billed_cost_of_priced_unit_usage,
        sum(billed_cost_of_unpriced_unit_usage) as billed_cost_of_unpriced_unit_usage
    from {{ ref('int_billed_unit_cost_factors_monthly') }}
    group by 1, 2

),

joined as (

    select
        billed.billed_cost,
        billed.billed_cost_of_unpriced_models,
        billed.credit_amount,
        coalesce(billed.unconverted_bill_lines, 0) as unconverted_bill_lines,
        coalesce(computed.billing_month, billed.billing_month) as billing_month,
        coalesce(computed.provider, billed.provider) as provider,
        billed.provider is not null as has_billing_source,
        coalesce(computed.computed_list_cost, 0) as computed_list_cost,
        coalesce(computed.computed_contracted_cost, 0) as computed_contracted_cost,
        coalesce(computed.unpriced_tokens, 0) as unpriced_tokens,
        coalesce(computed.computed_unit_contracted_cost, 0) as computed_unit_contracted_cost,
        coalesce(computed.unpriced_unit_rows, 0) as unpriced_unit_rows,
        coalesce(unit_billed.billed_unit_cost, 0) as billed_unit_cost,
        coalesce(unit_billed.billed_cost_of_priced_unit_usage, 0) as billed_cost_of_priced_unit_usage,
        coalesce(unit_billed.billed_cost_of_unpriced_unit_usage, 0) as billed_cost_of_unpriced_unit_usage
    from computed
    full outer join billed
        on
            computed.billing_month = billed.billing_month
            and computed.provider = billed.provider
    left join unit_billed
        on
            coalesce(computed.billing_month, billed.billing_month) = unit_billed.billing_month
            and coalesce(computed.provider, billed.provider) = unit_billed.provider

),

final as (

    select
        {{ dbt.hash(dbt.concat(["cast(billing_month as " ~ dbt.type_string() ~ ")", "'|'", "provider"])) }}
            as reconciliation_id,
        billing_month,
        provider,
        has_billing_source,
        cast(computed_list_cost as {{ ai_finops.type_double() }}) as computed_list_cost,
        cast(computed_contracted_cost as {{ ai_finops.type_double() }}) as computed_contracted_cost,
        cast(billed_cost as {{ ai_finops.type_double() }}) as billed_cost,
        cast(credit_amount as {{ ai_finops.type_double() }}) as credit_amount,
        cast(billed_cost + credit_amount as {{ ai_finops.type_double() }}) as net_billed_cost,
        cast(unpriced_tokens as {{ dbt.type_bigint() }}) as unpriced_tokens,
        cast(billed_cost - computed_contracted_cost as {{ ai_finops.type_double() }}) as variance,
        cast(billed_cost_of_unpriced_models as {{ ai_finops.type_double() }}) as explained_by_unpriced_models,
        cast(
            billed_cost - computed_contracted_cost - billed_cost_of_unpriced_models - billed_cost_of_unpriced_unit_usage
            as {{ ai_finops.type_double() }}
        ) as unexplained_variance,
        cast(
            (
                billed_cost - computed_contracted_cost - billed_cost_of_unpriced_models
                - billed_cost_of_unpriced_unit_usage
            )
            / nullif(billed_cost, 0)
            as {{ ai_finops.type_double() }}
        ) as unexplained_variance_pct,
        '{{ var("ai_finops__reporting_currency") }}' as currency,
        -- bill lines left out of billed_cost because their currency had no FX rate for the day
        cast(unconverted_bill_lines as {{ dbt.type_bigint() }}) as unconverted_bill_lines,
        -- usage priced per unit (images, audio, tools) and its bill lines
        cast(computed_unit_contracted_cost as {{ ai_finops.type_double() }}) as computed_unit_usage_contracted_cost,
        cast(billed_unit_cost as {{ ai_finops.type_double() }}) as billed_unit_usage_cost,
        cast(billed_cost_of_priced_unit_usage as {{ ai_finops.type_double() }}) as billed_priced_unit_usage_cost,
        cast(billed_cost_of_priced_unit_usage - computed_unit_contracted_cost as {{ ai_finops.type_double() }})
            as unit_usage_variance,
        cast(billed_cost_of_unpriced_unit_usage as {{ ai_finops.type_double() }}) as explained_by_unpriced_unit_usage,
        cast(unpriced_unit_rows as {{ dbt.type_bigint() }}) as unpriced_unit_usage_rows
    from joined

)

select * from final
