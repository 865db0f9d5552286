{{ config(enabled=var('ai_finops__using_gcp')) }}

with base as (

    select * from {{ ref('base_gcp__gemini_usage_metadata') }}

),

final as (

    select
        response_id,
        response_created_at,
        cast(response_created_at as date) as usage_date,
        reported_model,
        cached_content_tokens as cache_read_tokens,
        thoughts_tokens as reasoning_tokens,
        tool_use_prompt_tokens,
        _loaded_from_file,
        _loaded_at,
        -- promptTokenCount includes cached content; thoughts are separate from candidates
        prompt_tokens - cached_content_tokens as uncached_input_tokens,
        candidates_tokens + thoughts_tokens as output_tokens
    from base
    where quarantine_reason is null and is_latest_copy

)

select * from final
