{{ config(enabled=var('ai_finops__using_azure')) }}

with base as (

    select * from {{ ref('base_azure__cost_details') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat(["_loaded_from_file", "':'", "cast(_file_row_number as " ~ dbt.type_string() ~ ")"])) }}
            as cost_line_id,
        usage_date,
        subscription_id,
        resource_group,
        resource_id,
        resource_name,
        resource_location as region,
        consumed_service,
        meter_category,
        meter_sub_category,
        meter_name,
        product_name,
        unit_of_measure,
        quantity,
        effective_price,
        billed_cost,
        currency,
        charge_type,
        pricing_model,
        tags_json,
        {{ ai_finops.json_extract_scalar('tags_json', 'team') }} as tag_team_id,
        token_class,
        cast(round(token_count_exact, 0) as {{ dbt.type_bigint() }}) as token_count,
        meter_model as reported_model,
        service_tier,
        deployment_type,
        consumed_service = 'Microsoft.CognitiveServices'
        or meter_category in ('Cognitive Services', 'Foundry Models', 'Foundry Tools') as is_ai_service,
        _loaded_from_file,
        _loaded_at
    from base
    where quarantine_reason is null and is_latest_copy

)

select * from final
