{{ config(enabled=var('ai_finops__using_anthropic')) }}

with base as (

    select * from {{ ref('base_anthropic__usage_report_messages') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(bucket_start_at as " ~ dbt.type_string() ~ ")", "coalesce(api_key_id, '')", "workspace_id",
            "coalesce(reported_model, '')", "service_tier", "context_window"
        ])) }} as usage_bucket_id,
        bucket_start_at,
        bucket_end_at,
        cast(bucket_start_at as date) as usage_date,
        api_key_id,
        workspace_id,
        reported_model,
        service_tier,
        context_window,
        uncached_input_tokens,
        cache_creation_ephemeral_5m_input_tokens as cache_write_5m_tokens,
        cache_creation_ephemeral_1h_input_tokens as cache_write_1h_tokens,
        cache_read_input_tokens as cache_read_tokens,
        output_tokens,
        web_search_requests,
        _loaded_from_file,
        _loaded_at
    from base
    where quarantine_reason is null and is_latest_copy

)

select * from final
