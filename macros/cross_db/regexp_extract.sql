{#- First match of a regular expression's capture group, or null. -#}
{% macro regexp_extract(expression, pattern, group=1) -%}
    {{ return(adapter.dispatch('regexp_extract', 'ai_finops')(expression, pattern, group)) }}
{%- endmacro %}

{% macro default__regexp_extract(expression, pattern, group) -%}
    regexp_substr({{ expression }}, '{{ pattern }}', 1, 1, 'e', {{ group }})
{%- endmacro %}

{#- DuckDB returns '' for no match; nullif keeps the engines consistent. -#}
{% macro duckdb__regexp_extract(expression, pattern, group) -%}
    nullif(regexp_extract({{ expression }}, '{{ pattern }}', {{ group }}), '')
{%- endmacro %}
