{#- Unix nanoseconds (OTLP startTimeUnixNano, often a string) -> UTC timestamp without time zone. -#}
{% macro epoch_nanoseconds_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('epoch_nanoseconds_to_timestamp', 'ai_finops')(expression)) }}
{%- endmacro %}

{% macro default__epoch_nanoseconds_to_timestamp(expression) -%}
    to_timestamp_ntz(cast({{ expression }} as number(38, 0)), 9)
{%- endmacro %}

{% macro duckdb__epoch_nanoseconds_to_timestamp(expression) -%}
    make_timestamp(cast(cast({{ expression }} as hugeint) // 1000 as bigint))
{%- endmacro %}
