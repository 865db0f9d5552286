{#-
    Every billed gateway request priced on its own, the same way int_usage_priced prices usage
    rows (effective-dated price book at the request's price point, contract discounts; unpriced
    requests keep a null cost), with the owner by the gateway's precedence (a request tag naming
    a known team, else the owner of the virtual key, else unallocated). Request-level governance
    (anomalies, per-request policies) reads this.
-#}
with requests as (

    select * from {{ ref('int_gateway_requests_enriched') }}

),

prices as (

    select * from {{ ref('int_model_prices') }}

),

catalog as (

    select * from {{ ai_finops.reference_table('model_catalog') }}

),

discounts as (

    select * from {{ ai_finops.reference_table('contract_discounts') }}

),

owners as (

    select * from {{ ai_finops.reference_table('account_owners') }}

),

teams as (

    select * from {{ ai_finops.reference_table('teams') }}

),

priced as (

    select
        requests.*,
        prices.price_point_id,
        tag_team.team_id as valid_tag_team_id,
        key_owner.team_id as key_team_id,
        key_owner.workflow_id as key_workflow_id,
        (
            requests.uncached_input_tokens * prices.input_usd_per_million
            + requests.cache_read_tokens * prices.cache_read_usd_per_million
            + requests.cache_write_5m_tokens * prices.cache_write_5m_usd_per_million
            + requests.cache_write_1h_tokens * prices.cache_write_1h_usd_per_million
            + requests.output_tokens * prices.output_usd_per_million
        ) / 1000000.0 as list_cost,
        coalesce(family_discount.discount_pct, provider_discount.discount_pct, 0) as discount_pct
    from requests
    left join prices
        on requests.provider = prices.provider
            and requests.model_id = prices.model_id
            and requests.service_tier = prices.service_tier
            and requests.context_tier = prices.context_tier
            and requests.usage_date >= prices.valid_from
            and requests.usage_date < prices.valid_to
    left join catalog
        on requests.provider = catalog.provider
            and requests.model_id = catalog.model_id
    left join discounts as family_discount
        on requests.provider = family_discount.provider
            and catalog.model_family = family_discount.model_family
            and requests.usage_date >= family_discount.valid_from
            and requests.usage_date < coalesce(family_discount.valid_to, cast('9999-12-31' as date))
    left join discounts as provider_discount
        on requests.provider = provider_discount.provider
            and provider_discount.model_family = '*'
            and requests.usage_date >= provider_discount.valid_from
            and requests.usage_date < coalesce(provider_discount.valid_to, cast('9999-12-31' as date))
    left join teams as tag_team
        on requests.tag_team_id = tag_team.team_id
            and requests.usage_date >= tag_team.valid_from
            and requests.usage_date < coalesce(tag_team.valid_to, cast('9999-12-31' as date))
    left join owners as key_owner
        on key_owner.provider = 'litellm'
            and key_owner.account_type = 'gateway_key'
            and requests.gateway_key_hash = key_owner.account_id
            and requests.usage_date >= key_owner.valid_from
            and requests.usage_date < coalesce(key_owner.valid_to, cast('9999-12-31' as date))

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
        coalesce(valid_tag_team_id, key_team_id, '{{ var("ai_finops__unallocated_label") }}') as team_id,
        case
            when valid_tag_team_id is not null then 'request_tag'
            when key_team_id is not null then 'gateway_key_owner'
            else 'unallocated'
        end as attribution_method,
        coalesce(
            case when valid_tag_team_id is not null then tag_workflow_id end,
            case when valid_tag_team_id is null then key_workflow_id end,
            'unassigned'
        ) as workflow_id,
        coalesce(tag_agent_id, 'none') as agent_id,
        uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + cache_write_1h_tokens as input_tokens,
        output_tokens,
        list_cost,
        list_cost * (1 - discount_pct / 100.0) as contracted_cost,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from priced

)

select * from final
