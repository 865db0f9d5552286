{#-
    OpenAI usage that the Usage API reports in units other than priced tokens: images, characters
    of speech, seconds of transcription, moderation tokens, vector-store GiB-hours, code interpreter
    sessions, file search and web search calls. One row per staged usage row of those endpoints,
    in the identity columns of int_usage_provider_daily plus a quantity and its unit.
    Priced from the unit price book (seeds/pricing/ai_finops__unit_prices.csv, effective-dated, USD):
    list_cost = usage_quantity x the unit price valid on the usage day (images: the price for the
    image's size, else the model's price for any size; speech: per character; transcription: per
    second of input audio; web search: per call at the context size; code interpreter: per session
    of LiteLLM's `container`), converted to the reporting currency at the day's rate. No price ->
    list_cost null (never 0) and pricing_status 'unpriced_no_unit_price' (moderations, vector stores
    and file search have no unit price in LiteLLM's map; images of models priced only per quality
    are unpriced because the Usage API does not say the quality); no FX rate -> null and
    'unpriced_missing_fx_rate'. What OpenAI billed for them is in its Costs API (stg_openai__costs).
    Kept out of int_usage_unioned on purpose: its token columns would read 0 for these rows and
    its request counts would double count web-search model requests already in completions.
-#}
{%- set endpoints = [
    ('images', 'images', 'images', 'num_model_requests', "nullif(trim(coalesce(source, '') || ' ' || coalesce(size, '')), '')"),
    ('audio_speeches', 'characters', 'characters', 'num_model_requests', none),
    ('audio_transcriptions', 'seconds', 'seconds', 'num_model_requests', none),
    ('moderations', 'input_tokens', 'tokens', 'num_model_requests', none),
    ('vector_stores', 'gibibyte_hours', 'gibibyte_hours', none, none),
    ('code_interpreter_sessions', 'num_sessions', 'sessions', none, none),
    ('file_search_calls', 'num_requests', 'calls', none, 'vector_store_id'),
    ('web_search_calls', 'num_requests', 'calls', 'num_model_requests', 'context_level'),
] -%}
{#- endpoint -> (unit price type, the column whose value picks a detail price) in ai_finops__unit_prices -#}
{%- set unit_price_keys = {
    'images': ('input_image', 'size'),
    'audio_speeches': ('input_character', none),
    'audio_transcriptions': ('input_second', none),
    'code_interpreter_sessions': ('session', none),
    'web_search_calls': ('query', 'context_level'),
} -%}

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
                {%- set price_key = unit_price_keys.get(endpoint) %}
                {{ "'" ~ price_key[0] ~ "'" if price_key else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
                    as unit_price_type,
                {{ price_key[1] if price_key and price_key[1] else 'cast(null as ' ~ dbt.type_string() ~ ')' }}
                    as price_detail,
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
            cast(null as {{ dbt.type_string() }}) as unit_price_type,
            cast(null as {{ dbt.type_string() }}) as price_detail,
            cast(null as {{ dbt.type_bigint() }}) as request_count,
            cast(null as {{ ai_finops.type_double() }}) as usage_quantity,
            cast(null as {{ dbt.type_string() }}) as quantity_unit
        where 1 = 0

    ),
{%- endif %}

unit_prices as (

    select * from {{ ai_finops.reference_table('unit_prices') }}

),

-- the unit price book's currency is USD
price_fx as (

    select * from {{ ref('int_fx_rates_daily') }}
    where currency = 'USD'

),

identified as (

    select
        unioned.*,
        coalesce(aliases.model_id, unioned.reported_model) as model_id,
        -- LiteLLM prices code interpreter sessions on its `container` model
        case
            when unioned.usage_endpoint = 'code_interpreter_sessions' then 'container'
            else coalesce(aliases.model_id, unioned.reported_model)
        end as price_model_id
    from unioned
    left join aliases
        on
            aliases.provider = 'openai'
            and unioned.reported_model = aliases.reported_model

),

priced as (

    select
        identified.*,
        -- the price for the row's detail (image size, search context size) wins over the model's `*` price
        coalesce(detail_prices.usd_per_unit, model_prices.usd_per_unit) as usd_per_unit,
        case
            when upper('{{ var("ai_finops__reporting_currency") }}') = 'USD' then 1.0
            else price_fx.rate_to_reporting_currency
        end as price_fx_rate
    from identified
    left join unit_prices as detail_prices
        on detail_prices.provider = 'openai'
            and identified.price_model_id = detail_prices.model_id
            and identified.unit_price_type = detail_prices.unit_price_type
            and identified.price_detail = detail_prices.usage_detail
            and identified.usage_date >= detail_prices.valid_from
            and (detail_prices.valid_to is null or identified.usage_date < detail_prices.valid_to)
    left join unit_prices as model_prices
        on model_prices.provider = 'openai'
            and identified.price_model_id = model_prices.model_id
            and identified.unit_price_type = model_prices.unit_price_type
            and model_prices.usage_detail = '*'
            and identified.usage_date >= model_prices.valid_from
            and (model_prices.valid_to is null or identified.usage_date < model_prices.valid_to)
    left join price_fx
        on identified.usage_date = price_fx.rate_day

),

final as (

    select
        {{ dbt.hash(dbt.concat(["usage_endpoint", "'|'", "usage_bucket_id"])) }} as unit_usage_id,
        usage_date,
        'openai' as provider,
        'openai_usage_api' as source_system,
        usage_endpoint,
        reported_model,
        model_id,
        'project' as container_type,
        project_id as container_id,
        api_key_id as provider_key_id,
        user_id,
        usage_detail,
        request_count,
        usage_quantity,
        quantity_unit,
        case
            when usd_per_unit is null then 'unpriced_no_unit_price'
            when price_fx_rate is null then 'unpriced_missing_fx_rate'
            else 'priced'
        end as pricing_status,
        -- null, never 0, when there is no price or no rate
        usage_quantity * usd_per_unit * price_fx_rate as list_cost,
        '{{ var("ai_finops__reporting_currency") }}' as currency,
        unit_price_type,
        usd_per_unit
    from priced

)

select * from final
