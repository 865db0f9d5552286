{{ config(enabled=var('ai_finops__using_litellm')) }}

with base as (

    select * from {{ ref('base_litellm__spend_logs') }}
    where quarantine_reason is null and is_latest_copy

),

renamed as (

    select
        request_id,
        call_type,
        gateway_key_hash,
        gateway_key_alias,
        gateway_team_id,
        gateway_user_id,
        end_user_id,
        session_id,
        gateway_agent_id,
        request_started_at,
        request_ended_at,
        cast(request_started_at as date) as usage_date,
        reported_model,
        model_group,
        custom_llm_provider,
        {{ ai_finops.provider_from_litellm('custom_llm_provider') }} as provider,
        bedrock_region,
        vertex_location,
        request_status,
        is_gateway_cache_hit,
        prompt_tokens,
        completion_tokens,
        -- extracted from metadata.usage_object in base (see there: reads are counted once)
        cache_read_tokens,
        cache_write_tokens,
        cache_write_1h_tokens,
        reasoning_tokens,
        prompt_audio_tokens,
        prompt_image_tokens,
        completion_audio_tokens,
        gateway_reported_spend,
        {{ ai_finops.regexp_extract('request_tags', '"team:([^"]+)"') }} as tag_team_id,
        {{ ai_finops.regexp_extract('request_tags', '"workflow:([^"]+)"') }} as tag_workflow_id,
        {{ ai_finops.regexp_extract('request_tags', '"agent:([^"]+)"') }} as tag_agent_id,
        request_tags,
        _loaded_from_file,
        _loaded_at
    from base

),

final as (

    select
        *,
        -- a failed call or a LiteLLM cache hit never reaches (or is never billed by) the provider
        request_status = 'success' and not is_gateway_cache_hit as is_billable
    from renamed

)

select * from final
