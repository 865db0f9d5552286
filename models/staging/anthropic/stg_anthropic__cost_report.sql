{{ config(enabled=var('ai_finops__using_anthropic')) }}

with base as (

    select * from {{ ref('base_anthropic__cost_report') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(bucket_start_at as " ~ dbt.type_string() ~ ")", "workspace_id", "coalesce(description, '')",
            "coalesce(reported_model, '')", "coalesce(token_type, '')", "coalesce(service_tier, '')",
            "coalesce(context_window, '')"
        ])) }} as cost_line_id,
        bucket_start_at,
        cast(bucket_start_at as date) as cost_date,
        workspace_id,
        description,
        cost_type,
        reported_model,
        token_type,
        service_tier,
        context_window,
        billed_cost,
        currency,
        _loaded_from_file,
        _loaded_at
    from base
    where quarantine_reason is null and is_latest_copy

)

select * from final
