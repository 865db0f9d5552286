{{ config(enabled=var('ai_finops__using_openai')) }}

with source as (

    select * from {{ source('openai', 'costs') }}

),

renamed as (

    select
        {{ ai_finops.epoch_seconds_to_timestamp(ai_finops.safe_number('start_time')) }} as bucket_start_at,
        project_id,
        line_item,
        -- line_item grammar is unspecified; observed form is "<model>, <charge>": keep the raw string too
        trim({{ ai_finops.regexp_extract('line_item', '^([^,]+),') }}) as reported_model,
        trim({{ ai_finops.regexp_extract('line_item', ',(.*)$') }}) as charge_description,
        {{ ai_finops.safe_number('quantity', ai_finops.type_double()) }} as quantity,
        quantity_unit,
        {{ ai_finops.safe_number('amount__value', ai_finops.type_double()) }} as billed_cost,
        upper(amount__currency) as currency,
        {{ ai_finops.first_problem([
            "case when " ~ ai_finops.safe_number('start_time') ~ " is null then 'missing or non-numeric start_time' end",
            "case when " ~ ai_finops.safe_number('amount__value', ai_finops.type_double())
                ~ " is null then 'missing or non-numeric amount.value' end",
            "case when amount__currency is null then 'missing currency' end",
        ]) }} as quarantine_reason,
        _loaded_from_file,
        _file_row_number,
        _loaded_at
    from source

),

ranked as (

    select
        renamed.*,
        {{ ai_finops.is_latest_copy('bucket_start_at', whole_extraction=true) }}
        and {{ ai_finops.not_superseded_by_newer_extraction() }} as is_latest_copy
    from renamed
    {{ ai_finops.newest_bucket_extraction_join('openai', 'costs', 'renamed.bucket_start_at') }}

)

select * from ranked
