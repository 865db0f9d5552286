{#-
    USD x 1,000,000 of a usage row's tokens at a price point, each token type at its own rate and the
    audio/image subsets at theirs (a price point without one: the parent's text rate, as int_usage_priced
    does), the rest of each parent at the text rate. Divide by 1,000,000 for USD. `usage` holds the
    token columns and the (nullable) subset columns; `prices` is an int_model_prices row.
-#}
{% macro token_list_usd_per_million(usage, prices) -%}
    (
        ({{ usage }}.uncached_input_tokens - coalesce({{ usage }}.input_audio_tokens, 0)
            - coalesce({{ usage }}.input_image_tokens, 0)) * {{ prices }}.input_usd_per_million
        + coalesce({{ usage }}.input_audio_tokens, 0)
        * coalesce({{ prices }}.input_audio_usd_per_million, {{ prices }}.input_usd_per_million)
        + coalesce({{ usage }}.input_image_tokens, 0)
        * coalesce({{ prices }}.input_image_usd_per_million, {{ prices }}.input_usd_per_million)
        + ({{ usage }}.cache_read_tokens - coalesce({{ usage }}.cache_read_audio_tokens, 0)
            - coalesce({{ usage }}.cache_read_image_tokens, 0)) * {{ prices }}.cache_read_usd_per_million
        + coalesce({{ usage }}.cache_read_audio_tokens, 0)
        * coalesce({{ prices }}.cache_read_audio_usd_per_million, {{ prices }}.cache_read_usd_per_million)
        + coalesce({{ usage }}.cache_read_image_tokens, 0)
        * coalesce({{ prices }}.cache_read_image_usd_per_million, {{ prices }}.cache_read_usd_per_million)
        + {{ usage }}.cache_write_5m_tokens * {{ prices }}.cache_write_5m_usd_per_million
        + {{ usage }}.cache_write_1h_tokens * {{ prices }}.cache_write_1h_usd_per_million
        + ({{ usage }}.output_tokens - coalesce({{ usage }}.output_audio_tokens, 0)
            - coalesce({{ usage }}.output_image_tokens, 0)) * {{ prices }}.output_usd_per_million
        + coalesce({{ usage }}.output_audio_tokens, 0)
        * coalesce({{ prices }}.output_audio_usd_per_million, {{ prices }}.output_usd_per_million)
        + coalesce({{ usage }}.output_image_tokens, 0)
        * coalesce({{ prices }}.output_image_usd_per_million, {{ prices }}.output_usd_per_million)
    )
{%- endmacro %}
