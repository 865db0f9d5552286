{#-
    OpenAI usage that the Usage API reports in units other than priced tokens: images, characters
    of speech, seconds of transcription, moderation tokens, vector-store bytes, code interpreter
    sessions, file search and web search calls. One row per staged usage row of those endpoints,
    in the identity columns of int_usage_provider_daily plus a quantity and its unit.
    The price book holds token rates only, so list_cost stays null (never 0) with pricing_status
    'unpriced_no_unit_price'; what OpenAI billed for them is in its Costs API (stg_openai__costs).
    Kept out of int_usage_unioned on purpose: its token columns would read 0 for these rows and
    its request counts would double count web-search model requests already in completions.
-#}
{%- set endpoints = [
    ('images', 'images', 'images', 'num_model_requests', "nullif(trim(coalesce(source, '') || ' ' || coalesce(size, '')), '')"),
    ('audio_speeches', 'characters', 'characters', 'num_model_requests', none),
    ('audio_transcriptions', 'seconds', 'seconds', 'num_model_requests', none),
    ('moderations', 'input_tokens', 'tokens', 'num_model_requests', none),
    ('vector_stores', 'usage_bytes', 'bytes', none, none),
    ('code_interpreter_sessions', 'num_sessions', 'sessions', none, none),
    ('file_search_calls', 'num_requests', 'calls', none, 'vector_store_id'),
    ('web_search_calls', 'num_requests', 'calls', 'num_model_requests', 'context_level'),
] -%}

with aliases as (

    select * from {{ ai_finops.reference_table('model_aliases') }}

),

{% if var('ai_finops__using_openai') and var('ai_finops__using_openai_other_usage') -%}
    unioned as (

        {% for endpoint, quantity, unit, requests, detail in endpoints -%}
            select
                usage_bucket_id,
                usage_date,
                '{{ endpoint }}' as usage_endpoint,
                project_id,
                api_key_id,
                user_id,
                reported_model,
                {{ detail if detail else 'cast(null as ' ~ dbt.type_string() ~ ')' }} as usage_detail,
                cast({{ requests if requests else 'null' }} as {{ dbt.type_bigint() }}) as request_count,
                cast({{ quantity }} as {{ ai_finops.type_double() }}) as usage_quantity,
                '{{ unit }}' as quantity_unit
            from {{ ref('stg_openai__usage_' ~ endpoint) }}
            {% if not loop.last %}union all{% endif %}
        {% endfor %}

    ),
{%- else %}
    unioned as (

        -- the endpoints are switched off: an empty, typed relation keeps the build working
        select
            cast(null as {{ dbt.type_string() }}) as usage_bucket_id,
            cast(null as date) as usage_date,
            cast(null as {{ dbt.type_string() }}) as usage_endpoint,
            cast(null as {{ dbt.type_string() }}) as project_id,
            cast(null as {{ dbt.type_string() }}) as api_key_id,
            cast(null as {{ dbt.type_string() }}) as user_id,
            cast(null as {{ dbt.type_string() }}) as reported_model,
            cast(null as {{ dbt.type_string() }}) as usage_detail,
            cast(null as {{ dbt.type_bigint() }}) as request_count,
            cast(null as {{ ai_finops.type_double() }}) as usage_quantity,
            cast(null as {{ dbt.type_string() }}) as quantity_unit
        where 1 = 0

    ),
{%- endif %}

final as (

    select
        {{ dbt.hash(dbt.concat(["unioned.usage_endpoint", "'|'", "unioned.usage_bucket_id"])) }} as unit_usage_id,
        unioned.usage_date,
        'openai' as provider,
        'openai_usage_api' as source_system,
        unioned.usage_endpoint,
        unioned.reported_model,
        coalesce(aliases.model_id, unioned.reported_model) as model_id,
        'project' as container_type,
        unioned.project_id as container_id,
        unioned.api_key_id as provider_key_id,
        unioned.user_id,
        unioned.usage_detail,
        unioned.request_count,
        unioned.usage_quantity,
        unioned.quantity_unit,
        'unpriced_no_unit_price' as pricing_status,
        cast(null as {{ ai_finops.type_double() }}) as list_cost,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from unioned
    left join aliases
        on
            aliases.provider = 'openai'
            and unioned.reported_model = aliases.reported_model

)

select * from final
