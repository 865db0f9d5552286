{{ config(enabled=var('ai_finops__using_openai')) }}

with source as (

    select * from {{ source('openai', 'usage_embeddings') }}

),

renamed as (

    select
        {{ ai_finops.epoch_seconds_to_timestamp(ai_finops.safe_number('start_time')) }} as bucket_start_at,
        project_id,
        api_key_id,
        user_id,
        model as reported_model,
        coalesce({{ ai_finops.safe_number('input_tokens') }}, 0) as input_tokens,
        coalesce({{ ai_finops.safe_number('num_model_requests') }}, 0) as request_count,
        {{ ai_finops.first_problem([
            "case when " ~ ai_finops.safe_number('start_time') ~ " is null then 'missing or non-numeric start_time' end",
            ai_finops.number_problem('input_tokens'),
            ai_finops.number_problem('num_model_requests'),
        ]) }} as quarantine_reason,
        _loaded_from_file,
        _file_row_number,
        _loaded_at
    from source

),

ranked as (

    -- newest extraction of each bucket wins whole (see base_openai__usage_completions)
    select
        renamed.*,
        {{ ai_finops.is_latest_copy('bucket_start_at', whole_extraction=true) }}
        and {{ ai_finops.not_superseded_by_newer_extraction() }} as is_latest_copy
    from renamed
    {{ ai_finops.newest_bucket_extraction_join('openai', 'usage_embeddings', 'renamed.bucket_start_at') }}

)

select * from ranked
