{#-
    What each provider billed, per day and reported model, from its own cost source: OpenAI Costs
    API, Anthropic cost report, CUR, Azure cost details, GCP billing export. Credits are kept apart
    (negative). is_priced_model says whether our price book knows the model, so a bill for usage we
    cannot price is an explained difference, not an error. Amounts are converted from the bill's
    currency to the reporting currency at the day's rate (int_fx_rates_daily); a bill line whose
    currency has no rate keeps its source amount, a null converted amount and fx_status
    missing_fx_rate (warned by a test), never a 1.0 rate.
    OpenAI Costs API lines for usage priced per unit (images, speech characters, transcription
    seconds, code interpreter sessions, vector storage, file and web search calls) are usage_kind
    'units' with the usage endpoint they bill (usage_endpoint, as in int_usage_units_daily): decided by
    quantity_unit (any unit but tokens) or, for exports older than quantity_unit, by the line item's
    words. Their is_priced_model is null: whether their usage is priced is decided against the unit
    usage (int_billed_unit_cost_factors_monthly).
    Grain: day x provider x reported model x usage endpoint x bill currency.
-#}
{%- set branches = [] -%}

with aliases as (

    select * from {{ ai_finops.reference_table('model_aliases') }}

),

catalog as (

    select * from {{ ai_finops.reference_table('model_catalog') }}

),

fx as (

    select * from {{ ref('int_fx_rates_daily') }}

),

{% if var('ai_finops__using_openai') -%}
    {%- do branches.append('openai_billed') %}
    openai_classified as (

        select
            cost_date,
            reported_model,
            currency,
            billed_cost,
            lower(coalesce(line_item, '')) as line_words,
            lower(coalesce(quantity_unit, '')) as unit_word
        from {{ ref('stg_openai__costs') }}

    ),

    -- which usage endpoint a unit line bills; token lines (also "image input", "audio output") have none
    openai_cost_lines as (

        select
            cost_date,
            reported_model,
            currency,
            billed_cost,
            case
                when line_words like '%web search%' then 'web_search_calls'
                when line_words like '%file search%' then 'file_search_calls'
                when line_words like '%code interpreter%' then 'code_interpreter_sessions'
                when line_words like '%vector store%' or unit_word = 'gibibyte_hours' then 'vector_stores'
                when unit_word = 'characters' or line_words like '%speech%' then 'audio_speeches'
                when unit_word like 'duration_%' or line_words like '%transcri%' then 'audio_transcriptions'
                when
                    unit_word = 'images' or line_words like '%image generation%'
                    or line_words like '%image edit%' or line_words like '%image variation%'
                    then 'images'
                when unit_word not in ('', 'tokens', '1000_tokens') then 'unclassified_units'
            end as usage_endpoint,
            case
                when
                    unit_word not in ('', 'tokens', '1000_tokens')
                    or line_words like '%web search%' or line_words like '%file search%'
                    or line_words like '%code interpreter%' or line_words like '%vector store%'
                    or line_words like '%speech%' or line_words like '%transcri%'
                    or line_words like '%image generation%' or line_words like '%image edit%'
                    or line_words like '%image variation%'
                    then 'units'
                else 'tokens'
            end as usage_kind
        from openai_classified

    ),

    openai_billed as (

        select
            cost_date as billed_date,
            'openai' as provider,
            reported_model,
            upper(currency) as source_currency,
            sum(billed_cost) as billed_cost,
            cast(0 as {{ ai_finops.type_double() }}) as credit_amount,
            usage_kind,
            usage_endpoint
        from openai_cost_lines
        group by 1, 2, 3, 4, 7, 8

    ),
{%- endif %}

{% if var('ai_finops__using_anthropic') -%}
    {%- do branches.append('anthropic_billed') %}
    anthropic_billed as (

        select
            cost_date as billed_date,
            'anthropic' as provider,
            reported_model,
            upper(currency) as source_currency,
            sum(billed_cost) as billed_cost,
            cast(0 as {{ ai_finops.type_double() }}) as credit_amount,
            'tokens' as usage_kind,
            cast(null as {{ dbt.type_string() }}) as usage_endpoint
        from {{ ref('stg_anthropic__cost_report') }}
        group by 1, 2, 3, 4

    ),
{%- endif %}

{% if var('ai_finops__using_aws_bedrock') -%}
    {%- do branches.append('bedrock_billed') %}
    bedrock_billed as (

        select
            usage_date as billed_date,
            'aws_bedrock' as provider,
            reported_model,
            upper(currency) as source_currency,
            sum(case when line_item_type not in ('Credit', 'Refund') then unblended_cost else 0 end) as billed_cost,
            sum(case when line_item_type in ('Credit', 'Refund') then unblended_cost else 0 end) as credit_amount,
            'tokens' as usage_kind,
            cast(null as {{ dbt.type_string() }}) as usage_endpoint
        from {{ ref('stg_aws_bedrock__cur') }}
        where line_item_type <> 'Tax'
        group by 1, 2, 3, 4

    ),
{%- endif %}

{% if var('ai_finops__using_azure') -%}
    {%- do branches.append('azure_billed') %}
    azure_billed as (

        select
            usage_date as billed_date,
            'azure_openai' as provider,
            reported_model,
            upper(currency) as source_currency,
            sum(case when charge_type <> 'Refund' then billed_cost else 0 end) as billed_cost,
            sum(case when charge_type = 'Refund' then billed_cost else 0 end) as credit_amount,
            'tokens' as usage_kind,
            cast(null as {{ dbt.type_string() }}) as usage_endpoint
        from {{ ref('stg_azure__cost_details') }}
        where is_ai_service
        group by 1, 2, 3, 4

    ),
{%- endif %}

{% if var('ai_finops__using_gcp') -%}
    {%- do branches.append('gcp_billed') %}
    gcp_billed as (

        select
            usage_date as billed_date,
            'google_vertex' as provider,
            reported_model,
            upper(currency) as source_currency,
            sum(billed_cost) as billed_cost,
            sum(credit_amount) as credit_amount,
            'tokens' as usage_kind,
            cast(null as {{ dbt.type_string() }}) as usage_endpoint
        from {{ ref('stg_gcp__billing_export') }}
        where service_description in ('Vertex AI', 'Gemini API')
        group by 1, 2, 3, 4

    ),
{%- endif %}

unioned as (

    {% for branch in branches -%}
        select * from {{ branch }}
        {% if not loop.last %}union all{% endif %}
    {% endfor -%}
    {%- if branches | length == 0 -%}
        select
            cast(null as date) as billed_date,
            cast(null as {{ dbt.type_string() }}) as provider,
            cast(null as {{ dbt.type_string() }}) as reported_model,
            cast(null as {{ dbt.type_string() }}) as source_currency,
            cast(null as {{ ai_finops.type_double() }}) as billed_cost,
            cast(null as {{ ai_finops.type_double() }}) as credit_amount,
            cast(null as {{ dbt.type_string() }}) as usage_kind,
            cast(null as {{ dbt.type_string() }}) as usage_endpoint
        where 1 = 0
    {%- endif %}

),

converted as (

    select
        unioned.*,
        case
            when unioned.source_currency = upper('{{ var("ai_finops__reporting_currency") }}') then 1.0
            else fx.rate_to_reporting_currency
        end as fx_rate
    from unioned
    left join fx
        on unioned.billed_date = fx.rate_day
            and unioned.source_currency = fx.currency

),

final as (

    select
        converted.billed_date,
        converted.provider,
        converted.reported_model,
        converted.source_currency,
        -- in the reporting currency; null (never 1.0) when the currency has no rate for the day
        converted.billed_cost * converted.fx_rate as billed_cost,
        converted.credit_amount * converted.fx_rate as credit_amount,
        converted.billed_cost as source_billed_cost,
        converted.credit_amount as source_credit_amount,
        converted.fx_rate,
        case
            when converted.source_currency = upper('{{ var("ai_finops__reporting_currency") }}') then 'same_currency'
            when converted.fx_rate is not null then 'converted'
            else 'missing_fx_rate'
        end as fx_status,
        -- unit lines without a model (code interpreter, storage, file search) bill their endpoint
        coalesce(
            aliases.model_id,
            converted.reported_model,
            case when converted.usage_kind = 'units' then converted.usage_endpoint end
        ) as model_id,
        case when converted.usage_kind = 'tokens' then catalog.model_id is not null end as is_priced_model,
        converted.usage_kind,
        converted.usage_endpoint
    from converted
    left join aliases
        on
            converted.provider = aliases.provider
            and converted.reported_model = aliases.reported_model
    left join catalog
        on
            converted.provider = catalog.provider
            and coalesce(aliases.model_id, converted.reported_model) = catalog.model_id

)

select * from final
