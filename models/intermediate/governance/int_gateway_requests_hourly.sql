{#-
    Gateway requests rolled up to the hour, per workflow x agent x gateway key x owning team x
    session: the request-level table aggregated once (about a tenth of its rows), so the hourly
    governance scopes (int_gateway_spend_hourly) are built from it rather than from every request.
    Incremental like int_gateway_requests_enriched: the days it rebuilt since this was built (the days
    holding a copy of a request loaded after the newest _loaded_at here, gateway_changed_days) are
    rebuilt whole (delete+insert by usage_date); every day when the requests' reference_fingerprint
    (the reference data they were priced and owned with) differs from the one stored here.
-#}
-- depends_on: {{ ref('base_litellm__spend_logs') }}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='usage_date',
    on_schema_change='sync_all_columns',
    tmp_relation_type=ai_finops.emulator_tmp_relation_type(),
) }}

{%- set reference_fingerprint = '(select max(reference_fingerprint) from ' ~ ref('int_gateway_requests_priced') ~ ')' %}
{%- set days_filter = ai_finops.gateway_rollup_days_filter(reference_fingerprint) %}

with requests as (

    select * from {{ ref('int_gateway_requests_priced') }}
    {% if days_filter is not none -%}
        where {{ days_filter }}
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
        sum(contracted_cost) as contracted_cost,
        -- the newest load time of the requests (the next incremental run rebuilds the days changed since)
        max(_loaded_at) as _loaded_at
    from requests
    group by 1, 2, 3, 4, 5, 6, 7, 8

)

select * from final
