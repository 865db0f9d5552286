{%- set source_relation = source('openai', 'usage_completions') -%}

with source as (

    select * from {{ source_relation }}

),

renamed as (

    select
        {{ ai_finops.epoch_seconds_to_timestamp('start_time') }} as bucket_start_at,
        {{ ai_finops.epoch_seconds_to_timestamp('end_time') }} as bucket_end_at,
        project_id,
        api_key_id,
        user_id,
        model as reported_model,
        coalesce(batch, false) as is_batch,
        coalesce(service_tier, 'default') as service_tier,
        cast(coalesce(input_tokens, 0) as {{ dbt.type_bigint() }}) as input_tokens,
        cast(coalesce(input_cached_tokens, 0) as {{ dbt.type_bigint() }}) as input_cached_tokens,
        coalesce(
            {{ ai_finops.optional_column(source_relation, 'input_cache_write_tokens', dbt.type_bigint()) }}, 0
        ) as input_cache_write_tokens,
        cast(coalesce(output_tokens, 0) as {{ dbt.type_bigint() }}) as output_tokens,
        cast(coalesce(num_model_requests, 0) as {{ dbt.type_bigint() }}) as request_count,
        _loaded_from_file,
        _loaded_at
    from source

),

latest_extraction as (

    -- a bucket can be extracted more than once (re-queried before the day closed, or a page
    -- re-delivered); each extraction holds the whole bucket, so keep every row of the newest
    -- file that holds it and drop older copies whole, never summing them
    select
        *,
        dense_rank() over (
            partition by bucket_start_at
            order by _loaded_at desc, _loaded_from_file desc
        ) as extraction_rank
    from renamed

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
        request_count,
        _loaded_from_file,
        _loaded_at
    from latest_extraction
    where extraction_rank = 1

)

select * from final
