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
        {{ ai_finops.json_extract_scalar('metadata', 'user_api_key_alias') }} as gateway_key_alias,
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
        request_status,
        is_gateway_cache_hit,
        prompt_tokens,
        completion_tokens,
        -- prompt_tokens includes cache reads and (Anthropic-style providers) cache writes. Reads are
        -- cache_read_input_tokens (Anthropic-style) or prompt_tokens_details.cached_tokens (OpenAI-style):
        -- the same tokens, never added together.
        cast(coalesce(
            {{ ai_finops.json_extract_scalar('metadata', 'usage_object.cache_read_input_tokens') }},
            {{ ai_finops.json_extract_scalar('metadata', 'usage_object.prompt_tokens_details.cached_tokens') }},
            '0'
        ) as {{ dbt.type_bigint() }}) as cache_read_tokens,
        cast(coalesce(
            {{ ai_finops.json_extract_scalar('metadata', 'usage_object.cache_creation_input_tokens') }},
            '0'
        ) as {{ dbt.type_bigint() }}) as cache_write_tokens,
        cast(coalesce(
            {{ ai_finops.json_extract_scalar('metadata', 'usage_object.completion_tokens_details.reasoning_tokens') }},
            '0'
        ) as {{ dbt.type_bigint() }}) as reasoning_tokens,
        -- audio/image inside prompt_tokens and completion_tokens (OpenAI-style usage): the prompt's
        -- audio_tokens count cached and uncached audio alike (the usage object does not split them)
        cast(coalesce(
            {{ ai_finops.json_extract_scalar('metadata', 'usage_object.prompt_tokens_details.audio_tokens') }},
            '0'
        ) as {{ dbt.type_bigint() }}) as prompt_audio_tokens,
        cast(coalesce(
            {{ ai_finops.json_extract_scalar('metadata', 'usage_object.prompt_tokens_details.image_tokens') }},
            '0'
        ) as {{ dbt.type_bigint() }}) as prompt_image_tokens,
        cast(coalesce(
            {{ ai_finops.json_extract_scalar('metadata', 'usage_object.completion_tokens_details.audio_tokens') }},
            '0'
        ) as {{ dbt.type_bigint() }}) as completion_audio_tokens,
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
