{#- RFC 3339 / ISO 8601 text (with Z or an offset) -> UTC timestamp without time zone. -#}
{% macro iso8601_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('iso8601_to_timestamp', 'ai_finops')(expression)) }}
{%- endmacro %}

{% macro default__iso8601_to_timestamp(expression) -%}
    convert_timezone('UTC', try_to_timestamp_tz({{ expression }}))::timestamp_ntz
{%- endmacro %}

{% macro duckdb__iso8601_to_timestamp(expression) -%}
    timezone('UTC', try_cast({{ expression }} as timestamptz))
{%- endmacro %}
