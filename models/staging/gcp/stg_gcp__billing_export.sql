{{ config(enabled=var('ai_finops__using_gcp')) }}

with base as (

    select * from {{ ref('base_gcp__billing_export') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "coalesce(billing_account_id, '')", "cast(usage_start_at as " ~ dbt.type_string() ~ ")",
            "coalesce(project_id, '')", "coalesce(sku_id, '')", "coalesce(cost_type, '')",
            "coalesce(labels, '')", "coalesce(region, '')"
        ])) }} as billing_line_id,
        billing_account_id,
        invoice_month,
        cost_type,
        service_id,
        service_description,
        sku_id,
        sku_description,
        usage_start_at,
        cast(usage_start_at as date) as usage_date,
        exported_at,
        project_id,
        project_labels,
        labels,
        region,
        billed_cost,
        credit_amount,
        billed_cost + credit_amount as net_cost,
        currency,
        usage_amount,
        usage_unit,
        reported_model,
        token_class,
        case
            when token_class in ('input', 'cache_read', 'output', 'reasoning_output') and usage_unit = 'count'
                then cast(round(usage_amount, 0) as {{ dbt.type_bigint() }})
        end as token_count,
        token_modality,
        context_tier,
        service_tier,
        _loaded_from_file,
        _loaded_at
    from base
    where quarantine_reason is null and is_latest_copy

)

select * from final
