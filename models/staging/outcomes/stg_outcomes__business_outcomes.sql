{{ config(enabled=var('ai_finops__using_outcomes')) }}

with base as (

    select * from {{ ref('base_outcomes__business_outcomes') }}

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(event_date as " ~ dbt.type_string() ~ ")", "'|'", "workflow_id", "'|'", "outcome_type"
        ])) }} as business_outcome_id,
        event_date,
        workflow_id,
        outcome_type,
        outcome_count,
        source_system,
        _loaded_from_file,
        _loaded_at
    from base
    where quarantine_reason is null and is_latest_copy

)

select * from final
