{#-
    Gateway requests that reached a provider and were billed, with the canonical model and the
    context tier. The tier is decided per request (a long prompt re-prices the whole request),
    so it must be set here, before any aggregation. Each request is also priced here (effective-
    dated price book at its price point, contract discounts, the same rules as int_usage_priced)
    and owned by the gateway precedence (valid request tag, else the virtual key's owner, else
    unallocated): the one pass over the request-level data that usage, governance
    (int_gateway_requests_priced) and optimization read. Incremental: only the days that received
    a spend-log copy since the last run (_loaded_at past the newest here), and the days of the
    earlier copies of those requests (a re-delivery can move or drop a request), are rebuilt whole
    (delete+insert by usage_date); a late delivery for any day lands. A change to the reference
    data (price book, FX rates, discounts, aliases, catalog, owners, teams, the currency/unallocated
    vars) changes reference_fingerprint, and the next run rebuilds every day.
    Audio/image tokens are priced at their own rates and the rest at the text rate (int_usage_priced's
    rule); costs are in the reporting currency (USD price book x the day's rate, int_fx_rates_daily).
-#}
-- depends_on: {{ ref('base_litellm__spend_logs') }}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='usage_date',
    on_schema_change='sync_all_columns',
    tmp_relation_type=ai_finops.emulator_tmp_relation_type(),
) }}

{%- set fx_rate -%}
    case
        when upper('{{ var("ai_finops__reporting_currency") }}') = 'USD' then 1.0
        else price_fx.rate_to_reporting_currency
    end
{%- endset %}

{#- the reference data every row is priced and owned with (the relations joined below, the price
    book and FX views included, and the vars used as literals): stored on every row; when it differs
    from the one the table was built with, every day is rebuilt -#}
{%- set reference_fingerprint = ai_finops.reference_fingerprint(
    [
        ai_finops.reference_table('model_aliases'),
        ai_finops.reference_table('model_catalog'),
        ref('int_model_prices'),
        ai_finops.reference_table('contract_discounts'),
        ai_finops.reference_table('account_owners'),
        ai_finops.reference_table('teams'),
        "(select * from " ~ ref('int_fx_rates_daily') ~ " where currency = 'USD')",
    ],
    [var('ai_finops__reporting_currency'), var('ai_finops__unallocated_label')],
) -%}

{#- the days to rebuild, as literals the engine can filter on: every day holding a copy (new or
    earlier) of a request with a copy loaded since the last run -#}
{%- set days_filter = none -%}
{%- set has_loaded_at = execute and is_incremental()
    and '_loaded_at' in adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list
    and not ai_finops.reference_fingerprint_changed(this, reference_fingerprint) -%}
{%- if has_loaded_at -%}
    {#- (a table built before _loaded_at or reference_fingerprint was stored is rebuilt whole once) -#}
    {%- set loaded_until = ai_finops.incremental_high_water_mark('_loaded_at', this, dbt.type_timestamp()) -%}
    {%- if loaded_until is not none -%}
        {%- set days_filter = ai_finops.gateway_days_filter(
            ai_finops.gateway_changed_days(loaded_until), 'usage_date', 'request_started_at'
        ) -%}
    {%- endif -%}
{%- endif %}

with requests as (

    select * from {{ ref('stg_litellm__spend_logs') }}
    where is_billable
    {% if days_filter is not none -%}
        -- re-process whole days that received new copies: late and re-delivered rows land, re-runs are idempotent
        and {{ days_filter }}
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

-- regional price points (`<region>/<model id>`): a Bedrock call's region, from its runtime endpoint
regional_points as (

    select
        provider,
        model_id,
        service_tier,
        context_tier,
        valid_from,
        valid_to
    from prices
    where provider in ('aws_bedrock', 'google_vertex') and price_region is not null

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

-- the price book's currency is USD
price_fx as (

    select * from {{ ref('int_fx_rates_daily') }}
    where currency = 'USD'

),

reference_state as (

    select {{ reference_fingerprint }} as reference_fingerprint

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
        mapped.bedrock_region,
        -- the region that served the call, where the spend log says it: a Bedrock runtime endpoint's
        -- region, a Vertex endpoint's location (`global` or a region)
        case
            when mapped.provider = 'aws_bedrock' then mapped.bedrock_region
            when mapped.provider = 'google_vertex' then mapped.vertex_location
        end as region,
        -- where a regional price point can apply (as in int_usage_priced): a Bedrock call's region;
        -- `regional` for a Vertex call outside the global endpoint
        case
            when mapped.provider = 'aws_bedrock' then mapped.bedrock_region
            when mapped.provider = 'google_vertex' and mapped.vertex_location <> 'global' then 'regional'
        end as price_location,
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
        -- cache writes: the 1-hour part (usage_object cache_creation_token_details) at the 1h rate, the rest 5m
        mapped.cache_write_tokens - coalesce(mapped.cache_write_1h_tokens, 0) as cache_write_5m_tokens,
        coalesce(mapped.cache_write_1h_tokens, 0) as cache_write_1h_tokens,
        mapped.completion_tokens as output_tokens,
        mapped.reasoning_tokens,
        coalesce(mapped.prompt_audio_tokens, 0) as prompt_audio_tokens,
        coalesce(mapped.prompt_image_tokens, 0) as prompt_image_tokens,
        coalesce(mapped.completion_audio_tokens, 0) as output_audio_tokens,
        cast(0 as {{ dbt.type_bigint() }}) as output_image_tokens,
        mapped.gateway_reported_spend,
        mapped._loaded_at
    from mapped
    left join catalog
        on mapped.provider = catalog.provider
            and mapped.model_id = catalog.model_id

),

-- a Bedrock call in a region with its own price point valid that day (and tier) is priced there, and
-- a Vertex call on a regional endpoint at the model's uplifted `regional/` point, like the rows of
-- int_usage_priced; everything else at the model's global point
located as (

    select
        tiered.*,
        coalesce(regional_points.model_id, tiered.model_id) as price_model_id
    from tiered
    left join regional_points
        on tiered.provider = regional_points.provider
            and tiered.price_location || '/' || tiered.model_id = regional_points.model_id
            and tiered.service_tier = regional_points.service_tier
            and tiered.context_tier = regional_points.context_tier
            and tiered.usage_date >= regional_points.valid_from
            and tiered.usage_date < regional_points.valid_to

),

-- the usage object's prompt audio/image counts do not say how much of them was cached: audio fills
-- the uncached input first, then the cache reads; images fill what audio left (never more than either holds)
split_audio as (

    select
        located.*,
        least(located.prompt_audio_tokens, located.uncached_input_tokens) as input_audio_tokens,
        least(
            greatest(located.prompt_audio_tokens - located.uncached_input_tokens, 0), located.cache_read_tokens
        ) as cache_read_audio_tokens
    from located

),

split as (

    select
        split_audio.*,
        least(
            split_audio.prompt_image_tokens, split_audio.uncached_input_tokens - split_audio.input_audio_tokens
        ) as input_image_tokens,
        least(
            greatest(
                split_audio.prompt_image_tokens - split_audio.uncached_input_tokens + split_audio.input_audio_tokens,
                0
            ),
            split_audio.cache_read_tokens - split_audio.cache_read_audio_tokens
        ) as cache_read_image_tokens
    from split_audio

),

priced as (

    select
        split.*,
        prices.price_point_id,
        tag_team.team_id as valid_tag_team_id,
        key_owner.team_id as key_team_id,
        key_owner.workflow_id as key_workflow_id,
        -- audio/image subsets at their own rates (text rate when the book has none), the rest as text
        (
            (split.uncached_input_tokens - split.input_audio_tokens - split.input_image_tokens)
            * prices.input_usd_per_million
            + split.input_audio_tokens * coalesce(prices.input_audio_usd_per_million, prices.input_usd_per_million)
            + split.input_image_tokens * coalesce(prices.input_image_usd_per_million, prices.input_usd_per_million)
            + (split.cache_read_tokens - split.cache_read_audio_tokens - split.cache_read_image_tokens)
            * prices.cache_read_usd_per_million
            + split.cache_read_audio_tokens
            * coalesce(prices.cache_read_audio_usd_per_million, prices.cache_read_usd_per_million)
            + split.cache_read_image_tokens
            * coalesce(prices.cache_read_image_usd_per_million, prices.cache_read_usd_per_million)
            + split.cache_write_5m_tokens * prices.cache_write_5m_usd_per_million
            + split.cache_write_1h_tokens * prices.cache_write_1h_usd_per_million
        ) / 1000000.0 * {{ fx_rate }} as input_list_cost,
        (
            (split.output_tokens - split.output_audio_tokens - split.output_image_tokens)
            * prices.output_usd_per_million
            + split.output_audio_tokens * coalesce(prices.output_audio_usd_per_million, prices.output_usd_per_million)
            + split.output_image_tokens * coalesce(prices.output_image_usd_per_million, prices.output_usd_per_million)
        ) / 1000000.0 * {{ fx_rate }} as output_list_cost,
        case
            when prices.price_point_id is not null then {{ ai_finops.modality_fallback_tokens('split', 'prices') }}
            else 0
        end as modality_fallback_tokens,
        {{ fx_rate }} as price_fx_rate,
        coalesce(family_discount.discount_pct, provider_discount.discount_pct, 0) as discount_pct,
        reference_state.reference_fingerprint
    from split
    cross join reference_state
    left join prices
        on split.provider = prices.provider
            and split.price_model_id = prices.model_id
            and split.service_tier = prices.service_tier
            and split.context_tier = prices.context_tier
            and split.usage_date >= prices.valid_from
            and split.usage_date < prices.valid_to
    left join discounts as family_discount
        on split.provider = family_discount.provider
            and split.model_family = family_discount.model_family
            and split.usage_date >= family_discount.valid_from
            and split.usage_date < coalesce(family_discount.valid_to, cast('9999-12-31' as date))
    left join discounts as provider_discount
        on split.provider = provider_discount.provider
            and provider_discount.model_family = '*'
            and split.usage_date >= provider_discount.valid_from
            and split.usage_date < coalesce(provider_discount.valid_to, cast('9999-12-31' as date))
    left join price_fx
        on split.usage_date = price_fx.rate_day
    left join teams as tag_team
        on split.tag_team_id = tag_team.team_id
            and split.usage_date >= tag_team.valid_from
            and split.usage_date < coalesce(tag_team.valid_to, cast('9999-12-31' as date))
    left join owners as key_owner
        on key_owner.provider = 'litellm'
            and key_owner.account_type = 'gateway_key'
            and split.gateway_key_hash = key_owner.account_id
            and split.usage_date >= key_owner.valid_from
            and split.usage_date < coalesce(key_owner.valid_to, cast('9999-12-31' as date))

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
        input_audio_tokens,
        cache_read_audio_tokens,
        output_audio_tokens,
        input_image_tokens,
        cache_read_image_tokens,
        output_image_tokens,
        gateway_reported_spend,
        price_point_id,
        bedrock_region,
        region,
        price_fx_rate,
        modality_fallback_tokens,
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
        (input_list_cost + output_list_cost) * (1 - discount_pct / 100.0) as contracted_cost,
        '{{ var("ai_finops__reporting_currency") }}' as currency,
        _loaded_at,
        reference_fingerprint
    from priced

)

select * from final
