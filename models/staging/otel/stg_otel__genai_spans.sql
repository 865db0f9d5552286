{{ config(enabled=var('ai_finops__using_otel')) }}

{#-
    GenAI spans describe calls the providers also report. They are not counted as usage (that would
    double count); they carry agent and conversation ids for analysis. Input semantics: the
    convention says input_tokens SHOULD include cache tokens, but instrumentations differ, so cache
    tokens are subtracted only when input_tokens is at least their sum. The deprecated prompt_tokens
    (Anthropic-style instrumentations) already excludes cache tokens.
-#}
with base as (

    select * from {{ ref('base_otel__genai_spans') }}

),

final as (

    select
        span_id,
        trace_id,
        span_name,
        span_started_at,
        span_ended_at,
        cast(span_started_at as date) as usage_date,
        operation_name,
        otel_provider,
        reported_model,
        cache_read_tokens,
        cache_write_tokens,
        output_tokens,
        reasoning_tokens,
        conversation_id,
        agent_id,
        agent_name,
        service_name,
        _loaded_from_file,
        _loaded_at,
        case otel_provider
            when 'openai' then 'openai'
            when 'anthropic' then 'anthropic'
            when 'aws.bedrock' then 'aws_bedrock'
            when 'azure.ai.openai' then 'azure_openai'
            when 'az.ai.openai' then 'azure_openai'
            when 'azure.ai.inference' then 'azure_ai_inference'
            when 'az.ai.inference' then 'azure_ai_inference'
            when 'gcp.vertex_ai' then 'google_vertex'
            when 'vertex_ai' then 'google_vertex'
            when 'gcp.gemini' then 'google_ai_studio'
            when 'gemini' then 'google_ai_studio'
            else otel_provider
        end as provider,
        case
            when input_tokens_reported is null then coalesce(prompt_tokens_reported, 0)
            when input_tokens_reported >= cache_read_tokens + cache_write_tokens
                then input_tokens_reported - cache_read_tokens - cache_write_tokens
            else input_tokens_reported
        end as uncached_input_tokens,
        input_tokens_reported is not null as uses_current_convention
    from base
    where quarantine_reason is null and is_latest_copy

)

select * from final
