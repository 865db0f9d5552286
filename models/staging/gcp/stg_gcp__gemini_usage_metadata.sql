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
        -- modality subsets, each inside its parent (cacheTokensDetails are the cached part of the prompt's);
        -- VIDEO and DOCUMENT tokens stay in the text remainder of their parent
        cache_audio_tokens as cache_read_audio_tokens,
        candidates_audio_tokens as output_audio_tokens,
        cache_image_tokens as cache_read_image_tokens,
        candidates_image_tokens as output_image_tokens,
        -- promptTokenCount includes cached content; thoughts are separate from candidates
        prompt_tokens - cached_content_tokens as uncached_input_tokens,
        candidates_tokens + thoughts_tokens as output_tokens,
        prompt_audio_tokens - cache_audio_tokens as input_audio_tokens,
        prompt_image_tokens - cache_image_tokens as input_image_tokens
    from base
    where quarantine_reason is null and is_latest_copy

)

select * from final
