{#-
    Gateway traffic is billed by the provider on the gateway's upstream account. For providers whose
    usage API we load, the provider's numbers are the system of record: gateway rows replace the
    upstream account's usage, and this model adds the difference (provider minus gateway) per day,
    model and price point, so totals equal what the provider reported. A positive difference is
    usage the gateway never logged (outage, bypass); a negative one, gateway rows the provider
    has not reported (yet).
-#}
with provider_usage as (

    select * from {{ ref('int_usage_provider_daily') }}
    where is_gateway_upstream

),

covered_providers as (

    -- providers whose usage report is loaded, and whether that report counts requests
    select
        provider,
        max(case when request_count is not null then 1 else 0 end) = 1 as reports_request_counts
    from {{ ref('int_usage_provider_daily') }}
    group by 1

),

gateway_usage as (

    select gateway.*
    from {{ ref('int_usage_gateway_daily') }} as gateway
    inner join covered_providers
        on gateway.provider = covered_providers.provider

),

upstream as (

    select * from {{ ai_finops.reference_table('gateway_upstream_accounts') }}

),

provider_totals as (

    select
        usage_date,
        provider,
        model_id,
        service_tier,
        context_tier,
        sum(request_count) as request_count,
        sum(uncached_input_tokens) as uncached_input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_5m_tokens) as cache_write_5m_tokens,
        sum(cache_write_1h_tokens) as cache_write_1h_tokens,
        sum(output_tokens) as output_tokens,
        sum(input_audio_tokens) as input_audio_tokens,
        sum(cache_read_audio_tokens) as cache_read_audio_tokens,
        sum(output_audio_tokens) as output_audio_tokens,
        sum(input_image_tokens) as input_image_tokens,
        sum(cache_read_image_tokens) as cache_read_image_tokens,
        sum(output_image_tokens) as output_image_tokens
    from provider_usage
    group by 1, 2, 3, 4, 5

),

gateway_totals as (

    select
        usage_date,
        provider,
        model_id,
        service_tier,
        context_tier,
        sum(request_count) as request_count,
        sum(uncached_input_tokens) as uncached_input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_5m_tokens) as cache_write_5m_tokens,
        sum(cache_write_1h_tokens) as cache_write_1h_tokens,
        sum(output_tokens) as output_tokens,
        sum(input_audio_tokens) as input_audio_tokens,
        sum(cache_read_audio_tokens) as cache_read_audio_tokens,
        sum(output_audio_tokens) as output_audio_tokens,
        sum(input_image_tokens) as input_image_tokens,
        sum(cache_read_image_tokens) as cache_read_image_tokens,
        sum(output_image_tokens) as output_image_tokens
    from gateway_usage
    group by 1, 2, 3, 4, 5

),

differences as (

    select
        coalesce(provider_totals.usage_date, gateway_totals.usage_date) as usage_date,
        coalesce(provider_totals.provider, gateway_totals.provider) as provider,
        coalesce(provider_totals.model_id, gateway_totals.model_id) as model_id,
        coalesce(provider_totals.service_tier, gateway_totals.service_tier) as service_tier,
        coalesce(provider_totals.context_tier, gateway_totals.context_tier) as context_tier,
        case
            when covered_providers.reports_request_counts
                then coalesce(provider_totals.request_count, 0) - coalesce(gateway_totals.request_count, 0)
        end as request_count,
        coalesce(provider_totals.uncached_input_tokens, 0)
        - coalesce(gateway_totals.uncached_input_tokens, 0) as uncached_input_tokens,
        coalesce(provider_totals.cache_read_tokens, 0)
        - coalesce(gateway_totals.cache_read_tokens, 0) as cache_read_tokens,
        coalesce(provider_totals.cache_write_5m_tokens, 0)
        - coalesce(gateway_totals.cache_write_5m_tokens, 0) as cache_write_5m_tokens,
        coalesce(provider_totals.cache_write_1h_tokens, 0)
        - coalesce(gateway_totals.cache_write_1h_tokens, 0) as cache_write_1h_tokens,
        coalesce(provider_totals.output_tokens, 0)
        - coalesce(gateway_totals.output_tokens, 0) as output_tokens,
        coalesce(provider_totals.input_audio_tokens, 0)
        - coalesce(gateway_totals.input_audio_tokens, 0) as input_audio_tokens,
        coalesce(provider_totals.cache_read_audio_tokens, 0)
        - coalesce(gateway_totals.cache_read_audio_tokens, 0) as cache_read_audio_tokens,
        coalesce(provider_totals.output_audio_tokens, 0)
        - coalesce(gateway_totals.output_audio_tokens, 0) as output_audio_tokens,
        coalesce(provider_totals.input_image_tokens, 0)
        - coalesce(gateway_totals.input_image_tokens, 0) as input_image_tokens,
        coalesce(provider_totals.cache_read_image_tokens, 0)
        - coalesce(gateway_totals.cache_read_image_tokens, 0) as cache_read_image_tokens,
        coalesce(provider_totals.output_image_tokens, 0)
        - coalesce(gateway_totals.output_image_tokens, 0) as output_image_tokens
    from provider_totals
    full outer join gateway_totals
        on provider_totals.usage_date = gateway_totals.usage_date
            and provider_totals.provider = gateway_totals.provider
            and provider_totals.model_id = gateway_totals.model_id
            and provider_totals.service_tier = gateway_totals.service_tier
            and provider_totals.context_tier = gateway_totals.context_tier
    left join covered_providers
        on coalesce(provider_totals.provider, gateway_totals.provider) = covered_providers.provider

),

final as (

    select
        differences.usage_date,
        differences.provider,
        differences.model_id,
        differences.service_tier,
        differences.context_tier,
        upstream.account_type as container_type,
        upstream.account_id as container_id,
        differences.request_count,
        differences.uncached_input_tokens,
        differences.cache_read_tokens,
        differences.cache_write_5m_tokens,
        differences.cache_write_1h_tokens,
        differences.output_tokens,
        differences.input_audio_tokens,
        differences.cache_read_audio_tokens,
        differences.output_audio_tokens,
        differences.input_image_tokens,
        differences.cache_read_image_tokens,
        differences.output_image_tokens
    from differences
    left join upstream
        on differences.provider = upstream.provider
    where coalesce(differences.request_count, 0) <> 0
        or differences.uncached_input_tokens <> 0
        or differences.cache_read_tokens <> 0
        or differences.cache_write_5m_tokens <> 0
        or differences.cache_write_1h_tokens <> 0
        or differences.output_tokens <> 0
        or differences.input_audio_tokens <> 0
        or differences.cache_read_audio_tokens <> 0
        or differences.output_audio_tokens <> 0
        or differences.input_image_tokens <> 0
        or differences.cache_read_image_tokens <> 0
        or differences.output_image_tokens <> 0

)

select * from final
