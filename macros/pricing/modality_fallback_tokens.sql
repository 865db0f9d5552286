{#-
    Audio/image tokens of a usage row that its price point prices at a text rate because the
    book has no rate of their own (int_usage_priced and int_gateway_requests_enriched): counted so the
    fallback is never silent. `usage` and `prices` are the relation aliases holding the token subset
    columns and int_model_prices' (nullable) modality rates.
-#}
{% macro modality_fallback_tokens(usage, prices) -%}
    (
        {%- for token_column, rate_column in [
            ('input_audio_tokens', 'input_audio_usd_per_million'),
            ('cache_read_audio_tokens', 'cache_read_audio_usd_per_million'),
            ('output_audio_tokens', 'output_audio_usd_per_million'),
            ('input_image_tokens', 'input_image_usd_per_million'),
            ('cache_read_image_tokens', 'cache_read_image_usd_per_million'),
            ('output_image_tokens', 'output_image_usd_per_million'),
        ] %}
        case when {{ prices }}.{{ rate_column }} is null then coalesce({{ usage }}.{{ token_column }}, 0) else 0 end
        {%- if not loop.last %} +{% endif %}
        {%- endfor %}
    )
{%- endmacro %}
