{{ config(enabled=var('ai_finops__using_aws_bedrock')) }}

{#- `timestamp` is a reserved word: quoted, in the case each engine's loader gives it. -#}
{%- set timestamp_column = '"timestamp"' if target.type == 'duckdb' else '"TIMESTAMP"' -%}

{%- set text = api.Column.translate_type('string') -%}
{%- set request_time = ai_finops.iso8601_to_timestamp(dbt.cast(timestamp_column, text)) -%}

with source as (

    select * from {{ source('aws_bedrock', 'invocation_logs') }}

),

renamed as (

    select
        request_id,
        cast(
            {{ request_time }} as {{ dbt.type_timestamp() }}
        )
            as request_started_at,
        account_id,
        identity__arn as identity_arn,
        region,
        inference_region,
        operation,
        model_id as reported_model,
        -- inputTokenCount excludes cache reads and writes (AWS prompt-caching docs)
        coalesce({{ ai_finops.safe_number('input__input_token_count') }}, 0) as uncached_input_tokens,
        coalesce({{ ai_finops.safe_number('input__cache_read_input_token_count') }}, 0) as cache_read_tokens,
        coalesce({{ ai_finops.safe_number('input__cache_write_input_token_count') }}, 0) as cache_write_tokens,
        coalesce({{ ai_finops.safe_number('output__output_token_count') }}, 0) as output_tokens,
        request_metadata,
        {{ ai_finops.first_problem([
            "case when request_id is null then 'missing requestId' end",
            "case when " ~ request_time ~ " is null then 'missing or unparsable timestamp' end",
            ai_finops.number_problem('input__input_token_count'),
            ai_finops.number_problem('output__output_token_count'),
            "case when not " ~ ai_finops.is_valid_json('request_metadata') ~ " then 'unparsable requestMetadata JSON' end",
        ]) }} as quarantine_reason,
        _loaded_from_file,
        _file_row_number,
        _loaded_at
    from source

),

ranked as (

    select
        *,
        {{ ai_finops.is_latest_copy('request_id') }} as is_latest_copy
    from renamed

)

select * from ranked
