{#-
    One row per price point (provider x model x service tier x context tier) and validity window,
    token types as columns. Fallbacks when a rate is absent (LiteLLM's documented semantics):
    cache read and 5-minute cache write -> input rate; 1-hour write -> 5-minute write -> input.
    Audio/image rates stay null when the book has none: the pricing models fall back to the text
    rate of the same token type and count those tokens (modality_fallback_tokens).
-#}
with prices as (

    select * from {{ ai_finops.reference_table('model_prices') }}

),

pivoted as (

    select
        provider,
        model_id,
        service_tier,
        context_tier,
        valid_from,
        valid_to,
        max(case when token_type = 'input' then usd_per_million_tokens end) as input_usd_per_million,
        max(case when token_type = 'cache_read' then usd_per_million_tokens end) as cache_read_usd_per_million,
        max(case when token_type = 'cache_write_5m' then usd_per_million_tokens end) as cache_write_5m_usd_per_million,
        max(case when token_type = 'cache_write_1h' then usd_per_million_tokens end) as cache_write_1h_usd_per_million,
        max(case when token_type = 'output' then usd_per_million_tokens end) as output_usd_per_million,
        {% for token_type in [
            'input_audio', 'cache_read_audio', 'output_audio', 'input_image', 'cache_read_image', 'output_image'
        ] -%}
            max(case when token_type = '{{ token_type }}' then usd_per_million_tokens end)
                as {{ token_type }}_usd_per_million,
        {% endfor -%}
        max(price_source) as price_source
    from prices
    group by 1, 2, 3, 4, 5, 6

),

final as (

    select
        {{ dbt.hash(dbt.concat([
            "provider", "'|'", "model_id", "'|'", "service_tier", "'|'", "context_tier", "'|'",
            "cast(valid_from as " ~ dbt.type_string() ~ ")"
        ])) }} as price_point_id,
        provider,
        model_id,
        service_tier,
        context_tier,
        valid_from,
        coalesce(valid_to, cast('9999-12-31' as date)) as valid_to,
        input_usd_per_million,
        coalesce(cache_read_usd_per_million, input_usd_per_million) as cache_read_usd_per_million,
        coalesce(cache_write_5m_usd_per_million, input_usd_per_million) as cache_write_5m_usd_per_million,
        coalesce(
            cache_write_1h_usd_per_million, cache_write_5m_usd_per_million, input_usd_per_million
        ) as cache_write_1h_usd_per_million,
        output_usd_per_million,
        input_audio_usd_per_million,
        cache_read_audio_usd_per_million,
        output_audio_usd_per_million,
        input_image_usd_per_million,
        cache_read_image_usd_per_million,
        output_image_usd_per_million,
        price_source,
        -- a regional price point (`<aws region>/<model id>`, LiteLLM's bedrock/<region>/<model> keys;
        -- `<us or eu>/<model id>`, its azure/<data zone>/<model> keys)
        -- prices usage in that region; null = the model's price everywhere
        case when model_id like '%/%' then {{ dbt.split_part('model_id', "'/'", 1) }} end as price_region
    from pivoted

)

select * from final
