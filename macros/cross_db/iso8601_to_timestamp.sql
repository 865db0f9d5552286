{#- RFC 3339 / ISO 8601 text (with Z or an offset) -> UTC timestamp without time zone. -#}
{% macro iso8601_to_timestamp(expression) -%}
    {{ return(adapter.dispatch('iso8601_to_timestamp', 'ai_finops')(expression)) }}
{%- endmacro %}

{#- Snowflake's TRY_ functions take text only: a loader may have landed the column as a timestamp. -#}
{% macro default__iso8601_to_timestamp(expression) -%}
    convert_timezone('UTC', try_to_timestamp_tz(cast({{ expression }} as varchar)))::timestamp_ntz
{%- endmacro %}

{% macro duckdb__iso8601_to_timestamp(expression) -%}
    timezone('UTC', try_cast({{ expression }} as timestamptz))
{%- endmacro %}
