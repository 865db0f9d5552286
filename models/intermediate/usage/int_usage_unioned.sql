{#-
    Every billed token exactly once, one grain for all sources: day x source x provider x model x
    price point x identity (container, key, gateway key, request tags) x region (Bedrock CUR, Azure and
    GCP rows, gateway calls to Bedrock / Vertex; null elsewhere) x deployment type (Azure rows). Gateway traffic comes from
    the gateway (it carries the tags); the provider's own rows for the gateway's upstream account
    are replaced by it plus the reconciliation difference.
    Usage reported in units other than tokens (int_usage_units_daily: images, characters, seconds,
    sessions, calls, bytes) joins as usage_kind = 'units': token columns 0, the quantity in
    usage_quantity / quantity_unit and its list cost (unit price book) in unit_list_cost, so it is
    attributed and reported like token usage without ever being counted as tokens. Token rows carry
    usage_kind = 'tokens' and null unit columns.
-#}
with provider_usage as (

    select * from {{ ref('int_usage_provider_daily') }}
    where not is_gateway_upstream

),

gateway_usage as (

    select * from {{ ref('int_usage_gateway_daily') }}

),

reconciliation as (

    select * from {{ ref('int_usage_gateway_reconciliation') }}

),

-- not filtered on the gateway's upstream accounts: the gateway logs no unit usage to replace them
unit_usage as (

    select * from {{ ref('int_usage_units_daily') }}

),

unioned as (

    select
        usage_date,
        source_system,
        provider,
        reported_model,
        model_id,
        service_tier,
        context_tier,
        container_type,
        container_id,
        provider_key_id,
        cast(null as {{ dbt.type_string() }}) as gateway_key_hash,
        cast(null as {{ dbt.type_string() }}) as gateway_key_alias,
        cast(null as {{ dbt.type_string() }}) as tag_team_id,
        cast(null as {{ dbt.type_string() }}) as tag_workflow_id,
        cast(null as {{ dbt.type_string() }}) as tag_agent_id,
        request_count,
        uncached_input_tokens,
        cache_read_tokens,
        cache_write_5m_tokens,
        cache_write_1h_tokens,
        output_tokens,
        reasoning_tokens,
        input_audio_tokens,
        cache_read_audio_tokens,
        output_audio_tokens,
        input_image_tokens,
        cache_read_image_tokens,
        output_image_tokens,
        cast(null as {{ ai_finops.type_double() }}) as gateway_reported_spend,
        region,
        deployment_type,
        'tokens' as usage_kind,
        cast(null as {{ dbt.type_string() }}) as unit_usage_id,
        cast(null as {{ dbt.type_string() }}) as usage_endpoint,
        cast(null as {{ dbt.type_string() }}) as usage_detail,
        cast(null as {{ ai_finops.type_double() }}) as usage_quantity,
        cast(null as {{ dbt.type_string() }}) as quantity_unit,
        cast(null as {{ dbt.type_string() }}) as unit_pricing_status,
        cast(null as {{ ai_finops.type_double() }}) as unit_list_cost
    from provider_usage

    union all

    select
        usage_date,
        'litellm_gateway' as source_system,
        provider,
        reported_model,
        model_id,
        service_tier,
        context_tier,
        cast(null as {{ dbt.type_string() }}) as container_type,
        cast(null as {{ dbt.type_string() }}) as container_id,
        cast(null as {{ dbt.type_string() }}) as provider_key_id,
        gateway_key_hash,
        gateway_key_alias,
        tag_team_id,
        tag_workflow_id,
        tag_agent_id,
        request_count,
        uncached_input_tokens,
        cache_read_tokens,
        cache_write_5m_tokens,
        cache_write_1h_tokens,
        output_tokens,
        reasoning_tokens,
        input_audio_tokens,
        cache_read_audio_tokens,
        output_audio_tokens,
        input_image_tokens,
        cache_read_image_tokens,
        output_image_tokens,
        gateway_reported_spend,
        -- the region a Bedrock / Vertex call went to (its api_base); null for other upstreams
        region,
        cast(null as {{ dbt.type_string() }}) as deployment_type,
        'tokens' as usage_kind,
        cast(null as {{ dbt.type_string() }}) as unit_usage_id,
        cast(null as {{ dbt.type_string() }}) as usage_endpoint,
        cast(null as {{ dbt.type_string() }}) as usage_detail,
        cast(null as {{ ai_finops.type_double() }}) as usage_quantity,
        cast(null as {{ dbt.type_string() }}) as quantity_unit,
        cast(null as {{ dbt.type_string() }}) as unit_pricing_status,
        cast(null as {{ ai_finops.type_double() }}) as unit_list_cost
    from gateway_usage

    union all

    select
        usage_date,
        'gateway_reconciliation' as source_system,
        provider,
        model_id as reported_model,
        model_id,
        service_tier,
        context_tier,
        container_type,
        container_id,
        cast(null as {{ dbt.type_string() }}) as provider_key_id,
        cast(null as {{ dbt.type_string() }}) as gateway_key_hash,
        cast(null as {{ dbt.type_string() }}) as gateway_key_alias,
        cast(null as {{ dbt.type_string() }}) as tag_team_id,
        cast(null as {{ dbt.type_string() }}) as tag_workflow_id,
        cast(null as {{ dbt.type_string() }}) as tag_agent_id,
        request_count,
        uncached_input_tokens,
        cache_read_tokens,
        cache_write_5m_tokens,
        cache_write_1h_tokens,
        output_tokens,
        cast(null as {{ dbt.type_bigint() }}) as reasoning_tokens,
        input_audio_tokens,
        cache_read_audio_tokens,
        output_audio_tokens,
        input_image_tokens,
        cache_read_image_tokens,
        output_image_tokens,
        cast(null as {{ ai_finops.type_double() }}) as gateway_reported_spend,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(null as {{ dbt.type_string() }}) as deployment_type,
        'tokens' as usage_kind,
        cast(null as {{ dbt.type_string() }}) as unit_usage_id,
        cast(null as {{ dbt.type_string() }}) as usage_endpoint,
        cast(null as {{ dbt.type_string() }}) as usage_detail,
        cast(null as {{ ai_finops.type_double() }}) as usage_quantity,
        cast(null as {{ dbt.type_string() }}) as quantity_unit,
        cast(null as {{ dbt.type_string() }}) as unit_pricing_status,
        cast(null as {{ ai_finops.type_double() }}) as unit_list_cost
    from reconciliation

    union all

    -- non-token usage: no tokens, its quantity and unit-priced list cost in their own columns
    select
        usage_date,
        source_system,
        provider,
        -- endpoints without a model (vector stores, code interpreter, file search) report as the endpoint
        coalesce(reported_model, usage_endpoint) as reported_model,
        coalesce(model_id, usage_endpoint) as model_id,
        'standard' as service_tier,
        'standard' as context_tier,
        container_type,
        container_id,
        provider_key_id,
        cast(null as {{ dbt.type_string() }}) as gateway_key_hash,
        cast(null as {{ dbt.type_string() }}) as gateway_key_alias,
        cast(null as {{ dbt.type_string() }}) as tag_team_id,
        cast(null as {{ dbt.type_string() }}) as tag_workflow_id,
        cast(null as {{ dbt.type_string() }}) as tag_agent_id,
        -- web-search model requests are already counted in completions
        case when usage_endpoint <> 'web_search_calls' then request_count end as request_count,
        cast(0 as {{ dbt.type_bigint() }}) as uncached_input_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as cache_read_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as cache_write_5m_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as cache_write_1h_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as output_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as reasoning_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as input_audio_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as cache_read_audio_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as output_audio_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as input_image_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as cache_read_image_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as output_image_tokens,
        cast(null as {{ ai_finops.type_double() }}) as gateway_reported_spend,
        cast(null as {{ dbt.type_string() }}) as region,
        cast(null as {{ dbt.type_string() }}) as deployment_type,
        'units' as usage_kind,
        unit_usage_id,
        usage_endpoint,
        usage_detail,
        usage_quantity,
        quantity_unit,
        pricing_status as unit_pricing_status,
        list_cost as unit_list_cost
    from unit_usage

),

final as (

    select
        -- unit rows keep their own id (a day x endpoint x identity x detail is finer than this hash)
        case when usage_kind = 'units' then unit_usage_id else {{ dbt.hash(dbt.concat([
            "cast(usage_date as " ~ dbt.type_string() ~ ")", "'|'", "source_system", "'|'", "provider", "'|'",
            "coalesce(reported_model, '')", "'|'", "service_tier", "'|'", "context_tier", "'|'",
            "coalesce(container_id, '')", "'|'", "coalesce(provider_key_id, '')", "'|'",
            "coalesce(gateway_key_hash, '')", "'|'", "coalesce(tag_team_id, '')", "'|'",
            "coalesce(tag_workflow_id, '')", "'|'", "coalesce(tag_agent_id, '')",
            "coalesce('|' || region, '')", "coalesce('|' || deployment_type, '')"
        ])) }} end as usage_id,
        *
    from unioned

)

select * from final
