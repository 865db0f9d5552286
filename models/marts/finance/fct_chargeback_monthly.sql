{#-
    Monthly chargeback: business unit x cost center x team x workflow x provider x model, in list,
    contracted, effective and billed cost. Usage lines (line_type = usage) are the spend as
    attributed, the `unallocated` line included: that is the view before sharing. Shared-cost lines
    add each team's share of the shared pools (fct_shared_cost_allocation_monthly) and, for the
    unallocated-usage pool, a reversal that takes the shared amount off the `unallocated` line: all
    lines together are the view after sharing. Unused commitment (fct_commitment_utilization: a
    closed period's shortfall, provisioned-throughput days without usage) is an `unused_commitment`
    line of the unallocated owner, in effective cost only (list, contracted and billed 0, as FOCUS
    books unused commitment). Unpriced usage keeps its tokens and a null cost. Usage priced per unit
    (images, audio, tools; usage_kind units in fct_ai_cost_daily) is in every cost column like token
    usage; unit_usage_* show its part and unpriced_unit_usage_rows counts its daily rows without a price.
-#}
with daily as (

    select * from {{ ref('fct_ai_cost_daily') }}

),

allocations as (

    select * from {{ ref('fct_shared_cost_allocation_monthly') }}

),

commitment_utilization as (

    select * from {{ ref('fct_commitment_utilization') }}

),

usage_lines as (

    select
        cast({{ dbt.date_trunc('month', 'usage_date') }} as date) as billing_month,
        'usage' as line_type,
        cast(null as {{ dbt.type_string() }}) as cost_pool_id,
        cast(null as {{ dbt.type_string() }}) as commitment_id,
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
        sum(effective_cost) as effective_cost,
        sum(billed_cost) as billed_cost,
        sum(case when attribution_method = 'request_tag' then list_cost else 0 end) as tag_attributed_list_cost,
        sum(case when attribution_method in ('gateway_key_owner', 'api_key_owner') then list_cost else 0 end)
            as key_attributed_list_cost,
        sum(case when attribution_method = 'container_owner' then list_cost else 0 end)
            as container_attributed_list_cost,
        sum(case when attribution_method = 'virtual_tag_rule' then list_cost else 0 end)
            as rule_attributed_list_cost,
        sum(case when usage_kind = 'units' then list_cost else 0 end) as unit_usage_list_cost,
        sum(case when usage_kind = 'units' then contracted_cost else 0 end) as unit_usage_contracted_cost,
        sum(case when usage_kind = 'units' then effective_cost else 0 end) as unit_usage_effective_cost,
        sum(case when usage_kind = 'units' and pricing_status <> 'priced' then 1 else 0 end)
            as unpriced_unit_usage_rows
    from daily
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14

),

shared_lines as (

    select
        billing_month,
        'shared_allocation' as line_type,
        cost_pool_id,
        cast(null as {{ dbt.type_string() }}) as commitment_id,
        business_unit_id,
        business_unit_name,
        cost_center_id,
        cost_center_name,
        team_id,
        team_name,
        'shared_cost' as workflow_id,
        provider,
        model_id,
        currency,
        0 as request_count,
        0 as input_tokens,
        0 as cache_read_tokens,
        0 as output_tokens,
        0 as total_tokens,
        0 as unpriced_tokens,
        0 as unpriced_request_count,
        sum(allocated_list_cost) as list_cost,
        sum(allocated_contracted_cost) as contracted_cost,
        sum(allocated_effective_cost) as effective_cost,
        sum(allocated_billed_cost) as billed_cost,
        0 as tag_attributed_list_cost,
        0 as key_attributed_list_cost,
        0 as container_attributed_list_cost,
        0 as rule_attributed_list_cost,
        0 as unit_usage_list_cost,
        0 as unit_usage_contracted_cost,
        0 as unit_usage_effective_cost,
        0 as unpriced_unit_usage_rows
    from allocations
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14

),

-- unallocated usage that a pool shares out leaves the unallocated line
reversal_lines as (

    select
        billing_month,
        'shared_reversal' as line_type,
        cost_pool_id,
        cast(null as {{ dbt.type_string() }}) as commitment_id,
        '{{ var("ai_finops__unallocated_label") }}' as business_unit_id,
        '{{ var("ai_finops__unallocated_label") }}' as business_unit_name,
        '{{ var("ai_finops__unallocated_label") }}' as cost_center_id,
        '{{ var("ai_finops__unallocated_label") }}' as cost_center_name,
        '{{ var("ai_finops__unallocated_label") }}' as team_id,
        '{{ var("ai_finops__unallocated_label") }}' as team_name,
        'unassigned' as workflow_id,
        provider,
        model_id,
        currency,
        0 as request_count,
        0 as input_tokens,
        0 as cache_read_tokens,
        0 as output_tokens,
        0 as total_tokens,
        0 as unpriced_tokens,
        0 as unpriced_request_count,
        -sum(allocated_list_cost) as list_cost,
        -sum(allocated_contracted_cost) as contracted_cost,
        -sum(allocated_effective_cost) as effective_cost,
        -sum(allocated_billed_cost) as billed_cost,
        0 as tag_attributed_list_cost,
        0 as key_attributed_list_cost,
        0 as container_attributed_list_cost,
        0 as rule_attributed_list_cost,
        0 as unit_usage_list_cost,
        0 as unit_usage_contracted_cost,
        0 as unit_usage_effective_cost,
        0 as unpriced_unit_usage_rows
    from allocations
    where pool_type = 'unallocated_usage'
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14

),

unused_commitment_lines as (

    select
        cast({{ dbt.date_trunc('month', 'last_elapsed_date') }} as date) as billing_month,
        'unused_commitment' as line_type,
        cast(null as {{ dbt.type_string() }}) as cost_pool_id,
        commitment_id,
        '{{ var("ai_finops__unallocated_label") }}' as business_unit_id,
        '{{ var("ai_finops__unallocated_label") }}' as business_unit_name,
        '{{ var("ai_finops__unallocated_label") }}' as cost_center_id,
        '{{ var("ai_finops__unallocated_label") }}' as cost_center_name,
        '{{ var("ai_finops__unallocated_label") }}' as team_id,
        '{{ var("ai_finops__unallocated_label") }}' as team_name,
        'unused_commitment' as workflow_id,
        provider,
        model_id,
        currency,
        0 as request_count,
        0 as input_tokens,
        0 as cache_read_tokens,
        0 as output_tokens,
        0 as total_tokens,
        0 as unpriced_tokens,
        0 as unpriced_request_count,
        0 as list_cost,
        0 as contracted_cost,
        sum(unused_cost) as effective_cost,
        0 as billed_cost,
        0 as tag_attributed_list_cost,
        0 as key_attributed_list_cost,
        0 as container_attributed_list_cost,
        0 as rule_attributed_list_cost,
        0 as unit_usage_list_cost,
        0 as unit_usage_contracted_cost,
        0 as unit_usage_effective_cost,
        0 as unpriced_unit_usage_rows
    from commitment_utilization
    where unused_cost <> 0
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14

),

all_lines as (

    select * from usage_lines
    union all
    select * from shared_lines
    union all
    select * from reversal_lines
    union all
    select * from unused_commitment_lines

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(billing_month as " ~ dbt.type_string() ~ ")", "'|'", "line_type", "'|'",
            "coalesce(cost_pool_id, commitment_id, '')", "'|'", "cost_center_id", "'|'", "team_id", "'|'",
            "workflow_id", "'|'", "provider", "'|'", "model_id"
        ])) }} as chargeback_line_id,
        billing_month,
        line_type,
        cost_pool_id,
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
        cast(effective_cost as {{ ai_finops.type_double() }}) as effective_cost,
        cast(billed_cost as {{ ai_finops.type_double() }}) as billed_cost,
        cast(tag_attributed_list_cost as {{ ai_finops.type_double() }}) as tag_attributed_list_cost,
        cast(key_attributed_list_cost as {{ ai_finops.type_double() }}) as key_attributed_list_cost,
        cast(container_attributed_list_cost as {{ ai_finops.type_double() }}) as container_attributed_list_cost,
        cast(rule_attributed_list_cost as {{ ai_finops.type_double() }}) as rule_attributed_list_cost,
        cast(
            list_cost / nullif(sum(list_cost) over (partition by billing_month), 0) as {{ ai_finops.type_double() }}
        ) as fraction_of_month_list_cost,
        currency,
        commitment_id,
        -- the part of the line's cost for usage priced per unit (images, audio, tools), and its unpriced rows
        cast(unit_usage_list_cost as {{ ai_finops.type_double() }}) as unit_usage_list_cost,
        cast(unit_usage_contracted_cost as {{ ai_finops.type_double() }}) as unit_usage_contracted_cost,
        -- after commitments: prepaid credits / committed spend draw unit usage like tokens
        cast(unit_usage_effective_cost as {{ ai_finops.type_double() }}) as unit_usage_effective_cost,
        cast(unpriced_unit_usage_rows as {{ dbt.type_bigint() }}) as unpriced_unit_usage_rows
    from all_lines

)

select * from final
