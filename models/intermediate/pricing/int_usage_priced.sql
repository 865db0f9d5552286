{#-
    List cost of every usage row from the effective-dated price book: each token type at its own
    rate, at the price point (service tier, context tier) the usage ran at, with the price valid
    on the usage date (valid_from inclusive, valid_to exclusive); a regional price point of the usage's
    region (Bedrock CUR rows), data zone (Azure Data Zone deployments, the zone of the resource's
    region from ai_finops__azure_data_zones) or Vertex regional endpoint (`regional/<model>`, the
    uplifted price of a non-global region) wins over the model's global one. Usage the book cannot price keeps
    a null cost and a reason; it is never shown as $0. The book is in USD: costs are converted to the
    reporting currency at the usage day's rate (int_fx_rates_daily); without a rate the row is
    unpriced_missing_fx_rate (null cost), never converted at 1.0.
    Audio/image tokens (subsets of uncached input, cache read and output) are priced at their own
    rates and only the rest of each parent at the text rate; a model without an audio/image rate
    prices them at the text rate of the same token type (cached audio: the cache-read rate) and
    counts them in modality_fallback_tokens.
    Unit rows (usage_kind = 'units') take list cost and status from the unit price book
    (int_usage_units_daily) and the same contract discounts.
-#}
{#- each parent token type: its audio and image subsets at their rates, the rest at the text rate
    (a subset a source does not report is 0) -#}
{%- set input_usd -%}
    ((uncached_input_tokens - coalesce(input_audio_tokens, 0) - coalesce(input_image_tokens, 0)) * input_usd_per_million
    + coalesce(input_audio_tokens, 0) * input_audio_usd_per_million + coalesce(input_image_tokens, 0) * input_image_usd_per_million)
{%- endset -%}
{%- set cache_read_usd -%}
    ((cache_read_tokens - coalesce(cache_read_audio_tokens, 0) - coalesce(cache_read_image_tokens, 0))
    * cache_read_usd_per_million
    + coalesce(cache_read_audio_tokens, 0) * cache_read_audio_usd_per_million
    + coalesce(cache_read_image_tokens, 0) * cache_read_image_usd_per_million)
{%- endset -%}
{%- set output_usd -%}
    ((output_tokens - coalesce(output_audio_tokens, 0) - coalesce(output_image_tokens, 0)) * output_usd_per_million
    + coalesce(output_audio_tokens, 0) * output_audio_usd_per_million + coalesce(output_image_tokens, 0) * output_image_usd_per_million)
{%- endset %}

with usage as (

    select * from {{ ref('int_usage_unioned') }}

),

prices as (

    select * from {{ ref('int_model_prices') }}

),

known_models as (

    select distinct
        provider,
        model_id
    from prices

),

catalog as (

    select * from {{ ai_finops.reference_table('model_catalog') }}

),

discounts as (

    select * from {{ ai_finops.reference_table('contract_discounts') }}

),

-- the price book's currency is USD
price_fx as (

    select * from {{ ref('int_fx_rates_daily') }}
    where currency = 'USD'

),

azure_data_zones as (

    select * from {{ ai_finops.reference_table('azure_data_zones') }}

),

-- regional price points (`<location>/<model id>`: Bedrock regions, Azure data zones `us` / `eu`, Vertex
-- `regional`): the one valid for the usage's price location and day
regional_points as (

    select
        provider,
        model_id,
        service_tier,
        context_tier,
        valid_from,
        valid_to
    from prices
    where price_region is not null

),

usage_zoned as (

    -- where a regional price point can apply: a Bedrock row's region; the data zone of an Azure Data
    -- Zone deployment's region; `regional` for Vertex usage outside the `global` endpoint (the uplifted
    -- `regional/<model>` points). Azure global and regional deployments take the model's global price
    -- (LiteLLM's map has no per-region Azure keys; its azure/global/ keys repeat the model's price).
    select
        usage.*,
        case
            when usage.provider = 'aws_bedrock' then usage.region
            when usage.provider = 'azure_openai' and usage.deployment_type = 'data_zone' then azure_data_zones.data_zone
            when usage.provider = 'google_vertex' and lower(usage.region) <> 'global' then 'regional'
        end as price_location
    from usage
    left join azure_data_zones
        on usage.provider = 'azure_openai'
            and usage.region = azure_data_zones.azure_region

),

usage_located as (

    -- usage in a region (or data zone) with its own price point is priced there; otherwise at the
    -- model's global point
    select
        usage.*,
        coalesce(regional_points.model_id, usage.model_id) as price_model_id
    from usage_zoned as usage
    left join regional_points
        on usage.provider = regional_points.provider
            and usage.price_location || '/' || usage.model_id = regional_points.model_id
            and usage.service_tier = regional_points.service_tier
            and usage.context_tier = regional_points.context_tier
            and usage.usage_date >= regional_points.valid_from
            and usage.usage_date < regional_points.valid_to

),

joined as (

    select
        usage.*,
        prices.price_point_id,
        prices.price_region,
        prices.input_usd_per_million,
        prices.cache_read_usd_per_million,
        prices.cache_write_5m_usd_per_million,
        prices.cache_write_1h_usd_per_million,
        prices.output_usd_per_million,
        -- the rate applied to each audio/image subset: its own, else its parent's text rate
        coalesce(prices.input_audio_usd_per_million, prices.input_usd_per_million) as input_audio_usd_per_million,
        coalesce(prices.cache_read_audio_usd_per_million, prices.cache_read_usd_per_million)
            as cache_read_audio_usd_per_million,
        coalesce(prices.output_audio_usd_per_million, prices.output_usd_per_million) as output_audio_usd_per_million,
        coalesce(prices.input_image_usd_per_million, prices.input_usd_per_million) as input_image_usd_per_million,
        coalesce(prices.cache_read_image_usd_per_million, prices.cache_read_usd_per_million)
            as cache_read_image_usd_per_million,
        coalesce(prices.output_image_usd_per_million, prices.output_usd_per_million) as output_image_usd_per_million,
        case
            when prices.price_point_id is not null then {{ ai_finops.modality_fallback_tokens('usage', 'prices') }}
            else 0
        end as modality_fallback_tokens,
        known_models.model_id is not null as is_known_model,
        -- a contract on the model's family wins over one on every family of the provider (`*`)
        coalesce(family_discount.discount_pct, provider_discount.discount_pct, 0) as discount_pct,
        coalesce(family_discount.contract_id, provider_discount.contract_id) as contract_id,
        case
            when upper('{{ var("ai_finops__reporting_currency") }}') = 'USD' then 1.0
            else price_fx.rate_to_reporting_currency
        end as price_fx_rate
    from usage_located as usage
    left join prices
        on usage.provider = prices.provider
            and usage.price_model_id = prices.model_id
            and usage.service_tier = prices.service_tier
            and usage.context_tier = prices.context_tier
            and usage.usage_date >= prices.valid_from
            and usage.usage_date < prices.valid_to
    left join known_models
        on usage.provider = known_models.provider
            and usage.model_id = known_models.model_id
    left join catalog
        on usage.provider = catalog.provider
            and usage.model_id = catalog.model_id
    left join discounts as family_discount
        on usage.provider = family_discount.provider
            and catalog.model_family = family_discount.model_family
            and usage.usage_date >= family_discount.valid_from
            and usage.usage_date < coalesce(family_discount.valid_to, cast('9999-12-31' as date))
    left join discounts as provider_discount
        on usage.provider = provider_discount.provider
            and provider_discount.model_family = '*'
            and usage.usage_date >= provider_discount.valid_from
            and usage.usage_date < coalesce(provider_discount.valid_to, cast('9999-12-31' as date))
    left join price_fx
        on usage.usage_date = price_fx.rate_day

),

final as (

    select
        *,
        case
            -- unit rows (images, audio seconds/characters, tools) are priced by the unit price book
            when usage_kind = 'units' then unit_pricing_status
            when price_point_id is not null and price_fx_rate is not null then 'priced'
            when price_point_id is not null then 'unpriced_missing_fx_rate'
            when not is_known_model then 'unpriced_unknown_model'
            else 'unpriced_no_price_point'
        end as pricing_status,
        {{ input_usd }} / 1000000.0 * price_fx_rate as input_list_cost,
        {{ cache_read_usd }} / 1000000.0 * price_fx_rate as cache_read_list_cost,
        cache_write_5m_tokens * cache_write_5m_usd_per_million / 1000000.0 * price_fx_rate as cache_write_5m_list_cost,
        cache_write_1h_tokens * cache_write_1h_usd_per_million / 1000000.0 * price_fx_rate as cache_write_1h_list_cost,
        {{ output_usd }} / 1000000.0 * price_fx_rate as output_list_cost,
        case
            when usage_kind = 'units' then unit_list_cost
            else (
                {{ input_usd }}
                + {{ cache_read_usd }}
                + cache_write_5m_tokens * cache_write_5m_usd_per_million
                + cache_write_1h_tokens * cache_write_1h_usd_per_million
                + {{ output_usd }}
            ) / 1000000.0 * price_fx_rate
        end as list_cost,
        case
            when usage_kind = 'units' then unit_list_cost
            else (
                {{ input_usd }}
                + {{ cache_read_usd }}
                + cache_write_5m_tokens * cache_write_5m_usd_per_million
                + cache_write_1h_tokens * cache_write_1h_usd_per_million
                + {{ output_usd }}
            ) / 1000000.0 * price_fx_rate
        end * (1 - discount_pct / 100.0) as contracted_cost,
        (
            coalesce(input_audio_tokens, 0) * input_audio_usd_per_million
            + coalesce(cache_read_audio_tokens, 0) * cache_read_audio_usd_per_million
            + coalesce(output_audio_tokens, 0) * output_audio_usd_per_million
        ) / 1000000.0 * price_fx_rate as audio_list_cost,
        (
            coalesce(input_image_tokens, 0) * input_image_usd_per_million
            + coalesce(cache_read_image_tokens, 0) * cache_read_image_usd_per_million
            + coalesce(output_image_tokens, 0) * output_image_usd_per_million
        ) / 1000000.0 * price_fx_rate as image_list_cost,
        '{{ var("ai_finops__reporting_currency") }}' as currency
    from joined

)

select * from final
