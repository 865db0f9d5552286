{#-
    Gateway usage per day and attribution key: the request table scanned once, aggregated before any join.
    Incremental: the days int_gateway_requests_enriched rebuilt since this was built (the days holding a
    copy of a request loaded after the newest _loaded_at here, gateway_changed_days) are rebuilt whole
    (delete+insert by usage_date); every day when int_gateway_requests_enriched's reference_fingerprint
    (the reference data it was priced with) differs from the one stored here.
-#}
-- depends_on: {{ ref('base_litellm__spend_logs') }}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='usage_date',
    on_schema_change='sync_all_columns',
    tmp_relation_type=ai_finops.emulator_tmp_relation_type(),
) }}

{%- set reference_fingerprint = '(select max(reference_fingerprint) from '
    ~ ref('int_gateway_requests_enriched') ~ ')' %}
{%- set days_filter = ai_finops.gateway_rollup_days_filter(reference_fingerprint) %}

with requests as (

    select * from {{ ref('int_gateway_requests_enriched') }}
    {% if days_filter is not none -%}
        -- re-process whole days that received new copies: late and re-delivered rows land, re-runs are idempotent
        where {{ days_filter }}
    {%- endif %}

),

final as (

    select
        usage_date,
        provider,
        reported_model,
        model_id,
        service_tier,
        context_tier,
        gateway_key_hash,
        gateway_key_alias,
        tag_team_id,
        tag_workflow_id,
        tag_agent_id,
        -- the region that served the calls (Bedrock, Vertex): regional price points apply as to provider rows
        region,
        -- the parent's (one value: it rebuilds every day when it changes)
        reference_fingerprint,
        count(*) as request_count,
        sum(uncached_input_tokens) as uncached_input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_5m_tokens) as cache_write_5m_tokens,
        sum(cache_write_1h_tokens) as cache_write_1h_tokens,
        sum(output_tokens) as output_tokens,
        sum(reasoning_tokens) as reasoning_tokens,
        sum(input_audio_tokens) as input_audio_tokens,
        sum(cache_read_audio_tokens) as cache_read_audio_tokens,
        sum(output_audio_tokens) as output_audio_tokens,
        sum(input_image_tokens) as input_image_tokens,
        sum(cache_read_image_tokens) as cache_read_image_tokens,
        sum(output_image_tokens) as output_image_tokens,
        sum(gateway_reported_spend) as gateway_reported_spend,
        -- the newest load time of the requests (the next incremental run rebuilds the days changed since)
        max(_loaded_at) as _loaded_at
    from requests
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13

)

select * from final
