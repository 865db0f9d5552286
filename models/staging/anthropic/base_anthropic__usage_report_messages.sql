{{ config(enabled=var('ai_finops__using_anthropic')) }}

{%- set token_columns = ['uncached_input_tokens', 'cache_creation__ephemeral_5m_input_tokens',
    'cache_creation__ephemeral_1h_input_tokens', 'cache_read_input_tokens', 'output_tokens'] -%}

with source as (

    select * from {{ source('anthropic', 'usage_report_messages') }}

),

renamed as (

    select
        {{ ai_finops.iso8601_to_timestamp('starting_at') }} as bucket_start_at,
        {{ ai_finops.iso8601_to_timestamp('ending_at') }} as bucket_end_at,
        api_key_id,
        -- the default workspace is reported as null
        coalesce(workspace_id, 'default') as workspace_id,
        model as reported_model,
        coalesce(service_tier, 'standard') as service_tier,
        coalesce(context_window, '0-200k') as context_window,
        {% for column in token_columns -%}
            coalesce({{ ai_finops.safe_number(column) }}, 0)
                as {{ column | replace('cache_creation__', 'cache_creation_') }},
        {% endfor -%}
        coalesce({{ ai_finops.safe_number('server_tool_use__web_search_requests') }}, 0) as web_search_requests,
        {{ ai_finops.first_problem(
            ["case when " ~ ai_finops.iso8601_to_timestamp('starting_at') ~ " is null then 'missing or unparsable starting_at' end"]
            + [ai_finops.number_problem('uncached_input_tokens'),
               ai_finops.number_problem('cache_creation__ephemeral_5m_input_tokens'),
               ai_finops.number_problem('cache_creation__ephemeral_1h_input_tokens'),
               ai_finops.number_problem('cache_read_input_tokens'),
               ai_finops.number_problem('output_tokens'),
               "case when coalesce(service_tier, 'standard') not in ('standard', 'batch', 'priority', 'priority_on_demand', 'flex', 'flex_discount') then 'unknown service_tier' end",
               "case when coalesce(context_window, '0-200k') not in ('0-200k', '200k-1M') then 'unknown context_window' end"]
        ) }} as quarantine_reason,
        _loaded_from_file,
        _file_row_number,
        _loaded_at
    from source

),

ranked as (

    -- newest extraction of each bucket wins whole (see stg_openai__usage_completions)
    select
        renamed.*,
        {{ ai_finops.is_latest_copy('bucket_start_at', whole_extraction=true) }}
        and {{ ai_finops.not_superseded_by_newer_extraction() }} as is_latest_copy
    from renamed
    {{ ai_finops.newest_bucket_extraction_join('anthropic', 'usage_report_messages', 'renamed.bucket_start_at') }}

)

select * from ranked
