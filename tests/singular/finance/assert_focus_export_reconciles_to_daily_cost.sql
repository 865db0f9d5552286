{#-
    The FOCUS export holds the same money and tokens as the cost mart, per provider and month:
    priced usage at the same list, contracted and effective (amortised) cost, every priced token as a ConsumedQuantity,
    and BilledCost equal to the billed cost spread over usage rows. Unpriced usage appears only when
    the provider billed it (at the billed rate), so it is compared on billed cost.
-#}
with focus as (

    select
        x_billing_month as billing_month,
        case provider_name
            when 'OpenAI' then 'openai'
            when 'Anthropic' then 'anthropic'
            when 'Amazon Web Services' then 'aws_bedrock'
            when 'Microsoft' then 'azure_openai'
            when 'Google Cloud' then 'google_vertex'
            when 'Google' then 'google_ai_studio'
        end as provider,
        sum(case when x_pricing_status = 'priced' then list_cost else 0 end) as priced_list_cost,
        sum(case when x_pricing_status = 'priced' then contracted_cost else 0 end) as priced_contracted_cost,
        sum(case when x_pricing_status = 'priced' then effective_cost else 0 end) as priced_effective_cost,
        sum(case when x_pricing_status = 'priced' then consumed_quantity else 0 end) as priced_tokens,
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
        sum(case when pricing_status = 'priced' then total_tokens else 0 end) as priced_tokens,
        sum(coalesce(billed_cost, 0)) as billed_cost
    from {{ ref('fct_ai_cost_daily') }}
    group by 1, 2

)

select
    focus.priced_list_cost as focus_list_cost,
    daily.priced_list_cost as daily_list_cost,
    focus.priced_tokens as focus_tokens,
    daily.priced_tokens as daily_tokens,
    focus.billed_cost as focus_billed_cost,
    daily.billed_cost as daily_billed_cost,
    coalesce(focus.billing_month, daily.billing_month) as billing_month,
    coalesce(focus.provider, daily.provider) as provider
from focus
full outer join daily
    on focus.billing_month = daily.billing_month
        and focus.provider = daily.provider
where focus.provider is null
    or daily.provider is null
    or abs(focus.priced_list_cost - daily.priced_list_cost) > 0.000001
    or abs(focus.priced_contracted_cost - daily.priced_contracted_cost) > 0.000001
    or abs(focus.priced_effective_cost - daily.priced_effective_cost) > 0.000001
    or abs(focus.priced_tokens - daily.priced_tokens) > 0.5
    or abs(focus.billed_cost - daily.billed_cost) > 0.0001
