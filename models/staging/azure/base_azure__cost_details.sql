{{ config(enabled=var('ai_finops__using_azure')) }}

{#-
    Azure OpenAI / Foundry token meters. Meter names differ by generation
    (`gpt-4o-0806-Inp-glbl Tokens`, `5.4 inp Gl 1M Tokens`, `5.1 pp cd inp Dz 1M Tokens`), so they are
    parsed with a tolerant tokenizer. Whether Quantity is in tokens or in 1K/1M blocks is not
    documented consistently: each row is checked against both identities
    (cost = price x quantity, or cost = price x quantity / block) and the closer one decides.
-#}
{%- set source_relation = source('azure', 'cost_details') -%}
{%- set meter = "lower(meter_name)" -%}

{#- EA files name the cost column Cost, MCA files CostInBillingCurrency. -#}
{%- set ea_cost_column = ai_finops.optional_column(source_relation, 'cost', dbt.type_string()) -%}
{#- The resource's Azure region (`eastus2`); exports before the column existed read null. -#}
{%- set location_column = ai_finops.optional_column(source_relation, 'resource_location', dbt.type_string()) -%}
{%- set meter_words = 'batch|cached|cchd|ccchd|cd|pp|std|shortco|longco|inp|input|outp|opt|out' -%}
{%- set meter_word_pattern = '[ -](' ~ meter_words ~ ')([ -]|$)' -%}

with source as (

    select * from {{ source_relation }}

),

renamed as (

    select
        {{ ai_finops.try_cast(dbt.cast('date', api.Column.translate_type('string')), 'date') }} as usage_date,
        subscription_id,
        resource_group,
        resource_id,
        {{ ai_finops.regexp_extract('resource_id', '/accounts/([^/]+)') }} as resource_name,
        -- region names are written `eastus2` or `EastUS2`: one spelling
        nullif(lower(replace(trim({{ location_column }}), ' ', '')), '') as resource_location,
        consumed_service,
        meter_category,
        meter_sub_category,
        meter_name,
        product_name,
        unit_of_measure,
        {{ ai_finops.safe_number('quantity', ai_finops.type_double()) }} as quantity,
        {{ ai_finops.safe_number('effective_price', ai_finops.type_double()) }} as effective_price,
        coalesce(
            {{ ai_finops.safe_number('cost_in_billing_currency', ai_finops.type_double()) }},
            {{ ai_finops.safe_number(ea_cost_column, ai_finops.type_double()) }}
        ) as billed_cost,
        coalesce(billing_currency, 'USD') as currency,
        charge_type,
        pricing_model,
        -- exports write tags without the outer braces
        case when left(trim(tags), 1) = '{' then tags when tags is not null then '{' || tags || '}' end as tags_json,
        case
            when unit_of_measure like '%1M%' then 1000000
            when unit_of_measure like '%1K%' then 1000
            else 1
        end as block_size,
        case
            when {{ meter }} like '%cd wr%' or {{ meter }} like '%cache write%' then 'cache_write'
            when {{ meter }} like '%cached%' or {{ meter }} like '%cchd%' or {{ meter }} like '% cd %' then 'cache_read'
            when
                {{ ai_finops.regexp_extract(meter, '(^|[ -])(outp|opt|out|output)([ -]|$)', 2) }} is not null
                then 'output'
            when {{ ai_finops.regexp_extract(meter, '(^|[ -])(inp|input)([ -]|$)', 2) }} is not null then 'input'
            when {{ meter }} like '%tokens%' then 'input'
        end as token_class,
        coalesce(
            {{ ai_finops.regexp_text_before(meter, meter_word_pattern) }},
            {{ ai_finops.regexp_text_before(meter, '[ -](glbl|gl|regnl|rg|dzone|dz)([ -]|$)') }}
        ) as meter_model,
        case
            when {{ meter }} like '%batch%' then 'batch'
            when {{ ai_finops.regexp_extract(meter, '(^|[ -])(pp)([ -]|$)', 2) }} is not null then 'priority'
            else 'standard'
        end as service_tier,
        case
            when {{ ai_finops.regexp_extract(meter, '(^|[ -])(glbl|gl)([ -]|$)', 2) }} is not null then 'global'
            when {{ ai_finops.regexp_extract(meter, '(^|[ -])(regnl|rg)([ -]|$)', 2) }} is not null then 'regional'
            when {{ ai_finops.regexp_extract(meter, '(^|[ -])(dzone|dz)([ -]|$)', 2) }} is not null
                or {{ meter }} like '%data zone%' then 'data_zone'
        end as deployment_type,
        {{ ai_finops.first_problem([
            "case when " ~ ai_finops.try_cast(dbt.cast('date', api.Column.translate_type('string')), 'date') ~ " is null then 'missing or unparsable Date' end",
            ai_finops.number_problem('quantity', ai_finops.type_double()),
            "case when cost_in_billing_currency is not null and " ~ ai_finops.safe_number('cost_in_billing_currency', ai_finops.type_double()) ~ " is null then 'non-numeric CostInBillingCurrency' end",
        ]) }} as quarantine_reason,
        _loaded_from_file,
        _file_row_number,
        _loaded_at
    from source

),

units as (

    select
        *,
        case
            when token_class is null or quantity is null then null
            when block_size = 1 then quantity
            when abs(coalesce(billed_cost, 0) - coalesce(effective_price, 0) * quantity)
                <= abs(coalesce(billed_cost, 0) - coalesce(effective_price, 0) * quantity / block_size)
                then quantity * block_size
            else quantity
        end as token_count_exact
    from renamed

),

ranked as (

    -- an export re-run rewrites the month: keep the newest file's rows for each usage month
    select
        *,
        {{ ai_finops.is_latest_copy(dbt.date_trunc('month', 'usage_date'), whole_extraction=true) }} as is_latest_copy
    from units

)

select * from ranked
