{{ config(enabled=var('ai_finops__using_outcomes')) }}

{#-
    Business outcome counts, typed with non-failing casts. A corrected re-export of a day replaces
    that day's count for the workflow and outcome type (newest file wins, never summed).
-#}
{%- set event_date = ai_finops.try_cast(dbt.cast('event_date', api.Column.translate_type('string')), 'date') -%}

with source as (

    select * from {{ source('outcomes', 'business_outcomes') }}

),

renamed as (

    select
        {{ event_date }} as event_date,
        nullif(trim(workflow_id), '') as workflow_id,
        nullif(trim(outcome_type), '') as outcome_type,
        {{ ai_finops.safe_number('outcome_count', dbt.type_bigint()) }} as outcome_count,
        nullif(trim(source_system), '') as source_system,
        {{ ai_finops.first_problem([
            "case when " ~ event_date ~ " is null then 'missing or unparsable event_date' end",
            "case when nullif(trim(workflow_id), '') is null then 'missing workflow_id' end",
            "case when nullif(trim(outcome_type), '') is null then 'missing outcome_type' end",
            "case when outcome_count is null then 'missing outcome_count' end",
            ai_finops.number_problem('outcome_count', dbt.type_bigint()),
        ]) }} as quarantine_reason,
        _loaded_from_file,
        _file_row_number,
        _loaded_at
    from source

),

ranked as (

    select
        *,
        {{ ai_finops.is_latest_copy('event_date, workflow_id, outcome_type') }} as is_latest_copy
    from renamed

)

select * from ranked
