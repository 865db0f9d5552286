{{ config(enabled=var('ai_finops__using_gcp')) }}

{#-
    Vertex AI / Gemini token SKUs encode model x modality x class x context band x tier in the SKU
    description (`Gemini 2.5 Pro Thinking Text Output (Long) - Batch Predictions`); parsed by keyword.
    Thinking output is billed as output. Credits are negative; net = cost + sum(credits.amount).
    Modality: Audio and Image SKUs feed the audio/image subsets of their token class; Video SKUs stay in
    the text remainder (billed at the text rate; the price book has no video token rate).
-#}
{%- set sku = 'sku__description' -%}

{%- set text = api.Column.translate_type('string') -%}

with source as (

    select * from {{ source('gcp', 'billing_export') }}

),

renamed as (

    select
        billing_account_id,
        invoice__month as invoice_month,
        cost_type,
        service__id as service_id,
        service__description as service_description,
        sku__id as sku_id,
        {{ sku }} as sku_description,
        cast(
            {{ ai_finops.iso8601_to_timestamp(dbt.cast('usage_start_time', text)) }} as {{ dbt.type_timestamp() }}
        )
            as usage_start_at,
        cast(
            {{ ai_finops.iso8601_to_timestamp(dbt.cast('export_time', text)) }} as {{ dbt.type_timestamp() }}
        )
            as exported_at,
        project__id as project_id,
        project__labels as project_labels,
        labels,
        location__region as region,
        {{ ai_finops.safe_number('cost', ai_finops.type_double()) }} as billed_cost,
        {{ ai_finops.json_array_sum('credits', 'amount') }} as credit_amount,
        currency,
        {{ ai_finops.safe_number('usage__amount', ai_finops.type_double()) }} as usage_amount,
        usage__unit as usage_unit,
        {{ ai_finops.regexp_extract(sku, '^(Gemini [0-9.]+ [A-Za-z-]+( Lite)?)') }} as reported_model,
        case
            when {{ sku }} like '%Caching Storage%' then 'cache_storage'
            when {{ sku }} like '%Caching%' then 'cache_read'
            when {{ sku }} like '%Thinking%' then 'reasoning_output'
            when {{ sku }} like '%Output%' then 'output'
            when {{ sku }} like '%Input%' then 'input'
        end as token_class,
        -- the modality word next to the class: `Audio Input`, `Image Output`, `Input Audio Caching`
        case
            when
                {{ sku }} like '% Audio Input%' or {{ sku }} like '% Audio Output%'
                or {{ sku }} like '%Input Audio Caching%'
                then 'audio'
            when
                {{ sku }} like '% Image Input%' or {{ sku }} like '% Image Output%'
                or {{ sku }} like '%Input Image Caching%'
                then 'image'
            when
                {{ sku }} like '% Video Input%' or {{ sku }} like '% Video Output%'
                or {{ sku }} like '%Input Video Caching%'
                then 'video'
            else 'text'
        end as token_modality,
        case when {{ sku }} like '%(Long)%' then 'long' else 'standard' end as context_tier,
        case
            when {{ sku }} like '%Batch Predictions%' then 'batch'
            when {{ sku }} like '%Priority%' then 'priority'
            when {{ sku }} like '%Flex%' then 'flex'
            else 'standard'
        end as service_tier,
        {{ ai_finops.first_problem([
            "case when usage_start_time is null then 'missing usage_start_time' end",
            "case when " ~ ai_finops.safe_number('cost', ai_finops.type_double()) ~ " is null then 'missing or non-numeric cost' end",
            ai_finops.number_problem('usage__amount', ai_finops.type_double()),
            "case when not " ~ ai_finops.is_valid_json('credits') ~ " then 'unparsable credits JSON' end",
        ]) }} as quarantine_reason,
        _loaded_from_file,
        _file_row_number,
        _loaded_at
    from source

),

ranked as (

    -- rows are restated: one row per natural key, the newest export (then the newest file) wins
    select
        *,
        {{ ai_finops.is_latest_copy(
            'billing_account_id, usage_start_at, project_id, sku_id, cost_type, labels, region',
            order_first='exported_at desc'
        ) }} as is_latest_copy
    from renamed

)

select * from ranked
