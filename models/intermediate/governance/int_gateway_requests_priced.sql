{#-
    Every billed gateway request priced on its own, the same way int_usage_priced prices usage
    rows (effective-dated price book at the request's price point, contract discounts; unpriced
    requests keep a null cost), with the owner by the gateway's precedence (a request tag naming
    a known team, else the owner of the virtual key, else unallocated). Request-level governance
    (anomalies, per-request policies) reads this. A view: the pricing and ownership are done once,
    incrementally, in int_gateway_requests_enriched (one pass over the request-level data).
-#}
{{ config(materialized='view') }}

with requests as (

    select * from {{ ref('int_gateway_requests_enriched') }}

),

final as (

    select
        request_id,
        usage_date,
        request_started_at,
        cast({{ dbt.date_trunc('hour', 'request_started_at') }} as {{ dbt.type_timestamp() }}) as request_hour_at,
        provider,
        model_id,
        service_tier,
        context_tier,
        price_point_id,
        gateway_key_hash,
        coalesce(gateway_key_alias, gateway_key_hash) as gateway_key_id,
        session_id,
        end_user_id,
        team_id,
        attribution_method,
        workflow_id,
        coalesce(tag_agent_id, 'none') as agent_id,
        uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens as input_tokens,
        output_tokens,
        list_cost,
        contracted_cost,
        reference_fingerprint,
        '{{ var("ai_finops__reporting_currency") }}' as currency,
        _loaded_at
    from requests

)

select * from final
