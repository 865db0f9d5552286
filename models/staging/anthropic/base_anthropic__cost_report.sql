{{ config(enabled=var('ai_finops__using_anthropic')) }}

with source as (

    select * from {{ source('anthropic', 'cost_report') }}

),

renamed as (

    select
        {{ ai_finops.iso8601_to_timestamp('starting_at') }} as bucket_start_at,
        coalesce(workspace_id, 'default') as workspace_id,
        description,
        cost_type,
        model as reported_model,
        token_type,
        service_tier,
        context_window,
        -- amounts are decimal strings in cents: "123.45" USD is $1.2345
        {{ ai_finops.safe_number('amount', ai_finops.type_double()) }} / 100.0 as billed_cost,
        upper(currency) as currency,
        {{ ai_finops.first_problem([
            "case when " ~ ai_finops.iso8601_to_timestamp('starting_at') ~ " is null then 'missing or unparsable starting_at' end",
            "case when " ~ ai_finops.safe_number('amount', ai_finops.type_double()) ~ " is null then 'missing or non-numeric amount' end",
            "case when currency is null then 'missing currency' end",
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
    {{ ai_finops.newest_bucket_extraction_join('anthropic', 'cost_report', 'renamed.bucket_start_at') }}

)

select * from ranked
