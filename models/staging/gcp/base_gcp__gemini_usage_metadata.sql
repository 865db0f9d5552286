{{ config(enabled=var('ai_finops__using_gcp')) }}
{%- set text = api.Column.translate_type('string') -%}

with source as (

    select * from {{ source('gcp', 'gemini_usage_metadata') }}

),

renamed as (

    select
        response_id,
        {{ ai_finops.iso8601_to_timestamp(dbt.cast('create_time', text)) }} as response_created_at,
        model_version as reported_model,
        coalesce({{ ai_finops.safe_number('usage_metadata__prompt_token_count') }}, 0) as prompt_tokens,
        coalesce({{ ai_finops.safe_number('usage_metadata__cached_content_token_count') }}, 0) as cached_content_tokens,
        coalesce({{ ai_finops.safe_number('usage_metadata__candidates_token_count') }}, 0) as candidates_tokens,
        coalesce({{ ai_finops.safe_number('usage_metadata__thoughts_token_count') }}, 0) as thoughts_tokens,
        coalesce(
            {{ ai_finops.safe_number('usage_metadata__tool_use_prompt_token_count') }}, 0
        ) as tool_use_prompt_tokens,
        {{ ai_finops.first_problem([
            "case when response_id is null then 'missing responseId' end",
            ai_finops.number_problem('usage_metadata__prompt_token_count'),
            ai_finops.number_problem('usage_metadata__candidates_token_count'),
            "case when " ~ ai_finops.safe_number('usage_metadata__cached_content_token_count') ~ " > "
                ~ ai_finops.safe_number('usage_metadata__prompt_token_count')
                ~ " then 'cachedContentTokenCount above promptTokenCount' end",
        ]) }} as quarantine_reason,
        _loaded_from_file,
        _file_row_number,
        _loaded_at
    from source

),

ranked as (

    select
        *,
        {{ ai_finops.is_latest_copy('response_id') }} as is_latest_copy
    from renamed

)

select * from ranked
