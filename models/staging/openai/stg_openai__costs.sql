with source as (

    select * from {{ source('openai', 'costs') }}

),

renamed as (

    select
        {{ ai_finops.epoch_seconds_to_timestamp('start_time') }} as bucket_start_at,
        project_id,
        line_item,
        {#- line_item grammar is unspecified; observed form is "<model>, <charge>". Keep the raw string. -#}
        trim({{ ai_finops.regexp_extract('line_item', '^([^,]+),') }}) as reported_model,
        trim({{ ai_finops.regexp_extract('line_item', ',(.*)$') }}) as charge_description,
        cast(quantity as {{ ai_finops.type_double() }}) as quantity,
        quantity_unit,
        cast(amount__value as {{ ai_finops.type_double() }}) as billed_cost,
        upper(amount__currency) as currency,
        _loaded_from_file,
        _loaded_at
    from source

),

latest_extraction as (

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
    from latest_extraction
    where extraction_rank = 1

)

select * from final
