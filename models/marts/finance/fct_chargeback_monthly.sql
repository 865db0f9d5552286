{#-
    Monthly chargeback: business unit x cost center x team x workflow x provider x model. Sums to
    total spend, the unallocated line included. Unpriced usage appears with its tokens and a null
    cost, so finance sees it rather than a silent $0.
-#}
with daily as (

    select * from {{ ref('fct_ai_cost_daily') }}

),

monthly as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        business_unit_id,
        business_unit_name,
        cost_center_id,
        cost_center_name,
        team_id,
        team_name,
        workflow_id,
        provider,
        model_id,
        currency,
        sum(request_count) as request_count,
        sum(input_tokens) as input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(output_tokens) as output_tokens,
        sum(total_tokens) as total_tokens,
        sum(case when pricing_status <> 'priced' then total_tokens else 0 end) as unpriced_tokens,
        sum(case when pricing_status <> 'priced' then request_count else 0 end) as unpriced_request_count,
        sum(list_cost) as list_cost,
        sum(contracted_cost) as contracted_cost,
        sum(case when attribution_method = 'request_tag' then list_cost else 0 end) as tag_attributed_list_cost,
        sum(case when attribution_method in ('gateway_key_owner', 'api_key_owner') then list_cost else 0 end)
            as key_attributed_list_cost,
        sum(case when attribution_method = 'container_owner' then list_cost else 0 end)
            as container_attributed_list_cost
    from daily
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(billing_month as " ~ dbt.type_string() ~ ")", "'|'", "cost_center_id", "'|'", "team_id", "'|'",
            "workflow_id", "'|'", "provider", "'|'", "model_id"
        ])) }} as chargeback_line_id,
        billing_month,
        business_unit_id,
        business_unit_name,
        cost_center_id,
        cost_center_name,
        team_id,
        team_name,
        workflow_id,
        provider,
        model_id,
        cast(request_count as {{ dbt.type_bigint() }}) as request_count,
        cast(input_tokens as {{ dbt.type_bigint() }}) as input_tokens,
        cast(cache_read_tokens as {{ dbt.type_bigint() }}) as cache_read_tokens,
        cast(output_tokens as {{ dbt.type_bigint() }}) as output_tokens,
        cast(total_tokens as {{ dbt.type_bigint() }}) as total_tokens,
        cast(unpriced_tokens as {{ dbt.type_bigint() }}) as unpriced_tokens,
        cast(unpriced_request_count as {{ dbt.type_bigint() }}) as unpriced_request_count,
        cast(list_cost as {{ ai_finops.type_double() }}) as list_cost,
        cast(contracted_cost as {{ ai_finops.type_double() }}) as contracted_cost,
        cast(tag_attributed_list_cost as {{ ai_finops.type_double() }}) as tag_attributed_list_cost,
        cast(key_attributed_list_cost as {{ ai_finops.type_double() }}) as key_attributed_list_cost,
        cast(container_attributed_list_cost as {{ ai_finops.type_double() }}) as container_attributed_list_cost,
        cast(
            list_cost / nullif(sum(list_cost) over (partition by billing_month), 0) as {{ ai_finops.type_double() }}
        ) as fraction_of_month_list_cost,
        currency
    from monthly

)

select * from final
