{#- RFC 3339 / ISO 8601 text (with Z or an offset) -> UTC timestamp without time zone: to_utc_timestamp
    (kept under this name for the models and projects that call it). -#}
{% macro iso8601_to_timestamp(expression) -%}
    {{ return(ai_finops.to_utc_timestamp(expression)) }}
{%- endmacro %}
