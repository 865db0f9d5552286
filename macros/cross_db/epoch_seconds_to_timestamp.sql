{#- Unix seconds -> timestamp without time zone, in UTC on every engine. -#}
{% macro epoch_seconds_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('epoch_seconds_to_timestamp', 'ai_finops')(expression)) }}
{%- endmacro %}

{% macro default__epoch_seconds_to_timestamp(expression) -%}
    to_timestamp_ntz({{ expression }})
{%- endmacro %}

{#- make_timestamp takes microseconds and ignores the session time zone. -#}
{% macro duckdb__epoch_seconds_to_timestamp(expression) -%}
    make_timestamp(cast({{ expression }} as bigint) * 1000000)
{%- endmacro %}
