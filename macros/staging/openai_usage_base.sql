{#-
    The base model of one of OpenAI's non-token usage endpoints (images, audio, moderations, vector
    stores, code interpreter, file search, web search): typed rows of the shared bucket envelope
    with quarantine_reason and is_latest_copy. `quantity` is the endpoint's unit field (images,
    characters, seconds, usage_bytes...), required; `counts` are further count fields (0 when
    absent); `dimensions` are the endpoint's extra group-by fields; `enums` maps a dimension to its
    documented values (anything else is quarantined). Ungrouped dimensions come back null (the
    loaders keep an all-null field as a text column, so every documented field is a column).
-#}
{% macro openai_usage_base(table_name, quantity, counts=[], dimensions=[], identity=['project_id', 'api_key_id', 'user_id', 'model'], enums={}) -%}
    {%- set source_relation = source('openai', table_name) -%}
    {%- set problems = [
        "case when " ~ ai_finops.safe_number('start_time') ~ " is null then 'missing or non-numeric start_time' end",
        "case when " ~ ai_finops.safe_number('end_time') ~ " is null then 'missing or non-numeric end_time' end",
        "case when " ~ ai_finops.safe_number('end_time') ~ " <= " ~ ai_finops.safe_number('start_time') ~ " then 'end_time not after start_time' end",
        "case when " ~ quantity ~ " is null then 'missing " ~ quantity ~ "' end",
        ai_finops.number_problem(quantity),
    ] -%}
    {%- for count in counts -%}
        {%- do problems.append(ai_finops.number_problem(count)) -%}
    {%- endfor -%}
    {%- for dimension, values in enums.items() -%}
        {%- do problems.append(
            "case when " ~ dimension ~ " not in ('" ~ values | join("', '") ~ "') then 'unknown " ~ dimension ~ "' end"
        ) -%}
    {%- endfor %}

with source as (

    select * from {{ source_relation }}

),

renamed as (

    select
        {{ ai_finops.epoch_seconds_to_timestamp(ai_finops.safe_number('start_time')) }} as bucket_start_at,
        {{ ai_finops.epoch_seconds_to_timestamp(ai_finops.safe_number('end_time')) }} as bucket_end_at,
        {%- for column in ['project_id', 'api_key_id', 'user_id', 'model'] %}
            {% if column in identity -%}
                cast({{ column }} as {{ dbt.type_string() }})
            {%- else -%}
                cast(null as {{ dbt.type_string() }})
            {%- endif %} as {{ 'reported_model' if column == 'model' else column }},
        {%- endfor %}
        {%- for dimension in dimensions %}
            cast({{ dimension }} as {{ dbt.type_string() }}) as {{ dimension }},
        {%- endfor %}
        coalesce({{ ai_finops.safe_number(quantity) }}, 0) as {{ quantity }},
        {%- for count in counts %}
            coalesce({{ ai_finops.safe_number(count) }}, 0) as {{ count }},
        {%- endfor %}
        {{ ai_finops.first_problem(problems) }} as quarantine_reason,
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
    {{ ai_finops.newest_bucket_extraction_join('openai', table_name, 'renamed.bucket_start_at') }}

)

select * from ranked
{%- endmacro %}
