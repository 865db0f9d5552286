{#-
    Gateway requests that reached a provider and were billed, with the canonical model and the
    context tier. The tier is decided per request (a long prompt re-prices the whole request),
    so it must be set here, before any aggregation. Each request is also priced here (effective-
    dated price book at its price point, contract discounts, the same rules as int_usage_priced)
    and owned by the gateway precedence (valid request tag, else the virtual key's owner, else
    unallocated): the one pass over the request-level data that usage, governance
    (int_gateway_requests_priced) and optimization read. Incremental: the days from the newest
    built day minus var ai_finops__lookback_days on are rebuilt whole (delete+insert by usage_date);
    a change to the price book, aliases, catalog or owners for older days needs --full-refresh.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='usage_date',
    on_schema_change='sync_all_columns',
    tmp_relation_type=ai_finops.emulator_tmp_relation_type(),
) }}

with requests as (

    select * from {{ ref('stg_litellm__spend_logs') }}
    where is_billable
    {% if is_incremental() -%}
        {%- set newest_day = ai_finops.incremental_high_water_mark('usage_date', this, 'date') -%}
        {% if newest_day is not none -%}
            -- re-process whole days from the lookback window on: late and re-delivered rows land, re-runs are idempotent
            and usage_date >= {{ dbt.dateadd('day', -var('ai_finops__lookback_days'), newest_day) }}
        {%- endif %}
    {%- endif %}

),

aliases as (

    select * from {{ ai_finops.reference_table('model_aliases') }}

),

catalog as (

    select * from {{ ai_finops.reference_table('model_catalog') }}

),

prices as (

    select * from {{ ref('int_model_prices') }}

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

mapped as (

    select
        requests.*,
        coalesce(aliases.model_id, requests.reported_model) as model_id
    from requests
    left join aliases
        on requests.provider = aliases.provider
            and requests.reported_model = aliases.reported_model

),

tiered as (

    select
        mapped.request_id,
        mapped.usage_date,
        mapped.request_started_at,
        mapped.provider,
        mapped.reported_model,
        mapped.model_id,
        'standard' as service_tier,
        case
            when mapped.prompt_tokens >= catalog.long_context_threshold_tokens then 'long'
            else 'standard'
        end as context_tier,
        catalog.model_family,
        mapped.gateway_key_hash,
        mapped.gateway_key_alias,
        mapped.gateway_team_id,
        mapped.tag_team_id,
        mapped.tag_workflow_id,
        mapped.tag_agent_id,
        mapped.end_user_id,
        mapped.session_id,
        mapped.prompt_tokens - mapped.cache_read_tokens - mapped.cache_write_tokens as uncached_input_tokens,
        mapped.cache_read_tokens,
        mapped.cache_write_tokens as cache_write_5m_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as cache_write_1h_tokens,
        mapped.completion_tokens as output_tokens,
        mapped.reasoning_tokens,
        mapped.gateway_reported_spend
    from mapped
    left join catalog
        on mapped.provider = catalog.provider
            and mapped.model_id = catalog.model_id

),

priced as (

    select
        tiered.*,
        prices.price_point_id,
        tag_team.team_id as valid_tag_team_id,
        key_owner.team_id as key_team_id,
        key_owner.workflow_id as key_workflow_id,
        (
            tiered.uncached_input_tokens * prices.input_usd_per_million
            + tiered.cache_read_tokens * prices.cache_read_usd_per_million
            + tiered.cache_write_5m_tokens * prices.cache_write_5m_usd_per_million
            + tiered.cache_write_1h_tokens * prices.cache_write_1h_usd_per_million
        ) / 1000000.0 as input_list_cost,
        tiered.output_tokens * prices.output_usd_per_million / 1000000.0 as output_list_cost,
        coalesce(family_discount.discount_pct, provider_discount.discount_pct, 0) as discount_pct
    from tiered
    left join prices
        on tiered.provider = prices.provider
            and tiered.model_id = prices.model_id
            and tiered.service_tier = prices.service_tier
            and tiered.context_tier = prices.context_tier
            and tiered.usage_date >= prices.valid_from
            and tiered.usage_date < prices.valid_to
    left join discounts as family_discount
        on tiered.provider = family_discount.provider
            and tiered.model_family = family_discount.model_family
            and tiered.usage_date >= family_discount.valid_from
            and tiered.usage_date < coalesce(family_discount.valid_to, cast('9999-12-31' as date))
    left join discounts as provider_discount
        on tiered.provider = provider_discount.provider
            and provider_discount.model_family = '*'
            and tiered.usage_date >= provider_discount.valid_from
            and tiered.usage_date < coalesce(provider_discount.valid_to, cast('9999-12-31' as date))
    left join teams as tag_team
        on tiered.tag_team_id = tag_team.team_id
            and tiered.usage_date >= tag_team.valid_from
            and tiered.usage_date < coalesce(tag_team.valid_to, cast('9999-12-31' as date))
    left join owners as key_owner
        on key_owner.provider = 'litellm'
            and key_owner.account_type = 'gateway_key'
            and tiered.gateway_key_hash = key_owner.account_id
            and tiered.usage_date >= key_owner.valid_from
            and tiered.usage_date < coalesce(key_owner.valid_to, cast('9999-12-31' as date))

),

final as (

    select
        request_id,
        usage_date,
        request_started_at,
        provider,
        reported_model,
        model_id,
        service_tier,
        context_tier,
        gateway_key_hash,
        gateway_key_alias,
        gateway_team_id,
        tag_team_id,
        tag_workflow_id,
        tag_agent_id,
        end_user_id,
        session_id,
        uncached_input_tokens,
        cache_read_tokens,
        cache_write_5m_tokens,
        cache_write_1h_tokens,
        output_tokens,
        reasoning_tokens,
        gateway_reported_spend,
        price_point_id,
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
        input_list_cost,
        output_list_cost,
        input_list_cost + output_list_cost as list_cost,
        (input_list_cost + output_list_cost) * (1 - discount_pct / 100.0) as contracted_cost
    from priced

)

select * from final
