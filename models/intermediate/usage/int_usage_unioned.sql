{#-
    Every billed token exactly once, one grain for all sources: day x source x provider x model x
    price point x identity (container, key, gateway key, request tags) x region (Bedrock CUR rows;
    null elsewhere). Gateway traffic comes from
    the gateway (it carries the tags); the provider's own rows for the gateway's upstream account
    are replaced by it plus the reconciliation difference.
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
        region
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
        -- LiteLLM logs do not say which region served a call: the model's global price applies
        cast(null as {{ dbt.type_string() }}) as region
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
        cast(null as {{ dbt.type_string() }}) as region
    from reconciliation

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "cast(usage_date as " ~ dbt.type_string() ~ ")", "'|'", "source_system", "'|'", "provider", "'|'",
            "coalesce(reported_model, '')", "'|'", "service_tier", "'|'", "context_tier", "'|'",
            "coalesce(container_id, '')", "'|'", "coalesce(provider_key_id, '')", "'|'",
            "coalesce(gateway_key_hash, '')", "'|'", "coalesce(tag_team_id, '')", "'|'",
            "coalesce(tag_workflow_id, '')", "'|'", "coalesce(tag_agent_id, '')",
            "coalesce('|' || region, '')"
        ])) }} as usage_id,
        *
    from unioned

)

select * from final
