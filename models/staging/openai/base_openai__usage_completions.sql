{{ config(enabled=var('ai_finops__using_openai')) }}

{%- set source_relation = source('openai', 'usage_completions') -%}

{#- input_cache_write_tokens exists only in exports from 2026-07 on. -#}
{%- set cache_write_column = ai_finops.optional_column(
    source_relation, 'input_cache_write_tokens', dbt.type_bigint()
) -%}
{#- Audio/image subsets: input_audio_tokens and output_audio_tokens since 2024-12-16, the cached
    audio and the image fields since 2026-07; a field an export lacks reads 0. -#}
{%- set modality_columns = [
    'input_audio_tokens', 'input_cached_audio_tokens', 'output_audio_tokens',
    'input_image_tokens', 'input_cached_image_tokens', 'output_image_tokens',
] -%}
{%- set modality = {} -%}
{%- for column in modality_columns -%}
    {%- do modality.update({column: 'coalesce(' ~ ai_finops.safe_number(
        ai_finops.optional_column(source_relation, column, dbt.type_string())
    ) ~ ', 0)'}) -%}
{%- endfor -%}

with source as (

    select * from {{ source_relation }}

),

checked as (

    select
        *,
        {{ ai_finops.first_problem([
            "case when " ~ ai_finops.safe_number('start_time') ~ " is null then 'missing or non-numeric start_time' end",
            ai_finops.number_problem('input_tokens'),
            ai_finops.number_problem('input_cached_tokens'),
            ai_finops.number_problem('output_tokens'),
            ai_finops.number_problem('num_model_requests'),
            "case when " ~ ai_finops.safe_number('input_cached_tokens') ~ " > " ~ ai_finops.safe_number('input_tokens')
                ~ " then 'input_cached_tokens above input_tokens' end",
            "case when coalesce(service_tier, 'default') not in ('auto', 'default', 'flex', 'scale', 'priority', 'fast')"
                ~ " then 'unknown service_tier' end",
            "case when " ~ modality['input_cached_audio_tokens'] ~ " + " ~ modality['input_cached_image_tokens']
                ~ " > coalesce(" ~ ai_finops.safe_number('input_cached_tokens') ~ ", 0)"
                ~ " then 'cached audio and image tokens above input_cached_tokens' end",
            "case when " ~ modality['input_audio_tokens'] ~ " + " ~ modality['input_image_tokens']
                ~ " > coalesce(" ~ ai_finops.safe_number('input_tokens') ~ ", 0) - coalesce("
                ~ ai_finops.safe_number('input_cached_tokens') ~ ", 0) - coalesce("
                ~ ai_finops.safe_number(cache_write_column) ~ ", 0)"
                ~ " then 'uncached audio and image tokens above uncached input' end",
            "case when " ~ modality['output_audio_tokens'] ~ " + " ~ modality['output_image_tokens']
                ~ " > coalesce(" ~ ai_finops.safe_number('output_tokens') ~ ", 0)"
                ~ " then 'audio and image output tokens above output_tokens' end",
        ]) }} as quarantine_reason
    from source

),

renamed as (

    select
        {{ ai_finops.epoch_seconds_to_timestamp(ai_finops.safe_number('start_time')) }} as bucket_start_at,
        {{ ai_finops.epoch_seconds_to_timestamp(ai_finops.safe_number('end_time')) }} as bucket_end_at,
        project_id,
        api_key_id,
        user_id,
        model as reported_model,
        coalesce(batch, false) as is_batch,
        coalesce(service_tier, 'default') as service_tier,
        coalesce({{ ai_finops.safe_number('input_tokens') }}, 0) as input_tokens,
        coalesce({{ ai_finops.safe_number('input_cached_tokens') }}, 0) as input_cached_tokens,
        coalesce(
            {{ ai_finops.safe_number(cache_write_column) }},
            0
        ) as input_cache_write_tokens,
        coalesce({{ ai_finops.safe_number('output_tokens') }}, 0) as output_tokens,
        {% for column in modality_columns -%}
            coalesce(
                {{ ai_finops.safe_number(ai_finops.optional_column(source_relation, column, dbt.type_bigint())) }},
                0
            ) as {{ column }},
        {% endfor -%}
        coalesce({{ ai_finops.safe_number('num_model_requests') }}, 0) as request_count,
        quarantine_reason,
        _loaded_from_file,
        _file_row_number,
        _loaded_at
    from checked

),

ranked as (

    -- a bucket can be extracted more than once (re-queried before the day closed, or a page
    -- re-delivered); each extraction holds the whole bucket, so keep every row of the newest
    -- file that holds it and drop older copies whole, never summing them
    select
        renamed.*,
        {{ ai_finops.is_latest_copy('bucket_start_at', whole_extraction=true) }}
        and {{ ai_finops.not_superseded_by_newer_extraction() }} as is_latest_copy
    from renamed
    {{ ai_finops.newest_bucket_extraction_join('openai', 'usage_completions', 'renamed.bucket_start_at') }}

)

select * from ranked
