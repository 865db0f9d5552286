{#-
    Provider-reported usage (the system of record for what a provider billed) in the common grain,
    flagged when it belongs to a gateway's upstream account. Each provider's usage API joins this
    union as its staging lands.
-#}
with openai_usage as (

    select * from {{ ref('stg_openai__usage_completions') }}

),

aliases as (

    select * from {{ ref('model_aliases') }}

),

upstream as (

    select * from {{ ref('gateway_upstream_accounts') }}

),

openai_normalised as (

    select
        usage_date,
        'openai' as provider,
        'openai_usage_api' as source_system,
        reported_model,
        case
            when is_batch then 'batch'
            when service_tier in ('default', 'auto') then 'standard'
            else service_tier
        end as service_tier,
        'standard' as context_tier,
        'project' as container_type,
        project_id as container_id,
        api_key_id as provider_key_id,
        request_count,
        {#- input_tokens includes cached and cache-write tokens: subtract them once, here. -#}
        
        input_tokens - input_cached_tokens - input_cache_write_tokens as uncached_input_tokens,
        input_cached_tokens as cache_read_tokens,
        input_cache_write_tokens as cache_write_5m_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as cache_write_1h_tokens,
        output_tokens,
        cast(null as {{ dbt.type_bigint() }}) as reasoning_tokens
    from openai_usage

),

unioned as (

    select * from openai_normalised

),

final as (

    select
        unioned.*,
        coalesce(aliases.model_id, unioned.reported_model) as model_id,
        upstream.account_id is not null as is_gateway_upstream
    from unioned
    left join aliases
        on unioned.provider = aliases.provider
            and unioned.reported_model = aliases.reported_model
    left join upstream
        on unioned.provider = upstream.provider
            and unioned.container_type = upstream.account_type
            and unioned.container_id = upstream.account_id

)

select * from final
