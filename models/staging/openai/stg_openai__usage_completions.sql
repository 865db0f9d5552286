{{ config(enabled=var('ai_finops__using_openai')) }}

{#- Valid rows of the newest extraction of each bucket; the rest is quarantined or superseded (see base_). -#}
with base as (

    select * from {{ ref('base_openai__usage_completions') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(bucket_start_at as " ~ dbt.type_string() ~ ")",
            "coalesce(project_id, '')", "coalesce(api_key_id, '')", "coalesce(user_id, '')",
            "coalesce(reported_model, '')", "cast(is_batch as " ~ dbt.type_string() ~ ")", "service_tier"
        ])) }} as usage_bucket_id,
        bucket_start_at,
        bucket_end_at,
        cast(bucket_start_at as date) as usage_date,
        project_id,
        api_key_id,
        user_id,
        reported_model,
        is_batch,
        service_tier,
        input_tokens,
        input_cached_tokens,
        input_cache_write_tokens,
        output_tokens,
        input_audio_tokens,
        input_cached_audio_tokens,
        output_audio_tokens,
        input_image_tokens,
        input_cached_image_tokens,
        output_image_tokens,
        request_count,
        _loaded_from_file,
        _loaded_at
    from base
    where quarantine_reason is null and is_latest_copy

)

select * from final
