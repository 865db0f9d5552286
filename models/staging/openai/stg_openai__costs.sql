{{ config(enabled=var('ai_finops__using_openai')) }}

with base as (

    select * from {{ ref('base_openai__costs') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(bucket_start_at as " ~ dbt.type_string() ~ ")", "coalesce(project_id, '')", "coalesce(line_item, '')"
        ])) }} as cost_line_id,
        bucket_start_at,
        cast(bucket_start_at as date) as cost_date,
        project_id,
        line_item,
        reported_model,
        charge_description,
        quantity,
        quantity_unit,
        billed_cost,
        currency,
        _loaded_from_file,
        _loaded_at
    from base
    where quarantine_reason is null and is_latest_copy

)

select * from final
