with source as (

    select * from {{ source('litellm', 'spend_logs') }}

),

deduplicated as (

    -- the same request can arrive in two exports (re-delivery): keep the newest copy
    select
        *,
        row_number() over (
            partition by request_id
            order by _loaded_at desc, _loaded_from_file desc
        ) as copy_rank
    from source

),

renamed as (

    select
        request_id,
        call_type,
        api_key as gateway_key_hash,
        {{ ai_finops.json_extract_scalar('metadata', 'user_api_key_alias') }} as gateway_key_alias,
        team_id as gateway_team_id,
        {{ adapter.quote('user') }} as gateway_user_id,
        end_user as end_user_id,
        session_id,
        agent_id as gateway_agent_id,
        cast(start_time as {{ dbt.type_timestamp() }}) as request_started_at,
        cast(end_time as {{ dbt.type_timestamp() }}) as request_ended_at,
        cast(cast(start_time as {{ dbt.type_timestamp() }}) as date) as usage_date,
        model as reported_model,
        model_group,
        custom_llm_provider,
        case custom_llm_provider
            when 'openai' then 'openai'
            when 'text-completion-openai' then 'openai'
            when 'anthropic' then 'anthropic'
            when 'bedrock' then 'aws_bedrock'
            when 'bedrock_converse' then 'aws_bedrock'
            when 'azure' then 'azure_openai'
            when 'azure_ai' then 'azure_openai'
            when 'vertex_ai' then 'google_vertex'
            when 'vertex_ai_beta' then 'google_vertex'
            when 'gemini' then 'google_ai_studio'
            else custom_llm_provider
        end as provider,
        coalesce(status, 'success') as request_status,
        coalesce(cache_hit, 'False') = 'True' as is_gateway_cache_hit,
        cast(coalesce(prompt_tokens, 0) as {{ dbt.type_bigint() }}) as prompt_tokens,
        cast(coalesce(completion_tokens, 0) as {{ dbt.type_bigint() }}) as completion_tokens,
        {#-
            prompt_tokens includes cache reads and (for Anthropic-style providers) cache writes.
            Anthropic-style usage objects report reads as cache_read_input_tokens; OpenAI-style as
            prompt_tokens_details.cached_tokens. Both name the same tokens: never add them.
        -#}
        
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
        cast(spend as {{ ai_finops.type_double() }}) as gateway_reported_spend,
        {{ ai_finops.regexp_extract('request_tags', '"team:([^"]+)"') }} as tag_team_id,
        {{ ai_finops.regexp_extract('request_tags', '"workflow:([^"]+)"') }} as tag_workflow_id,
        {{ ai_finops.regexp_extract('request_tags', '"agent:([^"]+)"') }} as tag_agent_id,
        request_tags,
        _loaded_from_file,
        _loaded_at
    from deduplicated
    where copy_rank = 1

),

final as (

    select
        *,
        {#- A failed call or a LiteLLM cache hit never reaches (or is never billed by) the provider. -#}
        
        request_status = 'success' and not is_gateway_cache_hit as is_billable
    from renamed

)

select * from final
