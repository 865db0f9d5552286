{{ config(enabled=var('ai_finops__using_otel')) }}

{%- set source_relation = source('otel', 'genai_spans') -%}
{#- Attributes an instrumentation may not emit become typed nulls. -#}
{%- set attr = {} -%}
{%- set attribute_names = [
    'gen_ai_agent_id',
    'gen_ai_agent_name',
    'gen_ai_conversation_id',
    'gen_ai_operation_name',
    'gen_ai_provider_name',
    'gen_ai_request_model',
    'gen_ai_response_model',
    'gen_ai_system',
    'gen_ai_usage_cache_creation_input_tokens',
    'gen_ai_usage_cache_read_input_tokens',
    'gen_ai_usage_completion_tokens',
    'gen_ai_usage_input_tokens',
    'gen_ai_usage_output_tokens',
    'gen_ai_usage_prompt_tokens',
    'gen_ai_usage_reasoning_output_tokens',
    'service_name',
] -%}
{%- for name in attribute_names -%}
    {%- do attr.update({name: ai_finops.optional_column(source_relation, 'attributes__' ~ name, dbt.type_string())}) -%}
{%- endfor -%}

with source as (

    select * from {{ source_relation }}

),

renamed as (

    select
        span_id,
        trace_id,
        name as span_name,
        {{ ai_finops.epoch_nanoseconds_to_timestamp('start_time_unix_nano') }} as span_started_at,
        {{ ai_finops.epoch_nanoseconds_to_timestamp('end_time_unix_nano') }} as span_ended_at,
        {{ attr['gen_ai_operation_name'] }} as operation_name,
        -- gen_ai.provider.name replaced the deprecated gen_ai.system (semconv v1.37)
        coalesce({{ attr['gen_ai_provider_name'] }}, {{ attr['gen_ai_system'] }}) as otel_provider,
        coalesce({{ attr['gen_ai_response_model'] }}, {{ attr['gen_ai_request_model'] }}) as reported_model,
        {{ ai_finops.safe_number(attr['gen_ai_usage_input_tokens']) }} as input_tokens_reported,
        {{ ai_finops.safe_number(attr['gen_ai_usage_prompt_tokens']) }} as prompt_tokens_reported,
        coalesce({{ ai_finops.safe_number(attr['gen_ai_usage_cache_read_input_tokens']) }}, 0) as cache_read_tokens,
        coalesce({{ ai_finops.safe_number(attr['gen_ai_usage_cache_creation_input_tokens']) }}, 0)
            as cache_write_tokens,
        coalesce(
            {{ ai_finops.safe_number(attr['gen_ai_usage_output_tokens']) }},
            {{ ai_finops.safe_number(attr['gen_ai_usage_completion_tokens']) }},
            0
        ) as output_tokens,
        {{ ai_finops.safe_number(attr['gen_ai_usage_reasoning_output_tokens']) }} as reasoning_tokens,
        {{ attr['gen_ai_conversation_id'] }} as conversation_id,
        {{ attr['gen_ai_agent_id'] }} as agent_id,
        {{ attr['gen_ai_agent_name'] }} as agent_name,
        {{ attr['service_name'] }} as service_name,
        {{ ai_finops.first_problem([
            "case when span_id is null then 'missing spanId' end",
            "case when " ~ ai_finops.safe_number('start_time_unix_nano', 'numeric(38, 0)') ~ " is null then 'missing or non-numeric startTimeUnixNano' end",
            "case when coalesce(" ~ attr['gen_ai_provider_name'] ~ ", " ~ attr['gen_ai_system'] ~ ") is null then 'missing gen_ai.provider.name and gen_ai.system' end",
            "case when " ~ ai_finops.safe_number(attr['gen_ai_usage_input_tokens']) ~ " < 0 or "
                ~ ai_finops.safe_number(attr['gen_ai_usage_output_tokens']) ~ " < 0 then 'negative token count' end",
        ]) }} as quarantine_reason,
        _loaded_from_file,
        _file_row_number,
        _loaded_at
    from source

),

ranked as (

    select
        *,
        {{ ai_finops.is_latest_copy('trace_id, span_id') }} as is_latest_copy
    from renamed

)

select * from ranked
