{#-
    Gateway requests rolled up to the hour, per workflow x agent x gateway key x owning team x
    session: the request-level table aggregated once (about a tenth of its rows), so the hourly
    governance scopes (int_gateway_spend_hourly) are built from it rather than from every request.
    Incremental like int_gateway_requests_enriched: the days from the newest built day minus var
    ai_finops__lookback_days on are rebuilt whole (delete+insert by usage_date); every day when the
    requests' reference_fingerprint (the reference data they were priced and owned with) differs
    from the one stored here.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='usage_date',
    on_schema_change='sync_all_columns',
    tmp_relation_type=ai_finops.emulator_tmp_relation_type(),
) }}

{%- set reference_fingerprint = '(select max(reference_fingerprint) from ' ~ ref('int_gateway_requests_priced') ~ ')' %}

with requests as (

    select * from {{ ref('int_gateway_requests_priced') }}
    {% if is_incremental() and not ai_finops.reference_fingerprint_changed(this, reference_fingerprint) -%}
        {%- set newest_day = ai_finops.incremental_high_water_mark('usage_date', this, 'date') -%}
        {% if newest_day is not none -%}
            where usage_date >= {{ dbt.dateadd('day', -var('ai_finops__lookback_days'), newest_day) }}
        {%- endif %}
    {%- endif %}

),

final as (

    select
        usage_date,
        request_hour_at,
        workflow_id,
        agent_id,
        gateway_key_id,
        team_id,
        session_id,
        -- the parent's (one value: it rebuilds every day when it changes)
        reference_fingerprint,
        cast(count(*) as {{ dbt.type_bigint() }}) as request_count,
        sum(input_tokens) as input_tokens,
        sum(output_tokens) as output_tokens,
        sum(list_cost) as list_cost,
        sum(contracted_cost) as contracted_cost
    from requests
    group by 1, 2, 3, 4, 5, 6, 7, 8

)

select * from final
