{{ config(enabled=var('ai_finops__using_openai') and var('ai_finops__using_openai_other_usage')) }}

with base as (

    select * from {{ ref('base_openai__usage_vector_stores') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(bucket_start_at as " ~ dbt.type_string() ~ ")", "coalesce(project_id, '')", "coalesce(api_key_id, '')", "coalesce(user_id, '')", "coalesce(reported_model, '')"
        ])) }} as usage_bucket_id,
        bucket_start_at,
        cast(bucket_start_at as date) as usage_date,
        project_id,
        api_key_id,
        user_id,
        reported_model,
        usage_bytes,
        -- OpenAI bills storage in GiB-hours: the bucket's level times its length makes it additive
        usage_bytes / 1073741824.0
        * {{ dbt.datediff('bucket_start_at', 'bucket_end_at', 'second') }} / 3600.0 as gibibyte_hours,  -- noqa: LT05
        bucket_end_at,
        _loaded_from_file,
        _loaded_at
    from base
    where quarantine_reason is null and is_latest_copy

)

select * from final
